"""The comparison table: scenario × CPU → min, avg, p99.9, max (µs) and missed periods.

One row model (``comparison_rows``), two renderings: rich for the terminal, HTML for the report.
"""

import html

from rich.table import Table
from rich.text import Text

from rtvirt.report.run import NS_PER_US
from rtvirt.tables import Column, emit
from rtvirt.terminal import printable

COLUMNS = ("Scenario", "CPU", "Min µs", "Avg µs", "P99.9 µs", "Max µs", "Missed")


def format_us(value_ns):
    """Nanoseconds as whole µs, truncated as cyclictest's T: lines print them: the one rule
    for every latency rtvirt shows a person (live view, T: lines, summaries, results, reports,
    qualify). JSON and CSV outputs carry the exact ns."""
    if value_ns is None:
        return "–"
    return str(int(value_ns) // NS_PER_US)


def run_title(run):
    """The scenario name with its qualifiers, e.g. ``idle [emulated (TCG)]``."""
    return f"{run.scenario} [{', '.join(run.tags)}]" if run.tags else run.scenario


def comparison_rows(runs):
    """``(run, cpu, cells)`` per CPU of every run, in the order given; cells match COLUMNS."""
    rows = []
    for run in runs:
        for cpu in run.cpus:
            cells = (run_title(run), _thread_label(cpu), format_us(cpu.min_ns),
                     format_us(cpu.avg_ns), format_us(cpu.p999_ns), format_us(cpu.max_ns),
                     str(cpu.missed))
            rows.append((run, cpu, cells))
    return rows


def worst_max_ns(runs):
    """The highest max of all CPUs of all runs (the cell the eye should find first)."""
    return max((cpu.max_ns for run in runs for cpu in run.cpus), default=None)


def rich_table(runs, title="Latency comparison"):
    """The table for the terminal; the first row of each scenario carries its name."""
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(COLUMNS):
        table.add_column(column, justify="left" if index == 0 else "right")
    worst = worst_max_ns(runs)
    previous = None
    for run, cpu, cells in comparison_rows(runs):
        first_of_run = run is not previous
        if first_of_run and previous is not None:
            table.add_section()
        styles = {5: "bold red" if cpu.max_ns == worst else "",
                  6: "yellow" if cpu.missed else ""}
        shown = [Text(cell, style=styles.get(index, "")) for index, cell in enumerate(cells)]
        shown[0] = _rich_scenario(run) if first_of_run else Text("")
        table.add_row(*shown)
        previous = run
    return table


def _thread_label(cpu_run):
    """The CPU column of a row: the CPU, or which unpinned thread (never "-1")."""
    return str(cpu_run.cpu) if cpu_run.cpu >= 0 else f"T:{cpu_run.index} unpinned"


COMPARISON_COLUMNS = (
    Column("Scenario", "scenario"), Column("CPU", "thread", right=True),
    *(Column(heading, key, format_us, right=True) for heading, key in (
        ("Min µs", "min_ns"), ("Avg µs", "avg_ns"), ("P99.9 µs", "p999_ns"),
        ("Max µs", "max_ns"))),
    Column("Missed", "missed", str, right=True))


def print_comparison(console, runs, title="Latency comparison", fmt=None):
    """The comparison on ``console``: a rich table on a terminal, else (or as ``fmt`` says)
    plain, untruncated lines, JSON or CSV written straight to the console's file."""
    fmt = fmt or ("table" if console.is_terminal else "plain")
    if fmt == "table":
        console.print(rich_table(runs, title=title))
        return
    rows = [{"scenario": run_title(run), "result_id": run.result_id, "thread": cells[1],
             "min_ns": cpu.min_ns, "avg_ns": cpu.avg_ns, "p999_ns": cpu.p999_ns,
             "max_ns": cpu.max_ns, "missed": cpu.missed}
            for run, cpu, cells in comparison_rows(runs)]
    emit(COMPARISON_COLUMNS, rows, fmt, title=title, stream=console.file)


def _rich_scenario(run):
    """The scenario name, its qualifiers dimmed on a second line (keeps the column narrow)."""
    text = Text(printable(run.scenario), style="bold")
    if run.tags:
        text.append("\n" + ", ".join(run.tags), style="dim")
    return text


def html_table(runs):
    """The same table as an HTML fragment (styles come from the report page); each run's
    name spans its rows and links to the run's section (``id`` = result id)."""
    head = "".join(f"<th>{html.escape(column)}</th>" for column in COLUMNS)
    worst = worst_max_ns(runs)
    body = []
    previous = None
    for run, cpu, cells in comparison_rows(runs):
        classes = {5: "worst" if cpu.max_ns == worst else "", 6: "missed" if cpu.missed else ""}
        tds = "".join(_html_cell(cell, classes.get(index))
                      for index, cell in enumerate(cells) if index)
        if run is not previous:
            link = f'<a href="#{html.escape(run.result_id)}">{html.escape(cells[0])}</a>'
            tds = f'<td rowspan="{len(run.cpus)}">{link}</td>{tds}'
        body.append(f"<tr>{tds}</tr>")
        previous = run
    return (f'<table class="comparison"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _html_cell(text, css_class):
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<td{attribute}>{html.escape(text)}</td>"
