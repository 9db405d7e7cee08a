"""Where a scenario measures, and the agent call that measures there.

A place is written ``KIND`` or ``KIND:NAME``: ``host`` (the target's agent itself),
``container`` (the same agent, the core in an OCI container), ``cell:NAME`` (a Jailhouse
cell, relayed by the root cell's agent: docs/inmate.md), ``vm:NAME`` (a KVM guest, relayed
by the host's agent: docs/kvm.md). Each kind is one row of PLACES.
"""

from dataclasses import dataclass, field

from rtvirt_agent.wire.errors import UsageError

# The measure op's arguments (docs/agent.md) as the demo uses them on a Linux agent: one
# SCHED_FIFO 99 thread per CPU, 1 ms interval (gentle enough for an emulated CPU), 400 µs
# histogram as in the seed.
MEASURE_DEFAULTS = {
    "affinity": None, "threads": None, "smp": True, "priority": 99, "interval_us": 1000,
    "distance_us": 0, "loops": None, "histogram_us": 400, "mlock": True, "pm_qos": True,
    "container": False,
}


@dataclass(frozen=True)
class Place:
    """How to measure in one kind of place: the op, the arguments every request carries
    (``name_arg``: the argument naming the cell or guest), and how long beyond the run's
    own length a reply may take (``slowdown`` × duration + ``margin_s``)."""

    op: str
    defaults: dict = field(default_factory=dict)
    name_arg: str | None = None
    slowdown: float = 1.0
    margin_s: float = 60.0


PLACES = {
    "host": Place("measure", MEASURE_DEFAULTS),
    "container": Place("measure", {**MEASURE_DEFAULTS, "container": True}),
    # a bare-metal inmate refuses Linux-only arguments: a cell gets only what is asked for;
    # relayed samples and records cross a slow link under emulation
    "cell": Place("cell.measure", name_arg="cell", slowdown=4.0, margin_s=120.0),
    # a KVM guest's agent is Linux's; under nested emulation its runs overrun a lot
    "vm": Place("vm.measure", MEASURE_DEFAULTS, name_arg="vm", slowdown=6.0, margin_s=300.0),
}


def place_kind(where):
    return where.partition(":")[0]


def check_where(where):
    """``where`` if it names a known kind (with a name exactly when the kind needs one)."""
    kind, _, name = where.partition(":")
    place = PLACES.get(kind)
    if place is None:
        raise UsageError(f"unknown place {where!r}: choose one of "
                         + ", ".join(f"{k}:NAME" if p.name_arg else k for k, p in PLACES.items()))
    if bool(place.name_arg) != bool(name):
        raise UsageError(f"place {where!r}: " + (f"{kind}:NAME needs a name" if place.name_arg
                                                  else f"{kind} takes no name"))
    return where


def measure_call(where, args, duration_s, labels):
    """``(op, request, timeout_s)`` of a measurement of ``duration_s`` seconds at ``where``."""
    kind, _, name = check_where(where).partition(":")
    place = PLACES[kind]
    request = {**place.defaults, **args, "duration_s": float(duration_s), "labels": labels}
    if place.name_arg:
        request[place.name_arg] = name
    return place.op, request, duration_s * place.slowdown + place.margin_s
