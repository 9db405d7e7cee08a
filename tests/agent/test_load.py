"""LOAD: stress-ng profiles pinned to CPUs, stopped at duration, on load.stop and on cancel."""

import os
import shutil
import threading
import time

import pytest
from rtvirt_agent import config
from rtvirt_agent.ops.load import PROFILES
from rtvirt_agent.protocol.rpc import OpError

from .sysroot import process_gone

pytestmark = pytest.mark.skipif(shutil.which("stress-ng") is None,
                                reason="stress-ng missing: make test installs it (mk/agent.mk)")


def _children_of(pid):
    tasks = f"/proc/{pid}/task/{pid}/children"
    return open(tasks).read().split() if os.path.exists(tasks) else []


def test_profiles_match_the_config_choices():
    assert tuple(PROFILES) == config.LOAD_PROFILES


def test_llc_stress_runs_pinned_and_stops_on_load_stop(make_agent, ctx):
    agent, handlers = make_agent()
    reply = handlers["load"]({"profile": "llc-stress", "cpus": "0", "duration_s": 60}, ctx)
    running = agent.loads.get(reply["load_id"])
    argv = running.child.argv
    assert argv[argv.index("--malloc"):argv.index("--malloc") + 6] == \
        ["--malloc", "1", "--malloc-bytes", "512k", "--malloc-max", "32"]  # the seed's
    assert argv[argv.index("--taskset") + 1] == "0"
    deadline = time.monotonic() + 10
    while not (workers := _children_of(running.child.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers, "stress-ng started no workers"
    assert not running.finished.is_set()
    start = time.monotonic()
    stopped = handlers["load.stop"]({"load_id": reply["load_id"]}, ctx)
    assert time.monotonic() - start < 6
    assert stopped["load_id"] == reply["load_id"] and stopped["exit_status"] is not None
    assert all(process_gone(pid) for pid in workers)


def test_load_ends_at_its_duration(make_agent, ctx):
    agent, handlers = make_agent()
    reply = handlers["load"]({"profile": "cpu", "cpus": "0", "duration_s": 1}, ctx)
    running = agent.loads.get(reply["load_id"])
    assert running.finished.wait(15)
    assert running.child.exit_status == 0


def test_waiting_load_stops_on_cancel(make_agent, ctx):
    _, handlers = make_agent()
    threading.Timer(1.0, ctx.cancelled.set).start()
    start = time.monotonic()
    reply = handlers["load"]({"profile": "cpu", "cpus": "0", "duration_s": 60, "wait": True},
                             ctx)
    assert time.monotonic() - start < 8
    assert ctx.events == [{"load_id": reply["load_id"]}]


def test_stop_all_on_agent_exit(make_agent, ctx):
    agent, handlers = make_agent()
    ids = [handlers["load"]({"profile": "cpu", "cpus": "0", "duration_s": 60}, ctx)["load_id"]
           for _ in range(2)]
    agent.loads.stop_all()
    assert all(agent.loads.get(load_id).finished.is_set() for load_id in ids)


@pytest.mark.parametrize(("args", "match"), [
    ({"profile": "fork-bomb", "cpus": "0", "duration_s": 1}, "profile"),
    ({"profile": "cpu", "cpus": "0", "duration_s": 1e9}, "duration_s"),
    ({"profile": "cpu", "cpus": "4000", "duration_s": 1}, "not online"),
    ({"profile": "cpu", "cpus": "0", "duration_s": 1, "extra": "--exec"}, "unknown argument"),
])
def test_bad_load_arguments(make_agent, ctx, args, match):
    _, handlers = make_agent()
    with pytest.raises(OpError, match=match):
        handlers["load"](args, ctx)


def test_profiles_can_be_narrowed_by_config(make_agent, ctx):
    _, handlers = make_agent(load_profiles=("cpu",))
    with pytest.raises(OpError, match="profile"):
        handlers["load"]({"profile": "llc-stress", "cpus": "0", "duration_s": 1}, ctx)


def test_missing_stress_ng_and_unknown_load(make_agent, ctx, tmp_path):
    _, handlers = make_agent(stress_ng=str(tmp_path / "stress-ng"))
    with pytest.raises(OpError) as caught:
        handlers["load"]({"profile": "cpu", "cpus": "0", "duration_s": 1}, ctx)
    assert caught.value.code == "stress-ng-not-installed"
    with pytest.raises(OpError) as caught:
        handlers["load.stop"]({"load_id": 99}, ctx)
    assert caught.value.code == "not-found"
