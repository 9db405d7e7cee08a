"""The default store: one SQLite file in WAL mode (readers never wait for the writer)."""

import contextlib
import errno
import os
import sqlite3
from pathlib import Path

import platformdirs
from rtvirt_agent.wire.errors import UsageError

from rtvirt.database.dialect import Database
from rtvirt.errors import StorageError


def default_path():
    """Where results live unless ``--db`` or ``$RTVIRT_DB`` says otherwise."""
    return Path(platformdirs.user_data_dir("rtvirt")) / "results.sqlite"


def _why(path, err):
    text = str(err)
    if isinstance(err, sqlite3.OperationalError) and "no such column" in text:
        return "not an rtvirt result store (its results table has other columns)"
    if text in ("file is not a database", "database disk image is malformed"):
        return f"not an rtvirt result store ({text}): give another --db or move it away"
    if "readonly" in text or not os.access(path.parent, os.W_OK):
        return f"read-only ({text}): SQLite must write next to the store even to read it"
    if "disk is full" in text:
        return f"{os.strerror(errno.ENOSPC)} ({text})"
    return text


def sqlite_errors(path):
    """SQLite's and the file system's errors, as a message naming the store and why."""
    @contextlib.contextmanager
    def errors():
        try:
            yield
        except sqlite3.DatabaseError as err:
            raise StorageError(f"result store {path}: {_why(path, err)}") from err
        except OSError as err:
            raise StorageError(f"result store {path}: {err.strerror}") from err
    return errors


def connect_sqlite(path):
    path = Path(path) if path else default_path()
    if path.is_dir():
        raise UsageError(f"--db {path} is a directory: name a file in it, e.g. "
                         f"{path / 'results.sqlite'}")
    errors = sqlite_errors(path)
    with errors():
        path.parent.mkdir(parents=True, exist_ok=True)
        # a write transaction takes the write lock when it begins, waiting up to 30 s for
        # another station's: a deferred one that read first may instead fail at once with
        # "database is locked" when another wrote meanwhile (qualify --parallel, one store)
        connection = sqlite3.connect(path, timeout=30, isolation_level="IMMEDIATE")
        connection.execute("PRAGMA journal_mode=WAL")
    return Database(connection, str(path), blob="BLOB", real="REAL", paramstyle="qmark",
                    tables="SELECT name FROM sqlite_master WHERE type = 'table'",
                    schema_lock="BEGIN IMMEDIATE", errors=errors)
