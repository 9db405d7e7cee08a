import numpy as np
from PIL import Image
from rtvirt.report.plot import class_counts, cpu_label, plot_run, plot_title


def test_class_counts_span_the_histogram_range(cpu_run):
    """x is the histogram's range (-h); samples above it are counted in the label."""
    latency_us, counts = class_counts(cpu_run(0, histogram=(0, 3, 0, 1), overflow_ns=(5_200,)))
    assert list(latency_us) == [0, 1, 2, 3, 4]
    assert list(counts) == [0, 3, 0, 1, 0]


def test_title_says_emulated_only_under_tcg(make_run):
    assert "emulated (TCG)" in plot_title(make_run(emulated=True))
    title = plot_title(make_run(pm_qos_held=False))
    assert "emulated" not in title
    assert "6.1.0-56-rt-amd64" in title and "PM QoS not held" in title


def test_label_counts_samples_above_the_range_and_names_unpinned_threads(cpu_run):
    cpu = cpu_run(2, histogram=(0,) * 400, overflow_ns=(4_100_000,), overflow_total=3,
                   max_ns=4_100_000, missed=1)
    assert cpu_label(cpu) == "CPU 2  max 4100 µs, 3 > 400 µs, 1 missed"
    unpinned = cpu_run(-1, histogram=(0, 3), max_ns=1_500)
    assert cpu_label(unpinned).startswith("T:0 unpinned  max 1 µs")


# matplotlib's first four line colours (tab10), one per CPU
DEFAULT_LINE_COLOURS = ((0x1f, 0x77, 0xb4), (0xff, 0x7f, 0x0e), (0x2c, 0xa0, 0x2c),
                        (0xd6, 0x27, 0x28))


def test_plot_writes_a_png_with_one_line_per_cpu(tmp_path, make_run, make_cpu):
    run = make_run(cpus=[make_cpu(cpu, histogram=(0,) * (cpu * 20) + (50, 100, 20))
                         for cpu in range(4)])
    path = plot_run(run, tmp_path / "plot.png")
    with Image.open(path) as image:
        assert image.format == "PNG"
        width, height = image.size
        pixels = np.asarray(image.convert("RGB"))
    assert width > 800 and height > 500
    pixels = pixels.reshape(-1, 3).astype(int)
    for colour in DEFAULT_LINE_COLOURS:
        assert (np.abs(pixels - colour).sum(axis=1) < 120).sum() > 500, colour
