"""The host's result store: one row per result, keyed by content hash, in a SQLite file (the
default) or on a PostgreSQL server (``--db postgresql://…``), one schema (rtvirt.database).

A result's id is the sha256 of its binary record (``rtvirt_agent.wire.result.result_id``), so
storing the same result twice — from two fetches or two stations — never stores it twice, and
a stored record is never changed. Records are validated (``parse_result``) before they are
stored: a corrupt record raises ``ResultFormatError`` and leaves the store untouched. The
database's own errors come out as messages naming the store and why (``Database.errors``).
"""

import json
import time

from rtvirt_agent.wire.errors import UsageError
from rtvirt_agent.wire.result import parse_result, result_id

from rtvirt.database import connect
from rtvirt.database.schema import derived_columns
from rtvirt.database.sqlite import default_path

__all__ = ["Store", "default_path"]
COLUMNS = "id, data, target, stored_at, labels, board, scenario, started_ns"


class Store:
    """Results kept on the host; ``add`` is idempotent, rows are immutable."""

    def __init__(self, location=None):
        self.database = connect(location)
        self.path = self.database.name

    def close(self):
        self.database.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _query(self, statement, params=()):
        with self.database.errors():
            return self.database.execute(statement, params).fetchall()

    def add(self, data, target, stored_at=None):
        """Store one record; returns ``(id, added)`` where ``added`` is False for a duplicate."""
        return self.add_all([(data, target, stored_at)])[0]

    def add_all(self, records):
        """Store ``(data, target, stored_at or None)`` records in one transaction (one sync
        to disk, one round trip per record); ``[(id, added)]`` in their order."""
        rows = [(result_id(data), bytes(data), target,
                 time.time() if stored_at is None else stored_at,
                 *derived_columns(parse_result(data))) for data, target, stored_at in records]
        outcome = []
        with self.database.errors(), self.database.transaction():
            for row in rows:
                cursor = self.database.execute(
                    f"INSERT INTO results ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO NOTHING", row)
                outcome.append((row[0], cursor.rowcount == 1))
        return outcome

    def resolve(self, prefix):
        """The full id of the one stored result whose id starts with ``prefix``."""
        # a prefix, not a LIKE pattern: "%" and "_" match only themselves
        rows = self._query("SELECT id FROM results WHERE substr(id, 1, ?) = ? LIMIT 2",
                           (len(prefix), prefix.lower()))
        if not rows:
            raise UsageError(f"no stored result with id {prefix!r} in {self.path} "
                             "(see 'rtvirt results list')")
        if len(rows) > 1:
            raise UsageError(f"result id {prefix!r} is ambiguous: give more characters")
        return rows[0][0]

    def get(self, prefix):
        """The binary record of one result, by id or unambiguous id prefix."""
        rid = self.resolve(prefix)
        return bytes(self._query("SELECT data FROM results WHERE id = ?", (rid,))[0][0])

    def delete(self, prefix):
        """Remove one result (id or unambiguous prefix); returns its full id."""
        rid = self.resolve(prefix)
        with self.database.errors(), self.database.transaction():
            self.database.execute("DELETE FROM results WHERE id = ?", (rid,))
        return rid

    def list(self):
        """Every stored result, newest first, without the records themselves."""
        rows = self._query("SELECT id, target, stored_at, labels, length(data) FROM results "
                           "ORDER BY stored_at DESC")
        return [{"id": rid, "target": target, "stored_at": stored_at,
                 "labels": json.loads(labels), "size": size}
                for rid, target, stored_at, labels, size in rows]

    def board_results(self, board):
        """``(id, data)`` of a board's results (by serial number, host name or target URI),
        oldest first."""
        rows = self._query("SELECT id, data FROM results WHERE board = ? OR target = ? "
                           "ORDER BY started_ns, id", (board, board))
        return [(rid, bytes(data)) for rid, data in rows]

    def rows(self):
        """Every stored ``(id, data, target, stored_at)``, for copying to another store."""
        return self._query("SELECT id, data, target, stored_at FROM results ORDER BY stored_at")

    def ids(self):
        return {row[0] for row in self._query("SELECT id FROM results")}
