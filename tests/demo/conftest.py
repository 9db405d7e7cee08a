"""A real local agent (``rtvirt-agent --stdio`` through the exec: transport) with the core
built from agent/core, and a host store, for the demo engine's tests."""

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from rtvirt.store import Store
from rtvirt.transports import connect

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def demo_core(tmp_path_factory):
    """rtvirt-measure built from agent/core into a temporary directory."""
    out = tmp_path_factory.mktemp("demo-core")
    built = subprocess.run(["make", "-s", "-C", str(REPO / "agent" / "core"), f"O={out}"],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    return out / "rtvirt-measure"


@pytest.fixture(name="agent_uri")
def agent_uri_fixture(tmp_path, demo_core):
    """The exec: URI of a local agent using that core, results under tmp_path."""
    config = tmp_path / "agent.toml"
    config.write_text(f'version = 1\nresults_dir = "{tmp_path / "agent-results"}"\n'
                      f'core = "{demo_core}"\n')
    command = [sys.executable, "-m", "rtvirt_agent.main", "--stdio", "--config", str(config)]
    return "exec:" + shlex.join(command)


@pytest.fixture(name="agent")
def agent_fixture(agent_uri):
    """(client, hello) of the local agent."""
    client, hello = connect(agent_uri, timeout=20)
    yield client, hello
    client.close()


@pytest.fixture(name="store")
def store_fixture(tmp_path):
    with Store(tmp_path / "host.sqlite") as store:
        yield store
