"""The HTML report: index.html holds everything — the comparison table and each run's latency
plot embedded as a data: URI — so the one file can be mailed or attached to a CI job; the
plots are also written beside it as PNG files. No scripts, no external styles."""

import base64
import datetime
import html
import re
import time
from pathlib import Path

import platformdirs

from rtvirt.report.plot import plot_run
from rtvirt.report.table import html_table, run_title

STYLE = """
body { font-family: sans-serif; margin: 2em; color: #222; max-width: 70em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.7em; text-align: right; }
th { background: #eee; } td:first-child, th:first-child { text-align: left; }
td.worst { color: #b00; font-weight: bold; } td.missed { background: #fff3c0; }
.emulated { background: #fff3c0; border: 1px solid #e0c060; padding: 0.5em 1em; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
dt { font-weight: bold; } dd { margin: 0; font-family: monospace; }
img { max-width: 100%; border: 1px solid #ddd; }
"""


def default_output(kind):
    """A new folder per report under the user's data directory (never inside a checkout),
    e.g. ~/.local/share/rtvirt/reports/demo-20261125-183000."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return Path(platformdirs.user_data_dir("rtvirt")) / "reports" / f"{kind}-{stamp}"


SLUG_LENGTH = 60
"""Characters of the scenario in a plot's file name (a name may have 255 bytes at most)."""


def plot_file_name(index, run):
    """A stable, file-system-safe PNG name: position, scenario, short id."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", run.scenario)[:SLUG_LENGTH].strip("-.") or "run"
    return f"{index:02d}-{slug}-{run.result_id[:8]}.png"


PARAMETERS = {
    "interval_us": ("interval", "-i", " µs"), "distance_us": ("interval distance", "-d", " µs"),
    "loops": ("loops per thread", "-l", ""), "duration_limit_s": ("duration limit", "-D", " s"),
    "histogram_us": ("histogram range", "-h", " µs"), "priority": ("priority", "-p", ""),
    "policy": ("scheduling policy", "", ""), "smp": ("one thread per CPU", "-S", ""),
    "mlockall": ("memory locked", "-m", ""), "overflow_cap": ("overflow samples kept", "", ""),
    "affinity": ("affinity", "-a", ""),
}
"""Readable names of the record's parameters: (name, cyclictest flag, unit)."""


def parameter_facts(params):
    facts = {}
    for key, value in sorted(params.items()):
        name, flag, unit = PARAMETERS.get(key, (key, "", ""))
        shown = {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
        facts[f"{name} ({flag})" if flag else name] = f"{shown or '–'}{unit if shown else ''}"
    return facts


def run_facts(run):
    """The facts shown under each run's heading, in reading order."""
    started = datetime.datetime.fromtimestamp(run.started_ns / 1e9, tz=datetime.UTC)
    facts = {"result id": run.result_id, "command": run.command or "unknown",
             "started": started.strftime("%Y-%m-%d %H:%M:%S UTC") if run.started_ns
             else "unknown",
             "kernel": run.kernel,
             "kernel version": run.sysinfo.get("version", "unknown"),
             "PREEMPT_RT": {True: "yes", False: "no"}.get(run.sysinfo.get("preempt_rt"),
                                                          "unknown"),
             "machine": run.sysinfo.get("machine", "unknown"),
             "CPUs online": run.sysinfo.get("cpus_online", "unknown"),
             "duration": run.duration_text,
             "PM QoS (/dev/cpu_dma_latency)": {True: "held at 0", False: "not held",
                                               None: "unknown"}[run.pm_qos_held]}
    facts.update(parameter_facts(run.params))
    facts.update({f"label {key}": str(value) for key, value in sorted(run.labels.items())})
    return facts


def data_uri(png_path):
    return "data:image/png;base64," + base64.b64encode(Path(png_path).read_bytes()).decode()


def run_section(run, image, notes=()):
    """A run's heading, what the caller knows about how it went (``notes``), facts, plot
    (``image``: its data: URI)."""
    facts = "".join(f"<dt>{html.escape(key)}</dt><dd>{html.escape(str(value))}</dd>"
                    for key, value in run_facts(run).items())
    title = html.escape(run_title(run))
    items = "".join(f"<li>{html.escape(note)}</li>" for note in notes)
    return (f'<h2 id="{html.escape(run.result_id)}">{title}</h2>'
            f'{f"<ul>{items}</ul>" if items else ""}<dl>{facts}</dl>'
            f'<img src="{html.escape(image)}" alt="latency plot of {title}">')


def emulation_note(runs):
    if not any(run.emulated for run in runs):
        return ""
    return ('<p class="emulated">Figures marked <b>emulated (TCG)</b> were measured on a CPU '
            "emulated by QEMU without hardware acceleration. They show the effects the scenarios "
            "provoke, not the latencies real hardware would reach.</p>")


def write_report(runs, out_dir, title="rtvirt latency report", notes=None, sections=()):
    """Write index.html and one PNG per run into ``out_dir``; returns the index path.

    ``notes`` maps result ids to lines shown under that run (e.g. what a demo scenario did);
    ``sections`` are ``(heading, HTML fragment)`` pairs shown after the comparison table.
    """
    notes = notes or {}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    run_sections = []
    for index, run in enumerate(runs, start=1):
        image_name = plot_file_name(index, run)
        plot_run(run, out_dir / image_name)
        run_sections.append(run_section(run, data_uri(out_dir / image_name),
                                        notes.get(run.result_id, ())))
    created = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    extra = "".join(f"<h2>{html.escape(heading)}</h2>{fragment}" for heading, fragment in sections)
    page = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>Created {html.escape(created)} from "
            f"{len(runs)} result(s).</p>{emulation_note(runs)}"
            f"<h2>Comparison</h2>{html_table(runs)}{extra}{''.join(run_sections)}"
            "</body></html>\n")
    index_path = out_dir / "index.html"
    index_path.write_text(page, encoding="utf-8")
    return index_path
