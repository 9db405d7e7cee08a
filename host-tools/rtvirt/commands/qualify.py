"""``rtvirt qualify``: judge results against a limits file; exit 1 when a limit is exceeded.

With result ids or files, those are judged. Without, every board (``--target`` or each
``--board``) is measured as the limits file says, ``--parallel`` boards at a time: the one
command a factory test station runs (docs/qualify.md, docs/farm.md).
"""

import sys
from concurrent.futures import ThreadPoolExecutor

from rich.console import Console
from rich.text import Text
from rtvirt_agent.wire.errors import RtvirtError, UsageError

from rtvirt import session
from rtvirt.errors import LimitsExceeded
from rtvirt.qualify.board import BoardReport, qualify_board
from rtvirt.qualify.junit import write_junit
from rtvirt.qualify.limits import load_limits
from rtvirt.qualify.station import station_view
from rtvirt.qualify.verdict import judge
from rtvirt.report.sources import load_runs

NAME = "qualify"
HELP = "judge results (or fresh measurements of one or many boards) against a limits file"


def setup_parser(parser):
    parser.add_argument("--limits", required=True, help="limits file (TOML, version = 1)")
    parser.add_argument("--junit", metavar="FILE", help="write a JUnit XML report here")
    parser.add_argument("--board", action="append", default=[], metavar="URI",
                        help="a board's target URI (repeat for a station; default: --target)")
    parser.add_argument("--parallel", type=int, default=1, metavar="N",
                        help="qualify up to N boards at once (default 1)")
    parser.add_argument("results", nargs="*", metavar="RESULT",
                        help="stored result ids or result files (default: measure now)")


class BoardsBroken(RtvirtError):
    """Boards that could not be qualified; the exit code is the first one's error's."""

    def __init__(self, reports):
        super().__init__("; ".join(f"{report.target}: {verdict.error}" for report in reports
                                   for verdict in report.verdicts if verdict.error))
        self.exit_code = reports[0].exit_code


def judge_stored(args, limits):
    """A report for stored results, each judged by its scenario's limits."""
    report = BoardReport("results")
    with session.store(args) as store:
        for run in load_runs(args.results, store):
            report.verdicts += judge(run, limits.bounds_for(run.labels.get("scenario")))
    return report


def qualify_boards(args, limits, console):
    targets = list(dict.fromkeys(args.board or [args.target]))
    if not targets[0]:
        raise UsageError("no board given: use --board URI (repeatable) or --target URI")
    if args.parallel < 1:
        raise UsageError(f"--parallel must be ≥ 1, not {args.parallel}")
    with station_view(targets, console) as view, \
            ThreadPoolExecutor(max_workers=args.parallel) as pool:
        jobs = [pool.submit(qualify_board, target, limits, args.db, view) for target in targets]
        return [job.result() for job in jobs]


def print_verdicts(reports, console):
    for report in reports:
        for verdict in report.verdicts:
            style = "green" if verdict.passed else "bold red"
            prefix = f"{report.target}: " if len(reports) > 1 else ""
            console.print(Text(prefix + verdict.describe(), style=style), soft_wrap=True)


def run(args):
    limits = load_limits(args.limits)
    console = Console()
    if args.results:
        reports = [judge_stored(args, limits)]
    else:
        reports = qualify_boards(args, limits, Console(file=sys.stderr))
    print_verdicts(reports, console)
    if args.junit:
        write_junit(reports, args.junit)
    return verdict_exit(reports, console)


def verdict_exit(reports, console):
    """0 when every board passed; a board that could not be judged raises its error's exit
    code (3 unreachable, 4 protocol); otherwise exit 1 when a limit or gate failed."""
    broken = [report for report in reports if report.exit_code]
    if broken:
        raise BoardsBroken(broken)
    failed = [report for report in reports if not report.passed]
    checks = sum(len(report.verdicts) for report in reports)
    if failed:
        bad = sum(not v.passed for report in failed for v in report.verdicts)
        raise LimitsExceeded(f"{bad} of {checks} checks failed on "
                             f"{', '.join(report.target for report in failed)}")
    console.print(f"qualified: {checks} checks within limits")
    return 0
