"""MEASURE with the real core (native and in a container) and with stub cores for failures."""

import shutil
import threading
import time

import pytest
from rtvirt_agent.protocol.rpc import OpError
from rtvirt_agent.runner import container
from rtvirt_agent.sysinfo.fs import SysRoot
from rtvirt_agent.sysinfo.identity import identity_labels
from rtvirt_agent.wire.result import parse_result

from .sysroot import write_tree

STUB_CORE = """#!/bin/sh
printf '%s\\n' "$@" > "$0.argv"
for arg in "$@"; do
    case $arg in
        --result=*) [ -z "$RESULT_TEXT" ] || echo "$RESULT_TEXT" > "${arg#--result=}";;
    esac
done
echo "rtvirt-measure: SCHED_FIFO refused: RLIMIT_RTPRIO is 0" >&2
exit 3
"""


@pytest.fixture
def stub_core(tmp_path):
    path = tmp_path / "stub-measure"
    path.write_text(STUB_CORE)
    path.chmod(0o755)
    return path


def _stored(handlers, ctx, reply):
    return parse_result(handlers["results.get"]({"id": reply["result_id"]}, ctx)["data"])


def test_real_core_measures_streams_and_stores(make_agent, ctx, core_binary):
    _, handlers = make_agent(core=str(core_binary))
    reply = handlers["measure"]({"smp": True, "priority": 80, "interval_us": 1000,
                                 "loops": 1500, "histogram_us": 100,
                                 "labels": {"scenario": "idle run", "load": "none"}}, ctx)
    assert reply["exit_status"] == 0 and reply["size"] > 0
    assert reply["text"].startswith("# ") and reply["text_truncated"] is False
    result = _stored(handlers, ctx, reply)
    assert result["labels"] == {"scenario": "idle run", "load": "none",
                                **identity_labels(SysRoot("/"))}
    assert result["params"]["priority"] == 80 and result["params"]["histogram_us"] == 100
    assert result["pm_qos"]["held"] is True
    threads = [event["threads"] for event in ctx.events]
    assert threads and {"cpu", "cycles", "min_ns", "act_ns", "avg_ns", "max_ns", "missed"} <= \
        set(threads[-1][0])
    assert len(threads[-1]) == len(result["threads"])
    [listed] = handlers["results.list"]({}, ctx)["results"]
    assert listed["id"] == reply["result_id"] and listed["labels"]["scenario"] == "idle run"


def test_huge_printout_is_cut_at_a_line(make_agent, ctx, core_binary):
    _, handlers = make_agent(core=str(core_binary))
    reply = handlers["measure"]({"threads": 1, "loops": 20, "histogram_us": 100_000,
                                 "text": "full"}, ctx)
    assert reply["text_truncated"] is True
    assert len(reply["text"]) <= 64 * 1024 and reply["text"].endswith("\n")


def test_summary_text_leaves_out_the_histogram_rows(make_agent, ctx, core_binary):
    _, handlers = make_agent(core=str(core_binary))
    reply = handlers["measure"]({"threads": 1, "loops": 20, "histogram_us": 100_000}, ctx)
    assert reply["text_truncated"] is False
    assert "# Max Latencies:" in reply["text"]
    assert not any(line[:1].isdigit() for line in reply["text"].splitlines())


def test_cancel_stops_the_core_and_keeps_its_result(make_agent, ctx, core_binary):
    _, handlers = make_agent(core=str(core_binary))
    threading.Timer(1.0, ctx.cancelled.set).start()
    start = time.monotonic()
    reply = handlers["measure"]({"threads": 1, "interval_us": 1000}, ctx)
    assert time.monotonic() - start < 10
    assert _stored(handlers, ctx, reply)["stop_reason"] == "signal"


def test_cancelled_before_start_spawns_nothing(make_agent, ctx, stub_core):
    _, handlers = make_agent(core=str(stub_core))
    ctx.cancelled.set()
    with pytest.raises(OpError) as caught:
        handlers["measure"]({"loops": 10}, ctx)
    assert caught.value.code == "cancelled"
    assert not (stub_core.parent / "stub-measure.argv").exists()


def test_pm_qos_can_be_left_alone(make_agent, ctx, core_binary):
    _, handlers = make_agent(core=str(core_binary))
    reply = handlers["measure"]({"threads": 1, "loops": 20, "pm_qos": False}, ctx)
    result = _stored(handlers, ctx, reply)
    assert result["pm_qos"]["held"] is False
    assert "--no-pm-qos" in result["pm_qos"]["error"]


@pytest.mark.skipif(not (shutil.which("runc") or shutil.which("crun")),
                    reason="no OCI runtime: make test installs runc (mk/agent.mk)")
def test_container_has_no_cpu_dma_latency(make_agent, ctx, core_binary):
    _, handlers = make_agent(core=str(core_binary))
    reply = handlers["measure"]({"smp": True, "priority": 99, "interval_us": 1000,
                                 "loops": 500, "container": True,
                                 "labels": {"scenario": "container"}}, ctx)
    result = _stored(handlers, ctx, reply)
    assert result["pm_qos"]["held"] is False
    assert "cpu_dma_latency" in result["pm_qos"]["error"]
    assert result["params"]["policy"] == "fifo"
    assert ctx.events


@pytest.mark.skipif(not (shutil.which("runc") or shutil.which("crun")),
                    reason="no OCI runtime: make test installs runc (mk/agent.mk)")
def test_container_run_is_cancelled_through_the_runtime(make_agent, ctx, core_binary):
    _, handlers = make_agent(core=str(core_binary))
    threading.Timer(1.5, ctx.cancelled.set).start()
    reply = handlers["measure"]({"threads": 1, "interval_us": 1000, "container": True}, ctx)
    assert _stored(handlers, ctx, reply)["stop_reason"] == "signal"


@pytest.mark.parametrize(("mounts", "ramdisk"), [
    ("rootfs / rootfs rw 0 0\n", True),
    ("rootfs / rootfs rw 0 0\n/dev/vda / ext4 rw 0 0\n", False),
    ("none / tmpfs rw 0 0\nproc /proc proc rw 0 0\n", True),
    ("", False),
])
def test_ramdisk_root_detection(tmp_path, mounts, ramdisk):
    path = tmp_path / "mounts"
    path.write_text(mounts)
    assert container.root_is_ramdisk(path) is ramdisk


def test_realtime_budget_of_the_agents_cpu_group(tmp_path):
    proc_cgroup = write_tree(tmp_path, {
        "self-cgroup": "4:memory:/x\n2:cpu,cpuacct:/system.slice/rtvirt-agent@ttyS1.service\n",
        "cg/cpu,cpuacct/system.slice/rtvirt-agent@ttyS1.service/cpu.rt_runtime_us": "200000",
        "cg/cpu,cpuacct/system.slice/rtvirt-agent@ttyS1.service/cpu.rt_period_us": "1000000",
    }) / "self-cgroup"
    assert container.realtime_budget(proc_cgroup, tmp_path / "cg") == {
        "realtimeRuntime": 200000, "realtimePeriod": 1000000}
    proc_cgroup.write_text("0::/user.slice\n")
    assert container.realtime_budget(proc_cgroup, tmp_path / "cg") is None


def test_container_runtime_missing(make_agent, ctx, core_binary, tmp_path):
    _, handlers = make_agent(core=str(core_binary), container_runtime=str(tmp_path / "none"))
    with pytest.raises(OpError) as caught:
        handlers["measure"]({"loops": 10, "container": True}, ctx)
    assert caught.value.code == "container-runtime-missing"


def test_argv_is_built_from_validated_arguments_only(make_agent, ctx, stub_core):
    _, handlers = make_agent(core=str(stub_core))
    with pytest.raises(OpError):
        handlers["measure"]({"affinity": "1,0", "threads": 2, "priority": 90,
                             "interval_us": 200, "distance_us": 0, "duration_s": 2.5,
                             "histogram_us": 400, "mlock": False,
                             "labels": {"scenario": "two words; (no shell)"}}, ctx)
    argv = (stub_core.parent / "stub-measure.argv").read_text().splitlines()
    assert argv[:12] == ["--affinity=0-1", "--threads=2", "-p", "90", "-i", "200", "-d", "0",
                         "-D", "3", "-h", "400"]
    assert "-m" not in argv and "--label=scenario=two words; (no shell)" in argv
    assert "--progress-fd=3" in argv


def test_cyclictest_bare_flags_and_additions_reach_the_core(make_agent, ctx, stub_core):
    """-a and -t without a value, --priospread, -b; no priority: cyclictest's 0."""
    _, handlers = make_agent(core=str(stub_core))
    with pytest.raises(OpError):
        handlers["measure"]({"affinity": "all", "threads": 0, "priospread": True,
                             "break_us": 150, "loops": 10}, ctx)
    argv = (stub_core.parent / "stub-measure.argv").read_text().splitlines()
    assert argv[:5] == ["--affinity=all", "--threads", "-p", "0", "--priospread"]
    assert argv[argv.index("-b") + 1] == "150"


def test_core_failure_is_typed_with_its_message(make_agent, ctx, stub_core):
    _, handlers = make_agent(core=str(stub_core))
    with pytest.raises(OpError) as caught:
        handlers["measure"]({"loops": 10}, ctx)
    assert caught.value.code == "rt-setup-failed"
    assert "RLIMIT_RTPRIO" in caught.value.message
    argv = (stub_core.parent / "stub-measure.argv").read_text().splitlines()
    assert "-d" not in argv and argv[argv.index("-D") + 1] == "3600"  # defaults: core's, limit


def test_damaged_result_is_not_stored(make_agent, ctx, stub_core, monkeypatch):
    monkeypatch.setenv("RESULT_TEXT", "not a record")
    agent, handlers = make_agent(core=str(stub_core))
    with pytest.raises(OpError) as caught:
        handlers["measure"]({"loops": 10}, ctx)
    assert caught.value.code == "measure-failed" and "damaged" in caught.value.message
    assert agent.store.list() == []


def test_core_not_installed(make_agent, ctx, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    _, handlers = make_agent()
    with pytest.raises(OpError) as caught:
        handlers["measure"]({"loops": 10}, ctx)
    assert caught.value.code == "core-not-installed"
    assert "make -C agent/core" in caught.value.message


@pytest.mark.parametrize(("args", "match"), [
    ({"priority": 100}, "priority"),
    ({"threads": -1}, "threads"),
    ({"break_us": 0}, "break_us"),
    ({"priospread": "yes"}, "priospread"),
    ({"loops": 10**7, "interval_us": 1000}, "max_duration_s"),
    ({"duration_s": 10**6}, "duration_s"),
    ({"affinity": "0-3 --json=/etc/passwd"}, "affinity"),
    ({"command": "cyclictest"}, "unknown argument"),
])
def test_bad_measure_arguments(make_agent, ctx, stub_core, args, match):
    _, handlers = make_agent(core=str(stub_core))
    with pytest.raises(OpError, match=match):
        handlers["measure"](args, ctx)
    assert not (stub_core.parent / "stub-measure.argv").exists()


def test_every_result_carries_the_boards_identity(make_agent, ctx, core_binary, tmp_path):
    """What the board knows of itself wins over a label the host sent under that key."""
    agent, handlers = make_agent(core=str(core_binary))
    agent.sysroot = write_tree(tmp_path / "board", {
        "proc/device-tree/model": "NXP i.MX8MPlus EVK board\0",
        "proc/device-tree/serial-number": "0b1c2d3e4f5a6b7c\0",
        "etc/os-release": 'PRETTY_NAME="rtvirt 1.0"\nBUILD_ID="20261204-1a2b3c"\n'})
    reply = handlers["measure"]({"threads": 1, "loops": 20,
                                 "labels": {"board_serial": "sticker-7", "site": "A"}}, ctx)
    assert _stored(handlers, ctx, reply)["labels"] == {
        "board_serial": "0b1c2d3e4f5a6b7c", "board_model": "NXP i.MX8MPlus EVK board",
        "image_build_id": "20261204-1a2b3c", "site": "A"}
