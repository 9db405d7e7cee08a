"""The build cache: rebuilt only when an input changes, damaged entries rebuilt."""

from pathlib import Path

import pytest
from rtvirt.lab import cache


@pytest.fixture
def builds(tmp_path, monkeypatch):
    monkeypatch.setenv("RTVIRT_CACHE", str(tmp_path))
    calls = []

    def build(out):
        calls.append(out)
        (out / "artifact").write_text("payload")
    return calls, build


def test_same_inputs_build_once(builds):
    calls, build = builds
    first = cache.cached("kind", {"a": "1"}, build)
    second = cache.cached("kind", {"a": "1"}, build)
    assert first == second and len(calls) == 1
    assert (first / "artifact").read_text() == "payload"


def test_changed_input_file_rebuilds(builds, tmp_path):
    calls, build = builds
    source = tmp_path / "src"
    source.mkdir()
    (source / "agent.py").write_text("v1")
    first = cache.cached("kind", {"src": source}, build)
    (source / "agent.py").write_text("v2")
    second = cache.cached("kind", {"src": source}, build)
    assert first != second and len(calls) == 2


def test_truncated_artifact_is_rebuilt(builds):
    calls, build = builds
    entry = cache.cached("kind", {"a": "1"}, build)
    (entry / "artifact").write_text("pay")
    assert cache.cached("kind", {"a": "1"}, build) == entry
    assert len(calls) == 2 and (entry / "artifact").read_text() == "payload"


def test_missing_stamp_is_rebuilt(builds):
    calls, build = builds
    entry = cache.cached("kind", {"a": "1"}, build)
    (entry / cache.STAMP).unlink()
    cache.cached("kind", {"a": "1"}, build)
    assert len(calls) == 2


def test_failed_build_leaves_no_entry(builds, tmp_path):
    def broken(out):
        (out / "half").write_text("x")
        raise RuntimeError("compiler crashed")

    with pytest.raises(RuntimeError):
        cache.cached("kind", {"a": "2"}, broken)
    assert [p.name for p in Path(tmp_path, "lab", "kind").iterdir()] == []


def test_hash_ignores_pycache(tmp_path):
    (tmp_path / "m.py").write_text("x = 1")
    before = cache.hash_inputs({"src": tmp_path})
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "m.pyc").write_bytes(b"\0")
    assert cache.hash_inputs({"src": tmp_path}) == before
