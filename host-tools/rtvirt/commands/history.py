"""``rtvirt history BOARD``: one board's results over time, regressions flagged (docs/farm.md).

BOARD is the board's serial number (as its agent reports it), its host name, or the target
URI its results were fetched from.
"""

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rtvirt_agent.wire.errors import UsageError
from rtvirt_agent.wire.result import parse_result

from rtvirt import session
from rtvirt.history import flag_regressions, point_of
from rtvirt.report.run import Run

NAME = "history"
HELP = "one board's results over time: max and p99.99, regressions flagged"


def setup_parser(parser):
    parser.add_argument("board", help="serial number, host name or target URI")
    parser.add_argument("--max-regression", type=float, default=20.0, metavar="PCT",
                        help="flag a result worse than the best earlier one by more than "
                             "PCT %% (default 20)")
    parser.add_argument("--plot", metavar="FILE.png", help="also plot max and p99.99")


def board_points(store, board):
    points = []
    for rid, data in store.board_results(board):
        parsed = parse_result(data)
        points.append(point_of(Run.from_result(parsed, rid), parsed["start_realtime_ns"]))
    return points


COLUMNS = ("started", "scenario", "kernel", "build", "max µs", "p99.99 µs", "result",
           "regression")


def cells(point):
    return (point.started.strftime("%Y-%m-%d %H:%M"), point.scenario, point.kernel,
            point.build_id or "-", f"{point.max_us:.1f}", f"{point.p9999_us:.1f}",
            point.result_id[:12], point.regression)


def history_table(board, points):
    table = Table(title=f"history of {board}")
    for column in COLUMNS:
        table.add_column(column, overflow="fold")
    for point in points:
        *plain, regression = cells(point)
        table.add_row(*map(Text, plain), Text(regression, style="bold red"))
    return table


def print_history(board, points):
    """A table on a terminal; elsewhere one tab-separated line per result, never cut."""
    console = Console()
    if console.is_terminal:
        console.print(history_table(board, points))
        return
    print("\t".join(COLUMNS))
    for point in points:
        print("\t".join(cells(point)))


def run(args):
    if args.max_regression < 0:
        raise UsageError(f"--max-regression must be ≥ 0, not {args.max_regression:g}")
    with session.store(args) as store:
        points = flag_regressions(board_points(store, args.board), args.max_regression)
    if not points:
        raise UsageError(f"no stored results of board {args.board!r} (a serial number, host "
                         "name or target URI; see 'rtvirt results list')")
    print_history(args.board, points)
    if args.plot:
        from rtvirt.report.history_plot import plot_history

        plot_history(args.board, points, args.plot)
        session.note(f"plot written to {args.plot}")
    regressions = [point for point in points if point.regression]
    if regressions:
        session.note(f"{len(regressions)} regression(s) of {args.board}")
    return 0
