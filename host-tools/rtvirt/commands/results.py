"""``rtvirt results``: list, show, compare, export and delete stored results; fetch what a
target still holds."""

import datetime
import json
import sys

from rtvirt_agent.wire.errors import ResultFormatError, UsageError
from rtvirt_agent.wire.result import parse_result, result_to_json

from rtvirt import session
from rtvirt.flags import LabelsAction
from rtvirt.output import write_output
from rtvirt.report.run import Run
from rtvirt.report.table import format_us
from rtvirt.result_view import THREAD_COLUMNS, describe_run
from rtvirt.results_compare import compare_runs, compare_table
from rtvirt.store import Store
from rtvirt.tables import Column, add_format_option, emit

NAME = "results"
PUSH_BATCH = 500  # results per transaction: a cut connection loses at most one batch
HELP = "list, show, compare, export, delete stored results; fetch results left on the target"

LIST_COLUMNS = (
    Column("id", "id", lambda rid: rid[:12]),
    Column("stored", "stored_at", lambda t: datetime.datetime.fromtimestamp(t).strftime(
        "%Y-%m-%d %H:%M:%S")),
    Column("board", "board"),
    Column("target", "target"),
    Column("labels", "labels", lambda labels: " ".join(
        f"{k}={v}" for k, v in sorted(labels.items()))),
    Column("threads", "threads", str, right=True),
    Column("duration s", "duration_s", lambda s: f"{s:.1f}", right=True),
    Column("max µs", "max_ns", format_us, right=True),
)
def setup_parser(parser):
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list stored results (newest first)")
    listing.add_argument("--label", action=LabelsAction, default={},
                         metavar="KEY=VALUE", help="only results with this label (repeatable)")
    listing.add_argument("--json", action="store_const", const="json", dest="format",
                         help="the same as --format json")
    add_format_option(listing)
    show = actions.add_parser("show", help="one stored result: its run and per-thread figures")
    show.add_argument("id", help="result id or unambiguous prefix")
    show.add_argument("--json", action="store_true", help="print the whole result as JSON")
    add_format_option(show)
    compare = actions.add_parser(
        "compare", help="compare result B with baseline A per CPU; exit 1 on a regression")
    compare.add_argument("baseline", metavar="A", help="baseline result id or prefix")
    compare.add_argument("candidate", metavar="B", help="result id or prefix to judge")
    compare.add_argument("--max-regression", type=float, default=10.0, metavar="PCT",
                         help="allowed growth of max and p99.9 over A, in percent (default 10)")
    add_format_option(compare)
    export = actions.add_parser("export", help="write one stored result to a file")
    export.add_argument("id", help="result id or unambiguous prefix")
    export.add_argument("-o", "--output", required=True, help="file to write ('-' for stdout)")
    export.add_argument("--format", choices=("json", "binary"), default="json")
    delete = actions.add_parser("delete", help="delete stored results (and on the target)")
    delete.add_argument("ids", nargs="+", metavar="ID", help="result id or unambiguous prefix")
    delete.add_argument("--on-target", action="store_true",
                        help="delete them on the target (--target) too")
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
    return {"list": run_list, "show": run_show, "compare": run_compare, "export": run_export,
            "delete": run_delete, "fetch": run_fetch, "push": run_push}[args.action](args)


def summary_row(row, record):
    """A store row with the figures ``results list`` shows from its record."""
    threads = record["threads"]
    return {**row, "board": row["labels"].get("board_model") or row["labels"].get("board"),
            "threads": len(threads), "duration_s": record["duration_ns"] / 1e9,
            "max_ns": max((t["max_ns"] for t in threads if t["cycles"]), default=None)}


def run_list(args):
    wanted = args.label
    with session.store(args) as store:
        rows = [summary_row(row, parse_result(store.get(row["id"])))
                for row in store.list()
                if all(row["labels"].get(k) == v for k, v in wanted.items())]
    emit(LIST_COLUMNS, rows, args.format, title=f"{len(rows)} stored result(s)")
    return 0


def run_show(args):
    with session.store(args) as store:
        rid = store.resolve(args.id)
        record = parse_result(store.get(rid))
    if args.json:
        print(json.dumps({"id": rid, **result_to_json(record)}, indent=2))
        return 0
    if args.format not in ("json", "csv"):
        print(describe_run(rid, record))
    emit(THREAD_COLUMNS, record["threads"], args.format)
    return 0


def run_compare(args):
    if args.max_regression < 0:
        raise UsageError("--max-regression must be a percentage >= 0")
    with session.store(args) as store:
        runs = [Run.from_result(parse_result(store.get(rid)), rid)
                for rid in (store.resolve(args.baseline), store.resolve(args.candidate))]
    rows = compare_runs(*runs, args.max_regression)
    emit(compare_table(), rows, args.format,
         title=f"{runs[1].result_id[:12]} against {runs[0].result_id[:12]} "
               f"(allowed growth {args.max_regression:g} %)")
    return 1 if any(row["regression"] for row in rows) else 0


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


def run_delete(args):
    if args.on_target and not args.target:
        raise UsageError("--on-target needs --target (or RTVIRT_TARGET)")
    with session.store(args) as store:
        rids = [store.resolve(prefix) for prefix in args.ids]
        if args.on_target:
            with session.target(args) as (client, _hello):
                on_target = {entry["id"] for entry in client.call("results.list")["results"]}
                for rid in rids:
                    if rid in on_target:
                        client.call("results.delete", {"id": rid})
            session.note(f"{len(on_target & set(rids))} deleted on the target")
        for rid in rids:
            store.delete(rid)
    session.note(f"{len(rids)} result(s) deleted from {store.path}")
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
