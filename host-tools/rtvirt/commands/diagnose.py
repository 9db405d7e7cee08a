"""``rtvirt diagnose``: audit the target's RT configuration (kernel, isolation, IRQs, power)."""

import dataclasses
import json

from rich.console import Console
from rich.table import Table
from rtvirt_agent.wire.cpulist import parse_cpulist
from rtvirt_agent.wire.errors import UsageError

from rtvirt import session
from rtvirt.diagnose import diagnose
from rtvirt.tables import Column, add_format_option, chosen_format, emit
from rtvirt.terminal import markup_safe

NAME = "diagnose"
HELP = "find RT misconfiguration on the target (exit 1 when something fails)"
STYLES = {"fail": "bold red", "warn": "yellow", "info": "cyan"}


def setup_parser(parser):
    parser.add_argument("--rt-cpus", metavar="LIST",
                        help="the CPUs meant for RT work (default: the isolated CPUs)")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    add_format_option(parser)


COLUMNS = (Column("severity", "severity"), Column("topic", "topic"),
           Column("finding", "message"), Column("fix", "fix"))


def findings_table(findings, facts):
    table = Table(title=markup_safe(f"RT audit of {facts.get('hostname')} "
                                    f"({facts.get('kernel_release')})"))
    # a fix wraps between its arguments, never inside one (isolcpus=2,3 stays whole)
    longest = max((len(word) for f in findings for word in f.fix.split()), default=0)
    for column in ("", "topic", "finding", "fix"):
        table.add_column(column, overflow="fold", min_width=longest if column == "fix" else None)
    for finding in findings:
        table.add_row(f"[{STYLES[finding.severity]}]{finding.severity}[/]",
                      *(markup_safe(text) for text in (finding.topic, finding.message,
                                                       finding.fix)))
    return table


def run(args):
    if args.rt_cpus:
        try:
            parse_cpulist(args.rt_cpus)
        except ValueError as err:
            raise UsageError(f"bad --rt-cpus {args.rt_cpus!r}: {err}") from err
    with session.target(args) as (client, _hello):
        facts = client.call("sysinfo")
    findings = diagnose(facts, args.rt_cpus)
    if args.json:
        print(json.dumps([dataclasses.asdict(f) for f in findings], indent=2))
    elif findings and chosen_format(args.format) == "table":
        Console().print(findings_table(findings, facts))
    elif findings:
        emit(COLUMNS, [dataclasses.asdict(f) for f in findings], args.format,
             title=f"RT audit of {facts.get('hostname')} ({facts.get('kernel_release')})")
    else:
        print("no RT misconfiguration found")
    return 1 if any(f.severity == "fail" for f in findings) else 0
