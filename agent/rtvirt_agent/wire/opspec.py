"""Every op's arguments and reply, described once (docs/agent.md is the prose).

The agent reads requests through it (``rtvirt_agent.ops.args``), the host derives its
command-line checks from it (``rtvirt.flags``) and checks every reply and event against it
(``check_reply``, ``check_event``); tests/core holds the C core's limits against the measure
arguments. An argument's range here is the protocol's; an agent may narrow it further from
agent.toml (``limits.max_duration_s`` …), never widen it.
"""

from dataclasses import dataclass, field

from rtvirt_agent.wire.cell_command import LIMITS as INMATE_LIMITS
from rtvirt_agent.wire.cpulist import MAX_CPU
from rtvirt_agent.wire.errors import PeerFault
from rtvirt_agent.wire.shapes import (
    Anything,
    Blob,
    Boolean,
    Choice,
    CpuList,
    Integer,
    Labels,
    ListOf,
    MapOf,
    Maybe,
    Number,
    Record,
    ShapeError,
    Text,
)

REQUIRED = object()
CORE_MAX_CPU = 1023  # the core pins with a glibc cpu_set_t: CPU_SETSIZE (1024) CPUs
LOAD_PROFILES = ("llc-stress", "cpu", "memory", "cache")
# ops vm.call passes on to a guest's agent: what a scenario disturbing or describing the
# guest needs (measure goes through vm.measure, which stores the record on the host)
RELAYED_TO_VMS = ("sysinfo", "blocksys")
MAX_REPLY_TEXT = 64 * 1024
MAX_RECORD = 64 << 20


@dataclass(frozen=True)
class Arg:
    shape: object
    default: object = None


@dataclass(frozen=True)
class Op:
    args: dict = field(default_factory=dict)
    reply: object = field(default_factory=Record)
    event: object = None  # shape of its progress events; None: it sends none
    idempotent: bool = False  # may be sent again after a session change


RESULT_ID = Text(64, pattern="[0-9a-f]{64}")
CPU_ARG = CpuList(MAX_CPU)
ARG_LABELS = Arg(Labels(), {})

MEASURE_ARGS = {
    "affinity": Arg(CpuList(CORE_MAX_CPU, allow_all=True)),
    "threads": Arg(Integer(0, CORE_MAX_CPU + 1)),  # 0: one per CPU (cyclictest's bare -t)
    "smp": Arg(Boolean(), False),
    "priority": Arg(Integer(0, 99), 0),  # cyclictest's default: 0, SCHED_OTHER
    "priospread": Arg(Boolean(), False),
    "interval_us": Arg(Integer(10, 10_000_000), 1000),
    "distance_us": Arg(Integer(0, 10_000_000)),
    "loops": Arg(Integer(1, 10**12)),
    "duration_s": Arg(Number(1, 7 * 86400)),
    "histogram_us": Arg(Integer(1, 1_000_000)),
    "break_us": Arg(Integer(1, 10_000_000)),
    "mlock": Arg(Boolean(), True),
    "pm_qos": Arg(Boolean(), True),
    "labels": ARG_LABELS,
    "container": Arg(Boolean(), False),
    "stream": Arg(Boolean(), False),
    "stream_slots": Arg(Integer(1, 2**32 - 1)),  # overload tests
    "text": Arg(Choice(("summary", "full")), "summary"),
}
# what a bare-metal inmate takes (cell.measure to such a cell; its own limits, cell_link.h)
BARE_METAL_ARGS = {
    "cell": Arg(Text(64), REQUIRED),
    "interval_us": Arg(Integer(*INMATE_LIMITS["interval_us"]), 1000),
    "loops": Arg(Integer(*INMATE_LIMITS["loops"])),
    "duration_s": Arg(Number(0.001, 86400)),
    "histogram_us": Arg(Integer(*INMATE_LIMITS["histogram_us"]), 10000),
    "overflow_cap": Arg(Integer(*INMATE_LIMITS["overflow_cap"]), 1024),
    "labels": ARG_LABELS,
}

PROGRESS = Record({"threads": ListOf(Record({
    "cpu": Integer(-1, MAX_CPU),  # -1: a thread not pinned
    **{name: Integer(0, 2**64) for name in ("cycles", "min_ns", "act_ns", "avg_ns", "max_ns",
                                            "missed")}}), CORE_MAX_CPU + 1)})
MEASURED = Record({"result_id": RESULT_ID, "size": Integer(1, MAX_RECORD),
                   "exit_status": Integer(-64, 255), "text": Text(MAX_REPLY_TEXT),
                   "text_truncated": Maybe(Boolean())})
LOAD_STOPPED = Record({"load_id": Integer(1, 2**31), "profile": Text(64),
                       "exit_status": Maybe(Integer(-64, 255)), "stderr": Text(4096)})
CPU_FACT = Maybe(CpuList(MAX_CPU, allow_empty=True))
SYSINFO = Record({
    **{name: Maybe(Text(4096)) for name in (
        "kernel_release", "kernel_version", "rcu_nocbs", "smt_control", "clocksource",
        "cpu_dma_latency_error", "virtualization", "hostname", "machine_model")},
    "cmdline": Maybe(Text(65536)),
    "preempt_rt": Maybe(Record({"active": Maybe(Boolean()), "source": Maybe(Text(16))})),
    **{name: CPU_FACT for name in ("cpus_online", "cpus_isolated", "nohz_full",
                                   "irq_default_affinity")},
    "irqs_on_isolated": Maybe(ListOf(Record({"irq": Anything(), "affinity": Maybe(Text(4096)),
                                             "effective": Maybe(Text(4096)),
                                             "desc": Maybe(Text(4096))}), 65536)),
    "cpufreq_governors": Maybe(MapOf(Text(8), Text(64))),
    **{name: Maybe(Boolean()) for name in ("smt", "timer_migration",
                                           "cpu_dma_latency_openable")},
    "sched_rt_runtime_us": Maybe(Integer(-1, 2**63)),
    "clocksources_available": Maybe(ListOf(Text(64), 64)),
    "virtualization_evidence": Maybe(ListOf(Text(4096), 64)),
    "mem_total_kb": Maybe(Integer(0, 2**63)),
    "loadavg": Maybe(ListOf(Number(0, 1e9), 3)),
})
RESULT_ENTRY = Record({"id": RESULT_ID, "size": Integer(0, MAX_RECORD),
                       "created": Number(0, 2**40), "labels": MapOf(Text(64), Text(256), 64)})
CELL = Record({"id": Integer(0, 2**31), "name": Text(64), "state": Text(64),
               "cpus": CpuList(MAX_CPU, allow_empty=True)})

OPS = {
    "hello": Op(reply=Record({
        "agent_version": Text(64), "protocol_version": Integer(0, 2**16),
        "hostname": Text(255), "ops": ListOf(Text(64), 256),
        "blocksys_enabled": Boolean(), "core": Maybe(Text(4096))}), idempotent=True),
    "cancel": Op({"req_id": Arg(Integer(0, 2**64), REQUIRED)}, idempotent=True),
    "sysinfo": Op(reply=SYSINFO, idempotent=True),
    "measure": Op(MEASURE_ARGS, MEASURED, PROGRESS),
    "load": Op({"profile": Arg(Choice(LOAD_PROFILES), REQUIRED),
                "cpus": Arg(CPU_ARG, REQUIRED),
                "duration_s": Arg(Number(1, 7 * 86400), REQUIRED),
                "workers": Arg(Integer(1, 1024)),
                "wait": Arg(Boolean(), False)},
               Record({"load_id": Integer(1, 2**31)}),
               Record({"load_id": Integer(1, 2**31)})),
    "load.stop": Op({"load_id": Arg(Integer(1, 2**31), REQUIRED)}, LOAD_STOPPED),
    "blocksys": Op({"duration_us": Arg(Integer(1, 10_000_000), REQUIRED),
                    "cpus": Arg(CpuList(MAX_CPU, allow_all=True), "all"),
                    "repeat": Arg(Integer(1, 1_000_000), 1),
                    "period_ms": Arg(Integer(0, 3_600_000), 0)},
                   Record({"requested_ns": Integer(0, 2**63),
                           "actual_ns": Maybe(Integer(0, 2**63)),
                           "actual_max_ns": Maybe(Integer(0, 2**63)),
                           "count": Integer(0, 1_000_000), "cancelled": Boolean()}),
                   Record({"index": Integer(0, 1_000_000),
                           "actual_ns": Maybe(Integer(0, 2**63))})),
    "results.list": Op(reply=Record({"results": ListOf(RESULT_ENTRY)}), idempotent=True),
    "results.get": Op({"id": Arg(RESULT_ID, REQUIRED)},
                      Record({"id": RESULT_ID, "data": Blob(MAX_RECORD)}), idempotent=True),
    "results.delete": Op({"id": Arg(RESULT_ID, REQUIRED)}, idempotent=True),
    "cells": Op(reply=Record({"cells": ListOf(CELL, 256)}), idempotent=True),
    "cell.measure": Op({"cell": Arg(Text(64), REQUIRED), **MEASURE_ARGS},
                       Record({**MEASURED.fields, "cell": Text(64)}), PROGRESS),
    "vms": Op(reply=Record({"vms": ListOf(Record({"name": Text(64), "state": Text(64)}),
                                          256)}), idempotent=True),
    "vm.measure": Op({"vm": Arg(Text(64), REQUIRED), **MEASURE_ARGS},
                     Record({**MEASURED.fields, "vm": Text(64)}), PROGRESS),
    # the guest's reply and events are checked against the relayed op's shapes by the
    # relaying agent's client; here they only need to be tables
    "vm.call": Op({"vm": Arg(Text(64), REQUIRED), "op": Arg(Choice(RELAYED_TO_VMS), REQUIRED),
                   "args": Arg(MapOf(Text(64), Anything(), 64), {})}, Record(), Record()),
}


def is_idempotent(op):
    """Whether the client may send ``op`` again after a session change."""
    return op in OPS and OPS[op].idempotent


def _checked(op, shape, body, what):
    try:
        return shape.check(body, "")
    except ShapeError as error:
        raise PeerFault(f"peer fault: the agent's {what} to {op!r}: {error}") from None


def check_reply(op, body):
    """``body`` if it has ``op``'s reply shape, else PeerFault (ops not described pass)."""
    return _checked(op, OPS[op].reply, body, "reply") if op in OPS else body


def check_event(op, body):
    """``body`` if it is one of ``op``'s progress events, else PeerFault."""
    spec = OPS.get(op)
    if spec is None:
        return body
    if spec.event is None:
        raise PeerFault(f"peer fault: the agent sent an event for {op!r}, which has none")
    return _checked(op, spec.event, body, "event")
