import sqlite3

import pytest
from rtvirt.store import Store
from rtvirt_agent.wire.errors import ResultFormatError, UsageError
from rtvirt_agent.wire.result import result_id


def test_add_is_idempotent_and_keyed_by_content(tmp_path, record):
    with Store(tmp_path / "s.sqlite") as store:
        assert store.add(record, "exec:x") == (result_id(record), True)
        assert store.add(record, "exec:y") == (result_id(record), False)
        assert [row["id"] for row in store.list()] == [result_id(record)]
        assert store.get(result_id(record)[:8]) == record


def test_corrupt_record_is_refused_and_store_unchanged(tmp_path, record):
    damaged = bytearray(record)
    damaged[len(damaged) // 2] ^= 0xFF
    with Store(tmp_path / "s.sqlite") as store:
        with pytest.raises(ResultFormatError):
            store.add(bytes(damaged), "exec:x")
        assert store.list() == []


def test_resolve_names_unknown_and_ambiguous_ids(tmp_path, make_record):
    with Store(tmp_path / "s.sqlite") as store:
        store.add(make_record("a"), "t")
        store.add(make_record("b"), "t")
        with pytest.raises(UsageError, match="no stored result"):
            store.resolve("zz")
        with pytest.raises(UsageError, match="ambiguous"):
            store.resolve("")


def test_store_uses_wal(tmp_path):
    Store(tmp_path / "s.sqlite").close()
    mode = sqlite3.connect(tmp_path / "s.sqlite").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
