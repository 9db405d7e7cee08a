"""The one schema of the result store, versioned, for SQLite and PostgreSQL alike.

Version 1 (rtvirt ≤ 0.1) had no version table and no board, scenario or start columns;
opening such a store adds them, filled from the records themselves.
"""

import json

from rtvirt_agent.wire.errors import UsageError
from rtvirt_agent.wire.result import parse_result

SCHEMA_VERSION = 2

TABLES = """
CREATE TABLE IF NOT EXISTS rtvirt_schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    id TEXT PRIMARY KEY,
    data {blob} NOT NULL,
    target TEXT NOT NULL,
    stored_at {real} NOT NULL,
    labels TEXT NOT NULL,
    board TEXT NOT NULL DEFAULT '',
    scenario TEXT NOT NULL DEFAULT '',
    started_ns BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS results_by_board ON results (board, started_ns);
"""
ADDED_IN_2 = ("board TEXT NOT NULL DEFAULT ''", "scenario TEXT NOT NULL DEFAULT ''",
              "started_ns BIGINT NOT NULL DEFAULT 0")


def derived_columns(parsed):
    """(labels JSON, board, scenario, started_ns) of a parsed record: what queries select on.

    A board is named by its serial number when the agent knew it, else by its host name."""
    labels = parsed.get("labels", {})
    board = labels.get("board_serial") or parsed["sysinfo"]["nodename"]
    return (json.dumps(labels, sort_keys=True), board, labels.get("scenario", ""),
            parsed["start_realtime_ns"])


def _version(database):
    row = database.execute("SELECT version FROM rtvirt_schema").fetchone()
    return row[0] if row else None


def _has_results_without_board(database):
    columns = database.execute("SELECT * FROM results WHERE 1 = 0").description
    return "board" not in {column[0] for column in columns}


def _upgrade_from_1(database):
    for column in ADDED_IN_2:
        database.execute(f"ALTER TABLE results ADD COLUMN {column}")
    for rid, data in database.execute("SELECT id, data FROM results").fetchall():
        _, board, scenario, started = derived_columns(parse_result(bytes(data)))
        database.execute("UPDATE results SET board = ?, scenario = ?, started_ns = ? "
                         "WHERE id = ?", (board, scenario, started, rid))


def ensure_schema(database):
    """Create or upgrade the schema; refuse a store written by a newer rtvirt. A store that
    is current is only read (no lock taken: a read-only store can still be listed)."""
    if _schema_is_current(database):
        return
    with database.transaction():
        if database.schema_lock:
            database.execute(database.schema_lock)
        database.execute("CREATE TABLE IF NOT EXISTS rtvirt_schema (version INTEGER NOT NULL)")
        version = _version(database)
        if version is not None and version > SCHEMA_VERSION:
            raise UsageError(f"result store {database.name} has schema version {version}; "
                             f"this rtvirt knows up to {SCHEMA_VERSION}: upgrade rtvirt")
        if version == SCHEMA_VERSION:
            return
        old_results = _table_exists(database) and _has_results_without_board(database)
        if old_results:
            _upgrade_from_1(database)
        for statement in TABLES.format(blob=database.blob, real=database.real).split(";"):
            if statement.strip():
                database.execute(statement)
        database.execute("DELETE FROM rtvirt_schema")
        database.execute("INSERT INTO rtvirt_schema (version) VALUES (?)", (SCHEMA_VERSION,))


def _schema_is_current(database):
    tables = {row[0] for row in database.execute(database.tables).fetchall()}
    return "rtvirt_schema" in tables and _version(database) == SCHEMA_VERSION


def _table_exists(database):
    return "results" in {row[0] for row in database.execute(database.tables).fetchall()}
