"""OSADL-style latency plot of one run: samples per 1 µs latency class, log y-axis, a line per CPU.

Like the plots of the OSADL QA farm: x is the latency in µs, y the number of samples on a
logarithmic axis from 1 up, one coloured line per CPU. Classes without samples fall below the
axis, so a lone outlier shows as a spike rather than vanishing. Samples above the histogram
range are counted, not drawn: the x axis is the histogram's range (``-h``), each CPU's
legend entry names its maximum and its count of samples above the range, and a dashed line
marks each maximum (an arrow at the right edge when it lies beyond the range).
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402
from matplotlib.ticker import LogLocator  # noqa: E402

from rtvirt.report.run import NS_PER_US  # noqa: E402

EMPTY_CLASS = 0.5  # drawn below the axis floor of 0.8, so empty classes drop out of sight
X_MARGIN = 0.02  # of the x range, so a last outlier does not sit on the frame


def class_counts(cpu):
    """``(latency_us, counts)`` arrays over the 1 µs classes of the histogram's range, plus
    one empty class that closes the line."""
    size = cpu.histogram_range_us + 1
    counts = np.zeros(size)
    for index, count in cpu.histogram:
        class_us = index * cpu.bucket_ns // NS_PER_US
        if class_us < size - 1:
            counts[class_us] += count
    return np.arange(size), counts


def plot_title(run):
    """Two lines: what was measured, and on which kernel for how long."""
    first = f"Latency plot: {mathtext_escaped(run.scenario)}"
    if run.emulated:
        first += " — emulated (TCG), not hardware figures"
    rt = {True: " PREEMPT_RT", False: " (not PREEMPT_RT)"}.get(run.sysinfo.get("preempt_rt"), "")
    details = [run.kernel + rt, run.duration_text]
    interval = run.params.get("interval_us")
    if interval:
        details.append(f"interval {interval} µs")
    if run.pm_qos_held is not None:
        details.append("PM QoS held" if run.pm_qos_held else "PM QoS not held")
    return f"{first}\n{', '.join(details)}"


def mathtext_escaped(text):
    """``text`` shown as written: matplotlib would typeset anything between two ``$``."""
    return text.replace("$", r"\$")


def cpu_label(cpu):
    label = f"{cpu.label}  max {cpu.max_ns // NS_PER_US} µs"
    if cpu.overflow_total:
        label += f", {cpu.overflow_total} > {cpu.histogram_range_us} µs"
    if cpu.missed:
        label += f", {cpu.missed} missed"
    return label


def mark_maximum(axes, cpu, colour, range_us, row):
    """A dashed line at the CPU's maximum, or, beyond the range, an arrow at the right edge
    (one ``row`` per CPU, stacked down from the top so they never overlap)."""
    max_us = cpu.max_ns // NS_PER_US
    if max_us <= range_us:
        axes.axvline(max_us, color=colour, linestyle="--", linewidth=0.8)
    else:
        axes.annotate(f"{cpu.label}: max {max_us} µs →", xy=(0.99, 0.97 - 0.05 * row),
                      xycoords="axes fraction", ha="right", va="top", fontsize=8,
                      color=colour)


def plot_run(run, path):
    """Write the run's latency plot as a PNG to ``path``."""
    figure, axes = plt.subplots(figsize=(10, 5.6), dpi=110)
    try:
        range_us = max((cpu.histogram_range_us for cpu in run.cpus), default=1)
        for row, cpu in enumerate(run.cpus):
            latency_us, counts = class_counts(cpu)
            shown = np.where(counts > 0, counts, EMPTY_CLASS)
            line, = axes.plot(latency_us, shown, linewidth=1.1, drawstyle="steps-mid",
                              label=cpu_label(cpu))
            mark_maximum(axes, cpu, line.get_color(), range_us, row)
        axes.set_yscale("log")
        axes.set_ylim(bottom=0.8)
        axes.yaxis.set_major_locator(LogLocator(base=10))
        axes.set_xlim(0, range_us * (1 + X_MARGIN))
        axes.set_xlabel(f"Latency (µs), 1 µs classes up to the histogram range ({range_us} µs)")
        axes.set_ylabel("Number of samples")
        axes.set_title(plot_title(run), fontsize=11)
        axes.grid(True, which="major", linestyle=":", linewidth=0.6)
        axes.legend(loc="upper left", fontsize=8, frameon=True)
        figure.tight_layout()
        figure.savefig(path)
    finally:
        plt.close(figure)
    return path
