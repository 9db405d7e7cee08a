"""``rtvirt report RESULT… -o DIR``: the comparison table and the HTML report with latency plots."""

from rich.console import Console

from rtvirt import session
from rtvirt.output import writing
from rtvirt.report.html import default_output, write_report
from rtvirt.report.sources import load_runs
from rtvirt.report.table import print_comparison
from rtvirt.tables import add_format_option

NAME = "report"
HELP = "write an HTML report (comparison table, latency plot per run) of stored results"


def setup_parser(parser):
    parser.add_argument("results", nargs="+", metavar="RESULT",
                        help="result id or id prefix from the store, or a result file "
                             "(.rtr binary record or .json); several runs go side by side")
    parser.add_argument("-o", "--output", metavar="DIR",
                        help="folder for index.html and the plots (default: a new one under "
                             "the user's data directory, printed at the end)")
    parser.add_argument("--title", default="rtvirt latency report", help="report title")
    add_format_option(parser)


def run(args):
    with session.store(args) as store:
        runs = load_runs(args.results, store)
    print_comparison(Console(), runs, fmt=args.format)
    out_dir = args.output or default_output("report")
    with writing(out_dir):
        index = write_report(runs, out_dir, title=args.title)
    print(f"report: {index}")
    return 0
