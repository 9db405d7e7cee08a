"""``rtvirt sysinfo``: the target's real-time relevant configuration, as the agent sees it."""

import json

from rich.console import Console
from rich.table import Table

from rtvirt import session
from rtvirt.terminal import markup_safe

NAME = "sysinfo"
HELP = "show the target's kernel, RT, CPU isolation and virtualization facts"


def setup_parser(parser):
    parser.add_argument("--json", action="store_true", help="print the facts as JSON")


def format_value(value):
    """One table cell for a fact of any JSON-like shape."""
    if value is None:
        return "[dim]unknown[/dim]"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{markup_safe(k)}={format_value(v)}"
                         for k, v in value.items()) or "-"
    if isinstance(value, list):
        return ", ".join(markup_safe(v) for v in value) or "-"
    return markup_safe(value)


def facts_table(facts):
    table = Table(title="target sysinfo", show_header=True)
    table.add_column("fact", style="bold")
    table.add_column("value", overflow="fold")
    for key in sorted(facts):
        table.add_row(markup_safe(key), format_value(facts[key]))
    return table


def run(args):
    with session.target(args) as (client, _hello):
        facts = client.call("sysinfo")
    if args.json:
        print(json.dumps(facts, indent=2, sort_keys=True))
    else:
        Console().print(facts_table(facts))
    return 0
