"""The source tree the lab builds from is found in one place, and a wrong one is named."""

from pathlib import Path

import pytest
from rtvirt.source_tree import PARTS, source_tree
from rtvirt_agent.wire.errors import UsageError

REPO = Path(__file__).resolve().parents[2]


def test_the_tree_rtvirt_is_installed_from(monkeypatch):
    monkeypatch.delenv("RTVIRT_SOURCE_TREE", raising=False)
    assert source_tree() == REPO


def test_RTVIRT_SOURCE_TREE_names_another_tree(monkeypatch, tmp_path):
    for part in PARTS:
        (tmp_path / part).mkdir(parents=True)
    monkeypatch.setenv("RTVIRT_SOURCE_TREE", str(tmp_path))
    assert source_tree() == tmp_path


def test_a_tree_without_the_sources_is_refused_naming_what_is_missing(monkeypatch, tmp_path):
    (tmp_path / "tools").mkdir()
    monkeypatch.setenv("RTVIRT_SOURCE_TREE", str(tmp_path))
    with pytest.raises(UsageError, match="RTVIRT_SOURCE_TREE.*no Makefile, mk, agent/rtvirt_agent"):
        source_tree()
