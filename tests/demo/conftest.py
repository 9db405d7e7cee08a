"""A real local agent (``rtvirt-agent --stdio`` through the exec: transport) with the core
built from agent/core, and a host store, for the demo engine's tests."""

from pathlib import Path

import pytest
from rtvirt.store import Store
from rtvirt.transports import connect

REPO = Path(__file__).resolve().parents[2]


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
