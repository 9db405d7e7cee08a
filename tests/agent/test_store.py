"""The target-side results directory: atomic, content-addressed, kept until deleted."""

import hashlib
import os

import pytest
from rtvirt_agent.store import ResultStore, StoreError


def test_put_get_list_delete(tmp_path):
    store = ResultStore(tmp_path / "results")
    data = os.urandom(70_000)
    rid = store.put(data, {"scenario": "idle"})
    assert rid == hashlib.sha256(data).hexdigest()
    assert store.get(rid) == data
    [entry] = store.list()
    assert entry["id"] == rid and entry["size"] == 70_000
    assert entry["labels"] == {"scenario": "idle"} and entry["created"] > 0
    store.delete(rid)
    assert store.list() == []
    with pytest.raises(StoreError) as caught:
        store.get(rid)
    assert caught.value.code == "not-found"


def test_same_bytes_are_stored_once(tmp_path):
    store = ResultStore(tmp_path)
    assert store.put(b"record", {"a": "1"}) == store.put(b"record", {"b": "2"})
    assert [entry["labels"] for entry in store.list()] == [{"a": "1"}]


def test_no_temporary_files_are_left(tmp_path):
    store = ResultStore(tmp_path)
    store.put(b"one")
    store.put(b"two")
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".tmp")]
    assert len(store.list()) == 2


def test_list_survives_missing_metadata_and_ignores_strangers(tmp_path):
    store = ResultStore(tmp_path)
    rid = store.put(b"data")
    (tmp_path / f"{rid}.meta.json").unlink()
    (tmp_path / "notes.result").write_text("not a result id")
    [entry] = store.list()
    assert entry["id"] == rid and entry["labels"] == {}


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ABC", "0" * 63, 42, None])
def test_bad_ids_are_refused(tmp_path, bad):
    with pytest.raises(StoreError) as caught:
        ResultStore(tmp_path).get(bad)
    assert caught.value.code == "bad-argument"


def test_leftovers_of_dead_agents_are_removed(tmp_path):
    store = ResultStore(tmp_path)
    rid = store.put(b"kept")
    dead = 2**22 + 12345  # above pid_max's default: no such process
    (tmp_path / f".tmp-{dead}-0a1b").write_bytes(b"half a record")
    (tmp_path / f".work-measure-7-{dead}-0a1b/bundle/rootfs").mkdir(parents=True)
    (tmp_path / f".work-measure-7-{dead}-0a1b/bundle/rootfs/lib").symlink_to("usr/lib")
    with store.work_dir("measure-8") as alive:
        assert sorted(store.remove_leftovers()) == [f".tmp-{dead}-0a1b",
                                                    f".work-measure-7-{dead}-0a1b"]
        assert os.path.isdir(alive)
    assert [entry["id"] for entry in store.list()] == [rid]
    assert sorted(os.listdir(tmp_path)) == [f"{rid}.meta.json", f"{rid}.result"]
