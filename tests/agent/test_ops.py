"""HELLO, SYSINFO, RESULTS and BLOCKSYS handlers, and argument validation."""

import errno

import pytest
from rtvirt_agent.ops.args import ArgReader
from rtvirt_agent.ops.blocksys import parse_stats
from rtvirt_agent.protocol.rpc import OpError
from rtvirt_agent.wire.opspec import Arg
from rtvirt_agent.wire.shapes import Boolean, Choice, CpuList, Integer, Number, Text


def test_hello_names_ops_and_optional_parts(make_agent, ctx, tmp_path):
    core = tmp_path / "rtvirt-measure"
    core.write_text("#!/bin/sh\n")
    core.chmod(0o755)
    _, handlers = make_agent(core=str(core), blocksys_enabled=True)
    reply = handlers["hello"]({}, ctx)
    assert {"measure", "load", "load.stop", "blocksys", "sysinfo", "cancel", "hello",
            "results.list", "results.get", "results.delete"} <= set(reply["ops"])
    assert reply["core"] == str(core) and reply["blocksys_enabled"] is True
    assert reply["protocol_version"] >= 1 and reply["agent_version"]


def test_sysinfo_reads_the_configured_root(make_agent, ctx):
    from .sysroot import FIXTURES

    agent, handlers = make_agent()
    agent.sysroot = FIXTURES / "rt-board"
    assert handlers["sysinfo"]({}, ctx)["machine_model"] == "NXP i.MX8MPlus EVK board"
    with pytest.raises(OpError, match="unknown argument"):
        handlers["sysinfo"]({"shell": "rm -rf /"}, ctx)


def test_results_ops(make_agent, ctx):
    agent, handlers = make_agent()
    rid = agent.store.put(b"\x00\x01" * 40_000, {"scenario": "x"})
    assert [entry["id"] for entry in handlers["results.list"]({}, ctx)["results"]] == [rid]
    assert handlers["results.get"]({"id": rid}, ctx) == {"id": rid, "data": b"\x00\x01" * 40_000}
    assert handlers["results.delete"]({"id": rid}, ctx) == {}
    for op, args, code in (("results.get", {"id": rid}, "not-found"),
                           ("results.delete", {"id": rid}, "not-found"),
                           ("results.get", {"id": "../x"}, "bad-argument"),
                           ("results.get", {}, "bad-argument")):
        with pytest.raises(OpError) as caught:
            handlers[op](args, ctx)
        assert caught.value.code == code


@pytest.mark.parametrize(("shape", "value"), [
    (Integer(1, 10), 11), (Integer(1, 10), True), (Integer(1, 10), "5"),
    (Number(1, 10), 0.5), (Number(1, 10), float("nan")), (Boolean(), 1),
    (CpuList(4095), "0-3;reboot"), (CpuList(4095), "5000"), (CpuList(4095), "all"),
    (CpuList(4095), "0-4000000000"), (Choice(("a", "b")), "c"), (Text(), 5),
])
def test_bad_argument_values(shape, value):
    reader = ArgReader("op", {"x": value}, {"x": Arg(shape)})
    with pytest.raises(OpError) as caught:
        reader.get("x")
    assert caught.value.code == "bad-argument" and "op: x: must be" in caught.value.message


@pytest.mark.parametrize("labels", [
    {"scenario": "two\nlines"}, {"k": "\x1b[2J"}, {"-x": "y"}, {"k": "v" * 65}, {"k": 3},
    {f"k{i}": "v" for i in range(17)}, "scenario=idle",
])
def test_bad_labels(labels):
    with pytest.raises(OpError, match="label"):
        ArgReader("measure", {"labels": labels}).get("labels")


@pytest.mark.parametrize("args", [{1: 2, "a": 3}, {(1,): 2}, [1], "x"])
def test_malformed_requests_are_bad_arguments(args):
    with pytest.raises(OpError) as caught:
        ArgReader("measure", args)
    assert caught.value.code == "bad-argument"


def test_good_arguments_are_normalised():
    spec = {"cpus": Arg(CpuList(4095)), "all": Arg(CpuList(4095, allow_all=True)),
            "n": Arg(Integer(1, 5)), "f": Arg(Number(1, 5)), "missing": Arg(Integer(1, 5))}
    reader = ArgReader("op", {"cpus": "3,0-1,2", "all": "all", "n": 3, "f": 2}, spec)
    assert reader.get("cpus") == "0-3"
    assert reader.get("all") == "all"
    assert reader.get("n") == 3 and reader.get("f") == 2.0
    assert reader.get("missing") is None
    with pytest.raises(OpError, match=r"1\.\.2, not 3"):
        reader.get("n", high=2)


class FakeBlocksys:
    """/dev/blocksys as the module behaves: blocks, then reports key=value statistics."""

    def __init__(self, path, fail_with=None):
        self.path, self.fail_with, self.commands = path, fail_with, []

    def block(self, command):
        if self.fail_with:
            raise OpError(*self.fail_with)
        self.commands.append(command)
        requested_ns = int(command.split("us")[0]) * 1000
        return parse_stats(f"count={len(self.commands)}\nlast_requested_ns={requested_ns}\n"
                           f"last_actual_ns={requested_ns + len(self.commands)}\nlast_cpus=0-3\n")


def test_blocksys_is_refused_unless_enabled(make_agent, ctx):
    _, handlers = make_agent()
    with pytest.raises(OpError) as caught:
        handlers["blocksys"]({"duration_us": 1000}, ctx)
    assert caught.value.code == "blocksys-disabled"


def test_blocksys_repeats_with_period(make_agent, ctx):
    agent, handlers = make_agent(blocksys_enabled=True)
    devices = []
    agent.blocksys_device = lambda path: devices.append(FakeBlocksys(path)) or devices[-1]
    reply = handlers["blocksys"]({"duration_us": 500, "cpus": "1,2", "repeat": 3,
                                  "period_ms": 20}, ctx)
    assert devices[0].commands == ["500us cpus=1-2"] * 3
    assert reply == {"requested_ns": 500_000, "actual_ns": 500_003, "actual_max_ns": 500_003,
                     "count": 3, "cancelled": False}
    assert [event["index"] for event in ctx.events] == [0, 1, 2]


def test_blocksys_limits_and_cancel(make_agent, ctx):
    agent, handlers = make_agent(blocksys_enabled=True, max_blocksys_us=1000)
    agent.blocksys_device = FakeBlocksys
    with pytest.raises(OpError, match="duration_us"):
        handlers["blocksys"]({"duration_us": 1001}, ctx)
    ctx.cancelled.set()
    reply = handlers["blocksys"]({"duration_us": 10, "repeat": 100}, ctx)
    assert reply["count"] == 0 and reply["cancelled"] is True


def test_blocksys_device_errors_are_typed(make_agent, ctx, tmp_path):
    _, handlers = make_agent(blocksys_enabled=True, blocksys_device=str(tmp_path / "absent"))
    with pytest.raises(OpError) as caught:
        handlers["blocksys"]({"duration_us": 100}, ctx)
    assert caught.value.code == "blocksys-not-loaded"
    assert "modprobe blocksys" in caught.value.message


def test_blocksys_errno_mapping(tmp_path, monkeypatch):
    from rtvirt_agent.ops import blocksys

    def refuse(*args):
        raise OSError(errno.EBUSY, "Device or resource busy")

    monkeypatch.setattr(blocksys.os, "open", refuse)
    with pytest.raises(OpError) as caught:
        blocksys.BlocksysDevice("/dev/blocksys").block("10us")
    assert caught.value.code == "busy"
