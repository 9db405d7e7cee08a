"""OSADL-style latency plot of one run: samples per 1 µs latency class, log y-axis, a line per CPU.

Like the plots of the OSADL QA farm: x is the latency in µs, y the number of samples on a
logarithmic axis from 1 up, one coloured line per CPU. Classes without samples fall below the
axis, so a lone outlier shows as a spike rather than vanishing. Samples above the histogram
range are drawn from the overflow list the core keeps exactly; any it could not keep are
counted in the legend.
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
    """``(latency_us, counts)`` arrays over every 1 µs class from 0 to one past the CPU's last
    sample (that empty class closes the line)."""
    classes = cpu.latency_classes_us()
    size = max(classes, default=0) + 2
    counts = np.zeros(size)
    for class_us, count in classes.items():
        counts[class_us] = count
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
    label = f"CPU{cpu.cpu}  max {cpu.max_ns / NS_PER_US:.0f} µs"
    if cpu.missed:
        label += f", {cpu.missed} missed"
    if cpu.overflow_not_kept:
        label += f", +{cpu.overflow_not_kept} > {cpu.histogram_range_us} µs not kept"
    return label


def plot_run(run, path):
    """Write the run's latency plot as a PNG to ``path``."""
    figure, axes = plt.subplots(figsize=(10, 5.6), dpi=110)
    try:
        last_us = 0
        for cpu in run.cpus:
            latency_us, counts = class_counts(cpu)
            shown = np.where(counts > 0, counts, EMPTY_CLASS)
            axes.plot(latency_us, shown, linewidth=1.1, drawstyle="steps-mid",
                      label=cpu_label(cpu))
            last_us = max(last_us, int(latency_us[-1]))
        axes.set_yscale("log")
        axes.set_ylim(bottom=0.8)
        axes.yaxis.set_major_locator(LogLocator(base=10))
        axes.set_xlim(0, (last_us + 1) * (1 + X_MARGIN))
        axes.set_xlabel("Latency (µs), 1 µs classes")
        axes.set_ylabel("Number of samples")
        axes.set_title(plot_title(run), fontsize=11)
        axes.grid(True, which="major", linestyle=":", linewidth=0.6)
        axes.legend(loc="best", fontsize=8, frameon=True)
        figure.tight_layout()
        figure.savefig(path)
    finally:
        plt.close(figure)
    return path
