"""``rtvirt qualify``: judge results against a limits file; exit 1 when a limit is exceeded.

With result ids or files, those are judged. Without, the target is measured first as the
limits file's ``[measure]`` table says (the one command a factory test station runs).
"""

from rich.console import Console

from rtvirt import session
from rtvirt.errors import LimitsExceeded
from rtvirt.qualify.junit import write_junit
from rtvirt.qualify.limits import load_limits
from rtvirt.qualify.verdict import judge
from rtvirt.report.sources import load_runs, run_from_bytes

NAME = "qualify"
HELP = "judge results (or a fresh measurement) against a limits file; JUnit output"


def setup_parser(parser):
    parser.add_argument("--limits", required=True, help="limits file (TOML, version = 1)")
    parser.add_argument("--junit", metavar="FILE", help="write a JUnit XML report here")
    parser.add_argument("results", nargs="*", metavar="RESULT",
                        help="stored result ids or result files (default: measure now)")


def measure_now(args, measure):
    """Run the limits file's measurement on the target and store the result."""
    op_args = {"affinity": None if measure["affinity"] == "all" else measure["affinity"],
               "smp": measure["affinity"] == "all", "priority": measure["priority"],
               "interval_us": measure["interval_us"], "histogram_us": measure["histogram_us"],
               "duration_s": measure["duration_s"], "mlock": True,
               "labels": {"scenario": "qualify"}}
    if "distance_us" in measure:
        op_args["distance_us"] = measure["distance_us"]
    op = "cell.measure" if "cell" in measure else "measure"
    if "cell" in measure:
        op_args["cell"] = measure["cell"]
    with session.target(args) as (client, _hello), session.store(args) as store:
        reply = client.call(op, op_args, timeout=30.0)
        data, _ = session.fetch_result(client, store, reply["result_id"], args.target)
    return [run_from_bytes(data)]


def run(args):
    limits = load_limits(args.limits)
    if args.results:
        with session.store(args) as store:
            runs = load_runs(args.results, store)
    else:
        runs = measure_now(args, limits.measure)
    checks = [check for run_ in runs for check in judge(run_, limits)]
    console = Console()
    for check in checks:
        style = "green" if check.passed else "bold red"
        console.print(f"[{style}]{check.describe()}[/]")
    if args.junit:
        write_junit(checks, args.junit)
    failed = [check for check in checks if not check.passed]
    if failed:
        raise LimitsExceeded(f"{len(failed)} of {len(checks)} checks exceeded their limits")
    console.print(f"qualified: {len(checks)} checks within limits")
    return 0
