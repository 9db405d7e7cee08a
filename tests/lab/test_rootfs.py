"""The root filesystem takes its apt sources from this machine, Debian bookworm entries only."""

import pytest
from rtvirt.lab import rootfs
from rtvirt_agent.wire.errors import RtvirtError

DEBIAN = """Types: deb
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
"""
OTHER = """Types: deb
URIs: https://vendor.example/apt
Suites: nodistro
Components: main
"""


@pytest.fixture
def sources(tmp_path, monkeypatch):
    monkeypatch.setattr(rootfs, "SOURCES_DIR", tmp_path)
    monkeypatch.setattr(rootfs, "SOURCES_LIST", tmp_path / "sources.list")
    return tmp_path


def test_only_bookworm_entries_are_taken(sources):
    (sources / "debian.sources").write_text(DEBIAN + "\n" + OTHER)
    text = rootfs.apt_sources()
    assert "mirror.example" in text and "vendor.example" not in text


def test_one_line_sources_are_converted(sources):
    (sources / "sources.list").write_text("deb http://mirror.example/debian bookworm main\n")
    assert "URIs: http://mirror.example/debian\nSuites: bookworm" in rootfs.apt_sources()


def test_no_debian_entry_is_an_error(sources):
    (sources / "vendor.sources").write_text(OTHER)
    with pytest.raises(RtvirtError, match="no Debian bookworm entry"):
        rootfs.apt_sources()
