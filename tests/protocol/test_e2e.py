"""End to end: the real rtvirt-agent process behind the line shaper, faults and all."""

import hashlib
import random
import threading

import pytest
from rtvirt_agent.protocol import Client
from rtvirt_agent.store import ResultStore
from rtvirt_agent.streams import SerialStream
from rtvirt_agent.wire.errors import Unreachable

FAST_BAUD = 1_000_000
"""The 1,000-request acceptance run uses 1 Mbaud: at 115200 it would take half an hour."""


def _fill_results(directory, count, seed):
    rng = random.Random(seed)
    store = ResultStore(directory)
    blobs = {}
    for index in range(count):
        blob = rng.randbytes(64 * 1024)
        blobs[store.put(blob, {"index": str(index)})] = blob
    return blobs


def _fetch_all(client, expected):
    listed = [entry["id"] for entry in client.call("results.list")["results"]]
    assert sorted(listed) == sorted(expected), "results lost or duplicated in the listing"
    fetched = {}
    for rid in listed:
        reply = client.call("results.get", {"id": rid}, timeout=30)
        assert reply["id"] == rid
        assert hashlib.sha256(reply["data"]).hexdigest() == rid
        fetched[rid] = reply["data"]
    assert fetched == expected
    return fetched


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_acceptance_1000_requests_20_results_through_faults(serial_line, agent_on, tmp_path):
    expected = _fill_results(tmp_path / "results", 20, seed=3)
    line = serial_line(baud=FAST_BAUD, seed=3, corrupt=0.01, drop=0.001, noise=0.0005)
    agent = agent_on(line, FAST_BAUD, tmp_path / "results")
    client = Client(SerialStream(line.host_path, FAST_BAUD), timeout=20)
    assert client.connect()["protocol_version"]
    sessions = {client.session}
    answered = []

    def requests(worker):
        for index in range(125):
            answered.append((worker, index, client.call("hello")["protocol_version"]))

    workers = [threading.Thread(target=requests, args=(n,)) for n in range(8)]
    for worker in workers:
        worker.start()
    for disturbance in (lambda: line.disconnect(2.0), agent.restart,
                        lambda: line.disconnect(2.0)):
        threading.Event().wait(4.0)
        disturbance()
        client.call("hello")
        sessions.add(client.session)
    for worker in workers:
        worker.join(600)
    assert len(answered) == 1000
    assert len({(worker, index) for worker, index, _ in answered}) == 1000
    _fetch_all(client, expected)
    stats = client.stats
    client.close()
    assert len(sessions) == 2, "the agent restart must show as exactly one new session"
    assert stats["crc_errors"] > 0 and stats["noise_bytes"] > 0
    assert stats["peer_resets"] == 1
    print("line", line.stats, "client", stats)


@pytest.mark.slow
def test_results_at_115200_with_usb_latency_and_console_noise(serial_line, agent_on, tmp_path):
    expected = _fill_results(tmp_path / "results", 2, seed=5)
    line = serial_line(baud=115200, latency=0.016, seed=5, corrupt=0.0001, noise=0.0002)
    agent_on(line, 115200, tmp_path / "results")
    line.to_host.inject(b"\r\nDebian GNU/Linux 12 rtvirt ttyS1\r\n\r\nrtvirt login: ")
    client = Client(SerialStream(line.host_path, 115200), timeout=20)
    client.connect()
    _fetch_all(client, expected)
    assert client.stats["noise_bytes"] > 0
    client.close()


def test_agent_gone_is_unreachable(serial_line, agent_on, tmp_path):
    line = serial_line(baud=FAST_BAUD, latency=0.001)
    agent = agent_on(line, FAST_BAUD, tmp_path / "results")
    client = Client(SerialStream(line.host_path, FAST_BAUD), timeout=2)
    client.connect()
    agent.process.kill()
    agent.process.wait()
    with pytest.raises(Unreachable, match="no answer from the agent for 2 s"):
        client.call("sysinfo")
    client.close()
