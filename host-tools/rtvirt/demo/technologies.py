"""The seed's comparison of technologies, filled from this run's results.

Rows: Docker, KVM, Jailhouse. Columns: real time in the guest (a SCHED_FIFO measurement ran
there), the same latency as on the host (the guest's worst latency idle within
SAME_LATENCY_FACTOR of the host's), separation (blocksys on the host's CPUs does not reach
the guest). Each cell names the results it rests on; a cell whose scenarios did not run in
this demo says so.
"""

import html
import sys
from dataclasses import dataclass

from rtvirt.demo.blocks import reached
from rtvirt.demo.disturbance import Blocksys
from rtvirt.report.table import format_us
from rtvirt.tables import Column, emit

SAME_LATENCY_FACTOR = 1.5
NOT_MEASURED = "not measured in this run"
COLUMNS = ("real time in the guest", "same latency as on the host", "separation")
RULES = (f"same latency: the guest's worst latency idle within ×{SAME_LATENCY_FACTOR:g} of the "
         "host's; separation: host blocks give the guest no more latencies of 90 % of a block "
         "than it has idle (a quarter of the blocks tolerated: emulated vCPUs stall on their "
         "own)")


@dataclass(frozen=True)
class Technology:
    """Which scenarios measure the host idle, the guest idle, and the guest while blocksys
    blocks the host's CPUs."""

    name: str
    host_idle: tuple
    guest_idle: tuple
    guest_blocked: tuple


TECHNOLOGIES = (
    Technology("Docker", ("idle",), ("container",), ("container-blocksys",)),
    Technology("KVM", ("kvm-host-idle",), ("kvm-guest-idle",), ("kvm-host-blocksys",)),
    Technology("Jailhouse", ("jailhouse-root-idle",),
               ("jailhouse-baremetal-idle", "jailhouse-linux-idle"),
               ("jailhouse-baremetal-blocksys", "jailhouse-linux-blocksys")),
)


@dataclass(frozen=True)
class Cell:
    text: str
    evidence: tuple = ()   # result ids


def comparison(outcomes):
    """``[(technology name, (Cell, Cell, Cell))…]`` from the demo's outcomes."""
    by_name = {outcome.scenario.name: outcome for outcome in outcomes}
    return [(tech.name, (realtime(tech, by_name), same_latency(tech, by_name),
                         separation(tech, by_name))) for tech in TECHNOLOGIES]


def _runs(by_name, names):
    return [run for name in names if name in by_name for run in by_name[name].runs]


def _worst(runs):
    return max(cpu.max_ns for run in runs for cpu in run.cpus)


def _ids(*runs):
    return tuple(run.result_id for run in runs)


def realtime(tech, by_name):
    guest = _runs(by_name, tech.guest_idle)
    if not guest:
        return Cell(NOT_MEASURED)
    fifo = [run for run in guest if run.params.get("priority", 99) > 0]
    verdict = "yes" if len(fifo) == len(guest) else "no"
    return Cell(f"{verdict}: SCHED_FIFO measurement, worst {format_us(_worst(guest))} µs",
                _ids(*guest))


def same_latency(tech, by_name):
    host, guest = _runs(by_name, tech.host_idle), _runs(by_name, tech.guest_idle)
    if not host or not guest:
        return Cell(NOT_MEASURED)
    host_ns, guest_ns = _worst(host), _worst(guest)
    factor = guest_ns / max(host_ns, 1)
    verdict = "yes" if factor <= SAME_LATENCY_FACTOR else "no"
    return Cell(f"{verdict}: worst {format_us(guest_ns)} µs vs {format_us(host_ns)} µs on the "
                f"host (×{factor:.1f})", _ids(*guest, *host))


def separation(tech, by_name):
    """Blocks reach the guest when its latencies at block length outnumber those idle by a
    quarter of the blocks planned (emulated vCPUs stall on their own now and then)."""
    outcomes = [by_name[name] for name in tech.guest_blocked if name in by_name]
    blocked = [run for outcome in outcomes for run in outcome.runs]
    if not blocked:
        return Cell(NOT_MEASURED)
    idle = _runs(by_name, tech.guest_idle)
    block = next(d for o in outcomes for d in o.scenario.disturbances if isinstance(d, Blocksys))
    extra = _hits(blocked, block.duration_us) - _hits(idle, block.duration_us)
    planned = block.repeat_for(blocked[0].duration_s)
    if extra > planned / 4:
        text = (f"no: {extra} latencies of a {block.duration_us / 1000:g} ms host block "
                f"reached the guest (worst {format_us(_worst(blocked))} µs)")
    else:
        text = (f"yes: {block.duration_us / 1000:g} ms host blocks did not reach the guest "
                f"(worst {format_us(_worst(blocked))} µs)")
    return Cell(text, _ids(*blocked, *idle))


def _hits(runs, block_us):
    return sum(count or 0 for run in runs for count in reached(run, block_us).values())


def print_comparison(rows, emulated, fmt=None, stream=None):
    """The comparison as a table (``tables.emit``: plain and untruncated when not on a
    terminal), then the rules it was judged by."""
    stream = stream or sys.stdout
    columns = [Column("Technology", "technology"), *(Column(name, name) for name in COLUMNS)]
    emit(columns, [{"technology": name, **{column: _text_with_evidence(cell)
                                           for column, cell in zip(COLUMNS, cells, strict=True)}}
                   for name, cells in rows], fmt=fmt, stream=stream,
         title="The seed's comparison, from this run" +
               (" (emulated (TCG): effects, not hardware latencies)" if emulated else ""))
    stream.write(RULES + "\n")


def _text_with_evidence(cell):
    if not cell.evidence:
        return cell.text
    return f"{cell.text} (results {', '.join(i[:12] for i in cell.evidence)})"


def html_comparison(rows):
    """The same table as an HTML fragment; evidence links to the runs' sections."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in ("Technology", *COLUMNS))
    body = "".join(
        f"<tr><td>{html.escape(name)}</td>"
        + "".join(f"<td>{_html_cell(cell)}</td>" for cell in cells) + "</tr>"
        for name, cells in rows)
    return f"<table><tr>{head}</tr>{body}</table><p><small>{html.escape(RULES)}</small></p>"


def _html_cell(cell):
    links = ", ".join(f'<a href="#{html.escape(i)}">{html.escape(i[:12])}</a>'
                      for i in cell.evidence)
    return html.escape(cell.text) + (f"<br><small>results {links}</small>" if links else "")
