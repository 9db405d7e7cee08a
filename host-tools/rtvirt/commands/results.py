"""``rtvirt results``: list, show, export stored results and fetch what a target still holds."""

import datetime
import json
import sys

from rich.console import Console
from rich.table import Table
from rtvirt_agent.wire.errors import ResultFormatError
from rtvirt_agent.wire.result import parse_result, result_to_json

from rtvirt import session
from rtvirt.output import write_output
from rtvirt.report.run import Run
from rtvirt.report.table import rich_table
from rtvirt.store import Store
from rtvirt.terminal import markup_safe

NAME = "results"
PUSH_BATCH = 500  # results per transaction: a cut connection loses at most one batch
HELP = "list, show, export stored results; fetch results left on the target"


def setup_parser(parser):
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list stored results (newest first)")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    show = actions.add_parser("show", help="summarise one stored result")
    show.add_argument("id", help="result id or unambiguous prefix")
    export = actions.add_parser("export", help="write one stored result to a file")
    export.add_argument("id", help="result id or unambiguous prefix")
    export.add_argument("-o", "--output", required=True, help="file to write ('-' for stdout)")
    export.add_argument("--format", choices=("json", "binary"), default="json")
    fetch = actions.add_parser("fetch", help="copy every result the target holds into the store")
    fetch.add_argument("--delete", action="store_true",
                       help="delete each result on the target once it is stored")
    fetch.add_argument("--delete-damaged", action="store_true",
                       help="delete the results on the target that are damaged (named by a "
                            "fetch; they cannot be stored)")
    push = actions.add_parser("push", help="copy every stored result to another store "
                                           "(a central postgresql:// database); idempotent")
    push.add_argument("--to", required=True, metavar="DB",
                      help="the destination: postgresql://… or a SQLite file")


def run(args):
    return {"list": run_list, "show": run_show, "export": run_export,
            "fetch": run_fetch, "push": run_push}[args.action](args)


def run_list(args):
    with session.store(args) as store:
        rows = store.list()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    table = Table(title=f"{len(rows)} stored result(s)")
    for column in ("id", "stored", "target", "labels", "bytes"):
        table.add_column(column, overflow="ellipsis", no_wrap=True,
                         max_width=32 if column == "target" else None)
    for row in rows:
        stored = datetime.datetime.fromtimestamp(row["stored_at"]).strftime("%Y-%m-%d %H:%M:%S")
        labels = " ".join(f"{k}={v}" for k, v in sorted(row["labels"].items()))
        table.add_row(row["id"][:12], stored, markup_safe(row["target"]), markup_safe(labels),
                      str(row["size"]))
    Console().print(table)
    return 0


def run_show(args):
    with session.store(args) as store:
        rid = store.resolve(args.id)
        run = Run.from_result(parse_result(store.get(rid)), rid)
    Console().print(rich_table([run], title=f"result {rid[:12]}"))
    return 0


def run_export(args):
    with session.store(args) as store:
        data = store.get(args.id)
    if args.format == "binary":
        payload = data
    else:
        payload = (json.dumps(result_to_json(parse_result(data)), indent=2) + "\n").encode()
    if args.output == "-":
        sys.stdout.buffer.write(payload)
    else:
        write_output(args.output, payload)
    return 0


def run_fetch(args):
    """Fetch every result; a damaged one is named and skipped (exit 4 at the end)."""
    with session.target(args) as (client, _hello), session.store(args) as store:
        listing = client.call("results.list")["results"]
        added_count, damaged = 0, []
        for entry in listing:
            try:
                _, added = session.fetch_result(client, store, entry["id"], args.target)
            except ResultFormatError as err:
                damaged.append(entry["id"])
                session.note(f"rtvirt: {err}")
                if args.delete_damaged:
                    client.call("results.delete", {"id": entry["id"]})
                    session.note(f"deleted damaged result {entry['id']} on the target")
                continue
            added_count += added
            if args.delete:
                client.call("results.delete", {"id": entry["id"]})
    session.note(f"{len(listing)} result(s) on the target, {added_count} new in {store.path}")
    if damaged:
        hint = "" if args.delete_damaged else \
            "; 'rtvirt results fetch --delete-damaged' deletes them on the target"
        raise ResultFormatError(f"{len(damaged)} damaged result(s) not stored: "
                                f"{', '.join(damaged)}{hint}")
    return 0


def run_push(args):
    """Copy what the destination lacks; ids are content hashes, so a result pushed twice (or
    by two stations) is stored once, and a push that was cut off is simply run again."""
    with session.store(args) as source, Store(args.to) as destination:
        known = destination.ids()
        rows = source.rows()
        missing = [(bytes(data), target, stored_at)
                   for rid, data, target, stored_at in rows if rid not in known]
        for start in range(0, len(missing), PUSH_BATCH):
            destination.add_all(missing[start:start + PUSH_BATCH])
    session.note(f"{len(missing)} result(s) pushed to {destination.path}, "
                 f"{len(rows) - len(missing)} already there")
    return 0
