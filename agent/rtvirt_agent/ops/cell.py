"""CELLS and CELL.MEASURE: measuring inside a Jailhouse cell through the root cell's agent.

The agent in the root cell lists the cells Jailhouse runs (sysfs), and relays a measurement
over the cell's ivshmem link. To a bare-metal inmate (agent/inmate) it sends the command,
drains every sample from the link's ring (progress events), receives the inmate's result
record, adds the host's labels and the cell's name, and stores it like any other result; to
a Linux inmate's agent it passes the measure op on (rtvirt_agent.cell.relay). Which link
belongs to which cell, and what runs there, is said in /etc/rtvirt/cells.toml (docs/inmate.md).
"""

import os
import threading
import time
import tomllib

from rtvirt_agent.cell.link import CellLink, SectionMap, uio_rw_section
from rtvirt_agent.cell.relay import relay_to_agent
from rtvirt_agent.protocol.rpc import OpError
from rtvirt_agent.sysinfo.fs import SysRoot
from rtvirt_agent.sysinfo.identity import identity_labels
from rtvirt_agent.wire.cell_command import LIMITS
from rtvirt_agent.wire.cpulist import parse_cpulist
from rtvirt_agent.wire.errors import ProtocolError, RtvirtError, UsageError
from rtvirt_agent.wire.opspec import BARE_METAL_ARGS
from rtvirt_agent.wire.result import build_result, parse_result

from .args import ArgReader, bad_argument

CELLS_DIR = "sys/devices/jailhouse/cells"
CELLS_FILE = "etc/rtvirt/cells.toml"
# measure arguments a bare-metal inmate cannot honour, with the values it does honour: it
# runs one thread at the top priority on its cell's one CPU
NOT_FOR_BARE_METAL = {"affinity": (None,), "threads": (None, 1), "priority": (None, 99),
                      "distance_us": (None,), "container": (None, False),
                      "stream": (None, False), "stream_slots": (None,),
                      "priospread": (None, False), "break_us": (None,)}
# ... and those it has no use for: one thread per CPU is what it does (smp), its memory is
# static (mlock), PM QoS and printouts do not exist
MOOT_FOR_BARE_METAL = ("smp", "mlock", "pm_qos", "text")
INMATES = ("bare-metal", "linux")
STALE_S = 2.0          # an inmate whose heartbeat stands still this long has stopped
POLL_S = 0.02
PROGRESS_S = 0.5
SLACK_S = 30.0         # beyond the run's own length, for the record to arrive
_busy, _busy_lock = set(), threading.Lock()   # cells with a relayed run in progress


def list_cells(sysroot):
    """[{"id", "name", "state", "cpus"}] of the cells Jailhouse runs; UsageError without it."""
    top = os.path.join(sysroot, CELLS_DIR)
    if not os.path.isdir(top):
        raise OpError("jailhouse-not-enabled", "Jailhouse is not enabled on this target "
                                               "(no /sys/devices/jailhouse/cells)")
    cells = []
    for entry in sorted(os.listdir(top), key=lambda name: int(name) if name.isdigit() else 0):
        def read(name, entry=entry):
            with open(os.path.join(top, entry, name)) as attribute:
                return attribute.read().strip()
        cells.append({"id": int(entry), "name": read("name"), "state": read("state"),
                      "cpus": read("cpus_assigned_list")})
    return cells


def find_running_cell(cells, name):
    """The cell called ``name`` if it is running; else OpError listing every cell's state."""
    listing = ", ".join(f"{cell['name']} ({cell['state']})" for cell in cells) or "none"
    for cell in cells:
        if cell["name"] == name:
            if cell["state"] != "running":
                raise OpError("cell-not-running", f"cell {name} is {cell['state']}, not "
                                                  f"running; cells: {listing}")
            return cell
    raise OpError("not-found", f"no cell {name!r}; cells: {listing}")


def link_spec(sysroot, name):
    """(inmate kind, (device, offset, size) of the read-write section of ``name``'s link),
    from cells.toml."""
    path = os.path.join(sysroot, CELLS_FILE)
    try:
        with open(path, "rb") as file:
            cells = tomllib.load(file).get("cells", {})
    except FileNotFoundError:
        raise OpError("no-link", f"{path} is missing: it names each cell's ivshmem link") \
            from None
    except tomllib.TOMLDecodeError as error:
        raise OpError("no-link", f"{path}: {error}") from None
    spec = cells.get(name)
    if not isinstance(spec, dict) or not ("pci" in spec or "mem" in spec):
        raise OpError("no-link", f"{path} has no [cells.{name}] with pci = \"DDDD:BB:DD.F\" "
                                 f"or mem = [address, size]")
    kind = spec.get("inmate", "bare-metal")
    if kind not in INMATES or (kind == "linux" and "pci" not in spec):
        raise OpError("no-link", f"{path}: [cells.{name}] inmate must be one of "
                                 f"{', '.join(INMATES)} (linux with a pci link), not {kind!r}")
    if "pci" in spec:
        try:
            return kind, uio_rw_section(sysroot, str(spec["pci"]))
        except UsageError as error:
            raise OpError("cell-link", f"cell {name}: {error}") from None
    address, size = spec["mem"]
    return kind, (os.path.join(sysroot, "dev/mem"), int(address), int(size))


def open_link(name, section):
    try:
        link = CellLink(SectionMap(*section))
    except (UsageError, ProtocolError) as error:
        raise OpError("cell-link", f"cell {name}: {error}") from None
    if not link.heartbeat_moves(STALE_S):
        raise OpError("cell-stopped", f"the inmate of cell {name} is stopped: the heartbeat "
                                      f"of its link has not moved for {STALE_S:g} s")
    return link


def command_arguments(reader):
    """The inmate's command fields (without run_id, realtime_ns, cpu) and the run's length."""
    interval_us = reader.get("interval_us")
    loops = reader.get("loops")
    duration_s = reader.get("duration_s")
    if loops is None:
        loops = max(1, round((duration_s or 10.0) * 1e6 / interval_us))
        loops = min(loops, LIMITS["loops"][1])
    command = {"interval_us": interval_us, "loops": loops,
               "histogram_us": reader.get("histogram_us"),
               "overflow_cap": reader.get("overflow_cap")}
    return command, loops * interval_us / 1e6


class SampleStats:
    """Live figures from the relayed samples, for the progress events. Missed periods show
    as gaps between consecutive period starts (wakeup time - latency), whole intervals."""

    def __init__(self, cpu, interval_us):
        self.cpu, self.interval_ns = cpu, interval_us * 1000
        self.cycles = self.total = self.min = self.max = self.act = self.missed = 0
        self.expected_seq, self.missing, self.last_start = 0, 0, None

    def add(self, samples):
        for seq, time_ns, latency, _cpu in samples:
            start, follows = time_ns - latency, seq == self.expected_seq
            if follows and self.last_start is not None:
                self.missed += max(0, round((start - self.last_start) / self.interval_ns) - 1)
            self.missing += seq - self.expected_seq
            self.expected_seq, self.last_start = seq + 1, start
            self.min = latency if not self.cycles else min(self.min, latency)
            self.max, self.act = max(self.max, latency), latency
            self.cycles += 1
            self.total += latency

    def event(self):
        return {"threads": [{"t": 0, "cpu": self.cpu, "cycles": self.cycles, "min_ns": self.min,
                             "act_ns": self.act, "avg_ns": self.total // max(self.cycles, 1),
                             "max_ns": self.max, "missed": self.missed}]}


def _await_record(link, ctx, run_id, stats, length_s):
    """The inmate's record of ``run_id``, relaying samples meanwhile; OpError when it stops."""
    pending, deadline = bytearray(), time.monotonic() + length_s + SLACK_S
    beat, beat_at, shown = link.heartbeat(), time.monotonic(), time.monotonic()
    while True:
        now = time.monotonic()
        if ctx.cancelled.is_set():
            raise OpError("cancelled", "cell.measure was cancelled (the inmate finishes its run)")
        if now > deadline:
            raise OpError("timeout", f"the inmate sent no result within {length_s + SLACK_S:g} s")
        if link.heartbeat() != beat:
            beat, beat_at = link.heartbeat(), now
        elif now - beat_at > STALE_S:
            raise OpError("cell-stopped", f"the inmate stopped during the run: its heartbeat "
                                          f"has not moved for {STALE_S:g} s")
        stats.add(link.samples())
        if now - shown >= PROGRESS_S:
            ctx.emit(stats.event())
            shown = now
        record = link.read_record(pending)
        if record is not None and parse_result(record)["labels"].get("run") == str(run_id):
            stats.add(link.samples())
            ctx.emit(stats.event())
            return record
        time.sleep(POLL_S)


def bare_metal_arguments(name, args):
    """The arguments a bare-metal inmate takes; bad-argument naming any it cannot honour."""
    asked = sorted(key for key, honoured in NOT_FOR_BARE_METAL.items()
                   if args.get(key) not in honoured)
    if asked:
        raise bad_argument("cell.measure", f"cell {name} runs the bare-metal inmate: "
                                           f"{', '.join(asked)} do not apply (it takes "
                                           f"{', '.join(list(BARE_METAL_ARGS)[1:])})")
    return {key: value for key, value in args.items()
            if key not in NOT_FOR_BARE_METAL and key not in MOOT_FOR_BARE_METAL}


def cell_measure(agent, args, ctx):
    """Relay ``measure`` into a cell: the host sends the measure op's arguments plus "cell"."""
    if not isinstance(args, dict):
        raise bad_argument("cell.measure", "arguments must be a table")
    name = ArgReader("cell.measure", {"cell": args.get("cell")},
                     {"cell": BARE_METAL_ARGS["cell"]}).get("cell")
    cell = find_running_cell(list_cells(agent.sysroot), name)
    kind, section = link_spec(agent.sysroot, name)
    with _busy_lock:
        if name in _busy:
            raise OpError("busy", f"cell {name} is measuring for another request")
        _busy.add(name)
    try:
        if kind == "linux":
            measure_args = {key: value for key, value in args.items() if key != "cell"}
            reply, result = relay_to_agent(ctx, name, section, measure_args)
            return {**reply, **store_relayed_result(agent, result, {"cell": name})}
        reader = ArgReader("cell.measure", bare_metal_arguments(name, args), BARE_METAL_ARGS)
        command, length_s = command_arguments(reader)
        return _relay(agent, ctx, cell, open_link(name, section), command, length_s,
                      reader.get("labels"))
    finally:
        with _busy_lock:
            _busy.discard(name)


def _relay(agent, ctx, cell, link, command, length_s, labels):
    """Send the command to the cell's inmate, relay its samples, store its record."""
    name = cell["name"]
    cpu = parse_cpulist(cell["cpus"])[0]
    run_id = (ctx.req_id ^ time.monotonic_ns()) & 0x7FFFFFFF
    stats = SampleStats(cpu, command["interval_us"])
    try:
        link.send(run_id=run_id, realtime_ns=time.time_ns(), cpu=cpu, **command)
        record = _await_record(link, ctx, run_id, stats, length_s)
        lost = link.lost
    except RtvirtError as error:  # a peer fault of the inmate
        raise OpError("cell-link", f"cell {name}: {error}") from None
    result = parse_result(record)
    result["labels"] = {**result["labels"], **labels}
    stored = store_relayed_result(agent, result, {"cell": name})
    thread = result["threads"][0]
    text = (f"T: 0 (    0) P:{thread['priority']} I:{thread['interval_us']} "
            f"C:{thread['cycles']:>8} Min:{thread['min_ns'] // 1000:>7} "
            f"Act:{stats.act // 1000:>5} Avg:{thread['avg_ns'] // 1000:>5} "
            f"Max:{thread['max_ns'] // 1000:>8}\n")
    return {**stored, "exit_status": 0, "text": text, "samples": stats.cycles,
            "samples_missing": stats.missing, "samples_lost": lost}


def store_relayed_result(agent, result, where):
    """Store a relayed parsed record here, labelled with the board's identity and ``where``
    (``{"cell": name}``, ``{"vm": name}``): the reply's id fields."""
    identity = identity_labels(SysRoot(agent.sysroot))
    result["labels"] = {**result["labels"], **identity, **where}
    record = build_result(result)
    return {"result_id": agent.store.put(record, result["labels"]), "size": len(record),
            **where}


def handlers(agent):
    return {"cells": lambda args, ctx: {"cells": list_cells(agent.sysroot)},
            "cell.measure": lambda args, ctx: cell_measure(agent, args, ctx)}
