"""Protocol version negotiation: a host and an agent of different releases still talk, over
the shaped line, and the newer side never sends what the older one cannot read."""

import threading

import pytest
from rtvirt_agent.protocol import Client, Server

from tests.protocol.peers import hello
from tests.protocol.test_rpc import HANDLERS


@pytest.fixture
def talk(serial_line):
    """Factory: ``talk(host_versions, agent_versions, **line)`` → (connected client, server)."""
    from rtvirt_agent.streams import SerialStream

    made = []

    def start(host_versions, agent_versions, **settings):
        line = serial_line(**settings)
        server = Server(SerialStream(line.agent_path), HANDLERS, hello=hello,
                        versions=agent_versions)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        client = Client(SerialStream(line.host_path), timeout=30, versions=host_versions)
        made.append(client)
        client.connect()
        return client, server

    yield start
    for client in made:
        client.close()


def test_a_new_host_falls_back_to_an_old_agent_on_a_noisy_line(talk):
    client, server = talk((1, 2), (1,), corrupt=0.002, seed=4)
    blob = bytes(range(256)) * 64
    assert client.call("echo", {"blob": blob})["echo"]["blob"] == blob
    assert client.stats["version"] == 1
    assert server.stats["other_version"] == 0, "a version-2 frame reached the old agent's session"


def test_an_old_host_is_answered_in_its_version(talk):
    client, server = talk((1,), (1, 2))
    assert client.call("sysinfo")["kernel"] == "6.1"
    assert client.stats["version"] == 1 and server.stats["other_version"] == 0


def test_two_new_sides_use_the_newest_version(talk):
    client, _ = talk((1, 2), (1, 2))
    assert client.call("sysinfo")["kernel"] == "6.1"
    assert client.stats["version"] == 2
