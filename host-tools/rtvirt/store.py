"""The host's result store: SQLite in WAL mode, one row per result, keyed by content hash.

A result's id is the sha256 of its binary record (``rtvirt_agent.wire.result.result_id``), so
fetching the same result twice never stores it twice, and a stored record is never changed.
Records are validated (``parse_result``) before they are stored: a corrupt record raises
``ResultFormatError`` and leaves the store untouched.
"""

import contextlib
import errno
import json
import os
import sqlite3
import time
from pathlib import Path

import platformdirs
from rtvirt_agent.wire.errors import UsageError
from rtvirt_agent.wire.result import parse_result, result_id

from rtvirt.errors import StorageError

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
        if self.path.is_dir():
            raise UsageError(f"--db {self.path} is a directory: name a file in it, e.g. "
                             f"{self.path / 'results.sqlite'}")
        with self._errors():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(SCHEMA)
            self.db.execute("SELECT id, data, target, stored_at, labels FROM results LIMIT 0")

    @contextlib.contextmanager
    def _errors(self):
        """SQLite's and the file system's errors, as a message naming the store and why."""
        try:
            yield
        except sqlite3.DatabaseError as err:
            raise StorageError(f"result store {self.path}: {self._why(err)}") from err
        except OSError as err:
            raise StorageError(f"result store {self.path}: {err.strerror}") from err

    def _why(self, err):
        text = str(err)
        if isinstance(err, sqlite3.OperationalError) and "no such column" in text:
            return "not an rtvirt result store (its results table has other columns)"
        if text in ("file is not a database", "database disk image is malformed"):
            return f"not an rtvirt result store ({text}): give another --db or move it away"
        if "readonly" in text or not os.access(self.path.parent, os.W_OK):
            return f"read-only ({text}): SQLite must write next to the store even to read it"
        if "disk is full" in text:
            return f"{os.strerror(errno.ENOSPC)} ({text})"
        return text

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
        with self._errors(), self.db:
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO results (id, data, target, stored_at, labels) "
                "VALUES (?, ?, ?, ?, ?)", (rid, bytes(data), target, time.time(), labels))
        return rid, cursor.rowcount == 1

    def resolve(self, prefix):
        """The full id of the one stored result whose id starts with ``prefix``."""
        # a prefix, not a LIKE pattern: "%" and "_" match only themselves
        with self._errors():
            rows = self.db.execute("SELECT id FROM results WHERE substr(id, 1, ?) = ? LIMIT 2",
                                   (len(prefix), prefix.lower())).fetchall()
        if not rows:
            raise UsageError(f"no stored result with id {prefix!r} in {self.path} "
                             "(see 'rtvirt results list')")
        if len(rows) > 1:
            raise UsageError(f"result id {prefix!r} is ambiguous: give more characters")
        return rows[0][0]

    def get(self, prefix):
        """The binary record of one result, by id or unambiguous id prefix."""
        rid = self.resolve(prefix)
        with self._errors():
            row = self.db.execute("SELECT data FROM results WHERE id = ?", (rid,)).fetchone()
        return bytes(row[0])

    def list(self):
        """Every stored result, newest first, without the records themselves."""
        with self._errors():
            rows = self.db.execute(
                "SELECT id, target, stored_at, labels, length(data) FROM results "
                "ORDER BY stored_at DESC").fetchall()
        return [{"id": rid, "target": target, "stored_at": stored_at,
                 "labels": json.loads(labels), "size": size}
                for rid, target, stored_at, labels, size in rows]
