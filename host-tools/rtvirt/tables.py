"""Tables for people and for pipes: one description of the columns, four renderings.

``--format table`` (the default on a terminal) draws a rich table; ``plain`` (the default
when stdout is not a terminal, e.g. a CI log) prints aligned columns, never truncated and
ASCII only; ``json`` prints a list of objects with the raw values; ``csv`` a header and rows.
Colour follows rich, which honours ``NO_COLOR``.
"""

import csv
import dataclasses
import json
import sys

from rich.console import Console
from rich.table import Table

from rtvirt.terminal import markup_safe, printable

FORMATS = ("table", "plain", "json", "csv")


@dataclasses.dataclass(frozen=True)
class Column:
    """A column: its heading, the row key holding its raw value, how a person reads it."""

    heading: str
    key: str
    show: object = str
    right: bool = False


def add_format_option(parser):
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="table (default on a terminal), plain (default otherwise: "
                             "aligned, untruncated), json or csv")


def chosen_format(fmt, stream=None):
    """The format asked for, else table on a terminal and plain elsewhere."""
    stream = stream or sys.stdout
    return fmt or ("table" if stream.isatty() else "plain")


def emit(columns, rows, fmt=None, title=None, stream=None):
    """Print ``rows`` (dicts) as ``columns`` say, in ``fmt`` (None: chosen_format)."""
    stream = stream or sys.stdout
    fmt = chosen_format(fmt, stream)
    if fmt == "json":
        stream.write(json.dumps([{c.key: row.get(c.key) for c in columns} for row in rows],
                                indent=2) + "\n")
    elif fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([c.key for c in columns])
        writer.writerows([[_raw(row.get(c.key)) for c in columns] for row in rows])
    else:
        cells = [[_shown(c, row) for c in columns] for row in rows]
        render = _rich if fmt == "table" else _plain
        render(columns, cells, title, stream)


def _raw(value):
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in sorted(value.items()))
    return "" if value is None else value


def _shown(column, row):
    value = row.get(column.key)
    return "–" if value is None else printable(column.show(value))


def _rich(columns, cells, title, stream):
    table = Table(title=title)
    for column in columns:
        table.add_column(column.heading, justify="right" if column.right else "left")
    for row in cells:
        table.add_row(*(markup_safe(cell) for cell in row))
    Console(file=stream).print(table)


def _plain(columns, cells, title, stream):
    widths = [max([len(c.heading), *(len(row[i]) for row in cells)])
              for i, c in enumerate(columns)]
    if title:
        stream.write(title + "\n")
    lines = [[c.heading for c in columns], *cells]
    for line in lines:
        text = "  ".join(cell.rjust(w) if c.right else cell.ljust(w)
                         for c, cell, w in zip(columns, line, widths, strict=True))
        stream.write(text.rstrip().replace("–", "-").replace("µ", "u") + "\n")
