"""The line shaper itself, and the link riding out a pulled cable on it."""

import os
import threading
import time

from rtvirt.lab.line_shaper import LineShaper
from rtvirt_agent.protocol import Client, Server
from rtvirt_agent.streams import FdStream, SerialStream

from tests.protocol.peers import hello


def _read_all(stream, count, timeout):
    data, deadline = b"", time.monotonic() + timeout
    while len(data) < count and time.monotonic() < deadline:
        data += stream.read(count - len(data), 0.1)
    return data


def test_baud_rate_and_latency_are_enforced(serial_line):
    line = serial_line(baud=115200, latency=0.05)
    host = FdStream(*[os.open(line.host_path, os.O_RDWR | os.O_NOCTTY)] * 2)
    agent = FdStream(*[os.open(line.agent_path, os.O_RDWR | os.O_NOCTTY)] * 2)
    payload = os.urandom(2880)
    started = time.monotonic()
    host.write(payload)
    assert _read_all(agent, len(payload), 5.0) == payload
    elapsed = time.monotonic() - started
    assert 0.25 + 0.05 <= elapsed < 0.25 + 0.05 + 0.3, elapsed
    host.close()
    agent.close()


def test_faults_are_reproducible_from_the_seed():
    data = os.urandom(200_000)
    outputs = []
    for _ in range(2):
        line = LineShaper(seed=42, corrupt=0.01, drop=0.001, noise=0.001)
        outputs.append(line.to_host.mangle(data))
        stats = line.to_host.stats
        line.stop()
    assert outputs[0] == outputs[1] != data
    assert stats["corrupted"] > 1000 and stats["dropped"] > 100 and stats["noise_bytes"] > 0
    assert b"\r\n[    3." in outputs[0]


def test_pulled_cable_keeps_the_session_and_the_call_in_flight(serial_line):
    line = serial_line(baud=1_000_000, latency=0.016, seed=9)

    def slow(args, ctx):
        time.sleep(args["seconds"])
        return {"done": True}

    server = Server(SerialStream(line.agent_path), {"slow": slow}, hello=hello)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    client = Client(SerialStream(line.host_path), timeout=5)
    client.connect()
    session = client.session
    outcome = {}
    caller = threading.Thread(target=lambda: outcome.update(client.call("slow", {"seconds": 1})))
    caller.start()
    time.sleep(0.2)
    line.disconnect(2.5)
    caller.join(15)
    assert outcome == {"done": True}
    assert client.session == session
    assert line.stats["to_host"]["lost_disconnected"] > 0
    client.close()
    serving.join(5)
