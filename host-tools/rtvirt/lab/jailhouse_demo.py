"""``rtvirt demo --jailhouse``: the seed's Jailhouse experiment on the jailhouse-arm64 lab
target, stored and reported like the other demo scenarios (docs/inmate.md)."""

from rich.console import Console

from rtvirt import session
from rtvirt.lab.jailhouse_experiment import SCENARIOS, run_scenario
from rtvirt.lab.jailhouse_target import JailhouseTarget
from rtvirt.report.html import default_output, write_report
from rtvirt.report.sources import run_from_bytes
from rtvirt.report.table import rich_table

URI = "lab:jailhouse-arm64"
BLOCK_US, BLOCK_PERIOD_MS = 100_000, 1000  # as make test-jailhouse: see docs/inmate.md
LABELS = {"demo": "seed", "board": "jailhouse-arm64", "emulation": "tcg"}


def _measure_all(console, client, store, duration_s):
    runs = []
    for where, blocksys in SCENARIOS:
        what = f"{where} cell{', blocksys on the root CPUs' if blocksys else ', idle'}"
        with console.status(f"{what}: {duration_s:g} s…"):
            summary, data = run_scenario(client, where, blocksys, duration_s, BLOCK_US,
                                         BLOCK_PERIOD_MS, labels=LABELS)
        store.add(data, URI)
        runs.append(run_from_bytes(data))
        for error in summary["errors"]:
            console.print(f"[red]{summary['scenario']}: {error}[/]")
        if "samples" in summary:
            console.print(f"{summary['scenario']}: {summary['samples']} samples relayed by "
                          f"the root cell, {summary['samples_lost']} lost")
    return runs


def run_demo(args):
    console = Console()
    target = JailhouseTarget()
    with console.status("building jailhouse-arm64 (the first time: a kernel, ~25 min) and "
                        "booting it: jailhouse enable, bare-metal and Linux inmate cells…"):
        target.start()
    with target:
        client = target.connect()
        cells = client.call("cells")["cells"]
        console.print("cells: " + ", ".join(f"{c['name']} ({c['state']}, CPUs {c['cpus']})"
                                            for c in cells))
        with session.store(args) as store:
            runs = _measure_all(console, client, store, args.duration)
    console.print(rich_table(runs, title=f"rtvirt demo --jailhouse on {URI} (emulated, TCG)"))
    index = write_report(runs, args.output or default_output("demo"),
                         title="rtvirt demo: the seed's Jailhouse experiment, emulated")
    print(f"report: {index}")
    return 0
