"""The host's result store: SQLite in WAL mode, one row per result, keyed by content hash.

A result's id is the sha256 of its binary record (``rtvirt_agent.wire.result.result_id``), so
fetching the same result twice never stores it twice, and a stored record is never changed.
Records are validated (``parse_result``) before they are stored: a corrupt record raises
``ResultFormatError`` and leaves the store untouched.
"""

import json
import sqlite3
import time
from pathlib import Path

import platformdirs
from rtvirt_agent.wire.errors import UsageError
from rtvirt_agent.wire.result import parse_result, result_id

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    id TEXT PRIMARY KEY,
    data BLOB NOT NULL,
    target TEXT NOT NULL,
    stored_at REAL NOT NULL,
    labels TEXT NOT NULL
);
"""


def default_path():
    """Where results live unless ``--db`` or ``$RTVIRT_DB`` says otherwise."""
    return Path(platformdirs.user_data_dir("rtvirt")) / "results.sqlite"


class Store:
    """Results kept on the host; ``add`` is idempotent, rows are immutable."""

    def __init__(self, path=None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def close(self):
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def add(self, data, target):
        """Store one record; returns ``(id, added)`` where ``added`` is False for a duplicate."""
        parsed = parse_result(data)
        rid = result_id(data)
        labels = json.dumps(parsed.get("labels", {}), sort_keys=True)
        with self.db:
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO results (id, data, target, stored_at, labels) "
                "VALUES (?, ?, ?, ?, ?)", (rid, bytes(data), target, time.time(), labels))
        return rid, cursor.rowcount == 1

    def resolve(self, prefix):
        """The full id of the one stored result whose id starts with ``prefix``."""
        rows = self.db.execute("SELECT id FROM results WHERE id LIKE ? || '%' LIMIT 2",
                               (prefix.lower(),)).fetchall()
        if not rows:
            raise UsageError(f"no stored result with id {prefix!r} in {self.path} "
                             "(see 'rtvirt results list')")
        if len(rows) > 1:
            raise UsageError(f"result id {prefix!r} is ambiguous: give more characters")
        return rows[0][0]

    def get(self, prefix):
        """The binary record of one result, by id or unambiguous id prefix."""
        rid = self.resolve(prefix)
        return bytes(self.db.execute("SELECT data FROM results WHERE id = ?", (rid,)).fetchone()[0])

    def list(self):
        """Every stored result, newest first, without the records themselves."""
        rows = self.db.execute(
            "SELECT id, target, stored_at, labels, length(data) FROM results "
            "ORDER BY stored_at DESC").fetchall()
        return [{"id": rid, "target": target, "stored_at": stored_at,
                 "labels": json.loads(labels), "size": size}
                for rid, target, stored_at, labels, size in rows]
