"""The central store: the same schema and behaviour on a real PostgreSQL server as in SQLite,
``results push`` copying idempotently, and a server that cannot be reached is exit 3."""

import json
import sqlite3
import threading

import pytest
from rtvirt.database.schema import SCHEMA_VERSION
from rtvirt.store import Store
from rtvirt_agent.wire.errors import UsageError
from rtvirt_agent.wire.result import result_id


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "s.sqlite")
    return request.getfixturevalue("pg_url")


def test_both_stores_keep_results_by_content_hash(location, make_record):
    first, second = make_record("a"), make_record("b")
    with Store(location) as store:
        assert store.add(first, "exec:x") == (result_id(first), True)
        assert store.add(first, "exec:y") == (result_id(first), False)
        store.add(second, "exec:x")
        assert store.get(result_id(first)[:10]) == first
        assert {row["id"] for row in store.list()} == {result_id(first), result_id(second)}
        assert {rid for rid, _ in store.board_results("exec:x")} == \
            {result_id(first), result_id(second)}
        with pytest.raises(UsageError, match="no stored result"):
            store.resolve("%")


def test_both_stores_say_which_schema_version_they_hold(location):
    Store(location).close()
    with Store(location) as store:
        assert store.database.execute("SELECT version FROM rtvirt_schema").fetchall() == \
            [(SCHEMA_VERSION,)]


def test_a_store_of_a_newer_rtvirt_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE rtvirt_schema SET version = 99")
    with pytest.raises(UsageError, match="schema version 99"):
        Store(path)


def test_a_version_1_store_is_upgraded_in_place(tmp_path, record):
    """rtvirt 0.1's table, without the version, board, scenario and start columns."""
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE results (id TEXT PRIMARY KEY, data BLOB NOT NULL, "
                   "target TEXT NOT NULL, stored_at REAL NOT NULL, labels TEXT NOT NULL)")
        db.execute("INSERT INTO results VALUES (?, ?, 'exec:old', 1.0, ?)",
                   (result_id(record), record, json.dumps({"name": "one"})))
    with Store(path) as store:
        [(rid, data)] = store.board_results("exec:old")
        assert rid == result_id(record) and data == record
        board = store.database.execute("SELECT board FROM results").fetchone()[0]
        assert board  # the record's host name: no serial number in a core-only record


def test_push_copies_each_result_once(rtvirt, tmp_path, make_record, pg_url):
    with Store(tmp_path / "store.sqlite") as station:
        station.add(make_record("a"), "exec:a")
        station.add(make_record("b"), "exec:b")
    first = rtvirt("results", "push", "--to", pg_url)
    assert first.returncode == 0, first.stderr
    assert "2 result(s) pushed" in first.stderr
    again = rtvirt("results", "push", "--to", pg_url)
    assert again.returncode == 0 and "0 result(s) pushed" in again.stderr
    assert "2 already there" in again.stderr
    with Store(pg_url) as central, Store(tmp_path / "store.sqlite") as station:
        assert central.ids() == station.ids()
        assert {row["target"] for row in central.list()} == {"exec:a", "exec:b"}


def test_a_server_that_is_not_there_is_exit_3_with_the_cause(rtvirt, tmp_path):
    url = f"postgresql://rtvirt:secret@/postgres?host={tmp_path}"  # no server on this socket
    done = rtvirt("--db", url, "results", "list")
    assert done.returncode == 3, done.stderr
    assert "cannot connect to the result store" in done.stderr
    assert str(tmp_path) in done.stderr and "secret" not in done.stderr
    assert "Traceback" not in done.stderr


def test_the_db_option_takes_a_postgresql_url(rtvirt, tmp_path, record, pg_url):
    (tmp_path / "r.rtr").write_bytes(record)
    with Store(pg_url) as central:
        central.add(record, "exec:x")
    done = rtvirt("--db", pg_url, "results", "list", "--json")
    assert done.returncode == 0, done.stderr
    assert [row["id"] for row in json.loads(done.stdout)] == [result_id(record)]


def test_stations_opening_and_writing_one_new_store_at_once_all_succeed(location,
                                                                      make_record):
    """Several boards of one station (qualify --parallel) open the same store while it is
    being created and add results at once: none may fail with "database is locked"."""
    records = [make_record(f"board-{index}") for index in range(8)]
    start, outcomes = threading.Barrier(len(records)), {}

    def station(record):
        start.wait()
        try:
            with Store(location) as store:
                outcomes[result_id(record)] = store.add(record, "exec:x")
        except Exception as err:  # noqa: BLE001 - reported below, by board
            outcomes[result_id(record)] = err

    threads = [threading.Thread(target=station, args=(record,)) for record in records]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == {result_id(record): (result_id(record), True) for record in records}
