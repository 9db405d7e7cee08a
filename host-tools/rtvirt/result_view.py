"""How one result is shown to a person: the facts of its run and its per-thread figures
(``rtvirt results show`` and the summary at the end of ``rtvirt measure``)."""

import datetime

from rtvirt.report.run import Run
from rtvirt.report.table import format_us
from rtvirt.tables import Column
from rtvirt.terminal import printable

THREAD_COLUMNS = (
    Column("T", "index", str, right=True),
    Column("CPU", "cpu", lambda cpu: "unpinned" if cpu < 0 else str(cpu), right=True),
    Column("prio", "priority", str, right=True),
    Column("cycles", "cycles", str, right=True),
    Column("min µs", "min_ns", format_us, right=True),
    Column("avg µs", "avg_ns", format_us, right=True),
    Column("p99 µs", "p99_ns", format_us, right=True),
    Column("p99.9 µs", "p99_9_ns", format_us, right=True),
    Column("p99.99 µs", "p99_99_ns", format_us, right=True),
    Column("max µs", "max_ns", format_us, right=True),
    Column("missed", "missed", str, right=True),
    Column("overflows", "overflow_total", str, right=True),
)




def pm_qos_text(record):
    qos = record["pm_qos"]
    return "held at 0 µs" if qos["held"] else f"not held: {qos['error']}"


def end_of_run(record):
    """The line under ``rtvirt measure``'s T: lines."""
    missed = sum(thread["missed"] for thread in record["threads"])
    return printable(f"PM QoS {pm_qos_text(record)}; {missed} missed period(s); "
                     f"stop: {record['stop_reason']}")


def describe_run(rid, record):
    """The lines above ``results show``'s table: what ran, where, when, how it ended."""
    run = Run.from_result(record, rid)
    started = datetime.datetime.fromtimestamp(record["start_realtime_ns"] / 1e9,
                                              tz=datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    labels = " ".join(f"{k}={v}" for k, v in sorted(record["labels"].items())) or "none"
    lines = [f"result   {rid}",
             f"command  {record['command']}",
             f"started  {started}, ran {run.duration_text}, stop: {record['stop_reason']}",
             f"kernel   {run.kernel} on {record['sysinfo']['nodename']}",
             f"PM QoS   {pm_qos_text(record)}",
             f"labels   {labels}"]
    if record.get("break"):
        brk = record["break"]
        lines.append(f"break    T:{brk['thread']} cycle {brk['cycle']}: "
                     f"{format_us(brk['value_ns'])} µs > {brk['threshold_us']} µs")
    return "\n".join(printable(line) for line in lines)
