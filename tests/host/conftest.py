"""Host fixtures: a real agent (``rtvirt-agent --stdio`` with a freshly built core) as target."""

import subprocess
import sys
from pathlib import Path

import pytest
from rtvirt.database.local_server import fresh_database, postgres_server

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def make_record(core_binary, tmp_path):
    """make_record(name) -> a real binary result record from a short run of the core."""
    def make(name="one"):
        out = tmp_path / f"{name}.rtr"
        done = subprocess.run([str(core_binary), "-a0", "-t1", "-i1000", "-l50", "-q", "--result",
                               str(out), "--label", f"name={name}"],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return out.read_bytes()
    return make


@pytest.fixture
def record(make_record):
    return make_record()


@pytest.fixture
def rtvirt(tmp_path):
    """Run the rtvirt CLI in a subprocess with its own store; returns the CompletedProcess."""
    def run(*args, target=None, timeout=120):
        argv = [sys.executable, "-m", "rtvirt.cli", "--db", str(tmp_path / "store.sqlite")]
        if target:
            argv += ["--target", target]
        return subprocess.run(argv + list(args), capture_output=True, text=True,
                              timeout=timeout)
    return run


@pytest.fixture(scope="session")
def postgres_server_url():
    with postgres_server() as url:
        yield url


@pytest.fixture
def pg_url(postgres_server_url):
    """A fresh, empty database on a real PostgreSQL server started for this test session."""
    return fresh_database(postgres_server_url)
