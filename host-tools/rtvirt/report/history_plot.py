"""A board's history as a plot: max and p99.99 per scenario over time, regressions marked."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
from rtvirt_agent.wire.errors import UsageError  # noqa: E402


def _plain(text):
    """``text`` shown as written: a ``$`` would start matplotlib's mathtext."""
    return text.replace("$", r"\$")


def plot_history(board, points, path):
    figure, axes = plt.subplots(figsize=(10, 5))
    for scenario in sorted({point.scenario for point in points}):
        mine = [point for point in points if point.scenario == scenario]
        times = [point.started for point in mine]
        line, = axes.plot(times, [point.max_us for point in mine], marker="o",
                          label=_plain(f"{scenario} max"))
        axes.plot(times, [point.p9999_us for point in mine], marker=".", linestyle="--",
                  color=line.get_color(), label=_plain(f"{scenario} p99.99"))
    bad = [point for point in points if point.regression]
    if bad:
        axes.scatter([point.started for point in bad], [point.max_us for point in bad],
                     s=160, facecolors="none", edgecolors="red", label="regression")
    axes.set_title(_plain(f"Latency history of {board}"))
    axes.set_ylabel("latency (µs)")
    axes.legend(fontsize="small")
    figure.autofmt_xdate()
    try:
        figure.savefig(path, dpi=100)
    except OSError as err:
        raise UsageError(f"cannot write the plot {path}: {err.strerror}") from err
    finally:
        plt.close(figure)
