"""Serial goodput of the rtvirt link through the line shaper: 115200 baud, 16 ms USB latency.

Goodput is result bytes delivered per second divided by the line rate (baud / 10 for 8N1).
Four lines: clean, a kernel console line landing inside 5 % of 256-byte chunks (the agent
shares the console), 0.1 % and 1 % of bytes corrupted in both directions. XMODEM-CRC and
XMODEM-1K run on the same lines (same shaper settings and seed) as the baseline. A transfer
that delivers anything but the exact bytes sent raises: nothing lost, nothing duplicated.
The ``turnaround`` figures repeat the clean case with a 1 ms adapter latency timer beside the
FTDI default of 16 ms (docs/protocol.md, USB adapters).
"""

import contextlib
import os
import threading
import time

from rtvirt.lab.line_shaper import LineShaper
from rtvirt_agent.protocol import Client, Server
from rtvirt_agent.streams import SerialStream
from rtvirt_agent.wire.frame import PROTOCOL_VERSION

from bench import _xmodem

BAUD = 115200
LATENCY = 0.016
SIZE = 256 * 1024
XMODEM_SIZE = 32 * 1024
XMODEM_DEADLINE = 90.0
CASES = {
    "clean": dict(goal=0.97),
    "printk_5pct": dict(goal=0.93, noise=0.05 / 256),
    "corrupt_0.1pct": dict(goal=0.75, corrupt=0.001),
    "corrupt_1pct": dict(goal=0.45, corrupt=0.01),
}


def _fraction(size: int, seconds: float) -> float:
    return round(size / seconds / (BAUD / 10), 4)


def _hello():
    return {"agent_version": "bench", "protocol_version": PROTOCOL_VERSION, "hostname": "bench",
            "ops": ["blob"], "blocksys_enabled": False, "core": None}


@contextlib.contextmanager
def _link(blob: bytes, seed: int, latency: float, faults: dict):
    """(client, server) of an agent serving ``blob`` as the reply to "blob" on a shaped line."""
    with LineShaper(baud=BAUD, latency=latency, seed=seed, **faults) as line:
        server = Server(SerialStream(line.agent_path, BAUD),
                        {"blob": lambda args, ctx: {"data": blob}}, hello=_hello)
        serving = threading.Thread(target=server.serve_forever, daemon=True)
        serving.start()
        client = Client(SerialStream(line.host_path, BAUD), timeout=30)
        try:
            client.connect()
            yield client, server
        finally:
            client.close()
            serving.join(5)


def rtvirt_goodput(size: int, seed: int, latency: float = LATENCY, **faults) -> dict:
    """Fetch ``size`` random bytes as one result through a shaped line; figures of the run."""
    blob = os.urandom(size)
    with _link(blob, seed, latency, faults) as (client, server):
        started = time.monotonic()
        data = client.call("blob")["data"]
        elapsed = time.monotonic() - started
        stats, sender_stats = client.stats, server.stats
    if data != blob:
        raise RuntimeError(f"transfer corrupted ({faults})")
    return {"bytes": size, "seconds": round(elapsed, 3),
            "fraction_of_line_rate": _fraction(size, elapsed),
            "damaged_frames_at_host": stats["crc_errors"] + stats["bad_frames"],
            "recovered_at_host": stats.get("frames_recovered", 0),
            "frames_sent": sender_stats["frames_sent"],
            "retransmissions": sender_stats["retransmissions"],
            "timeouts": sender_stats["timeouts"]}


def call_round_trip_ms(latency: float, calls: int = 20) -> float:
    """Median milliseconds of a small call (the kind every CLI command starts with)."""
    with _link(b"", 0, latency, {}) as (client, _):
        times = []
        for _ in range(calls):
            started = time.monotonic()
            client.call("blob")
            times.append(time.monotonic() - started)
    return round(sorted(times)[calls // 2] * 1000, 1)


def xmodem_goodput(block: int, seed: int, latency: float = LATENCY, **faults) -> dict:
    """XMODEM-CRC with ``block``-byte blocks on the same line; ``lost`` when it gave up."""
    blob = os.urandom(XMODEM_SIZE)
    with LineShaper(baud=BAUD, latency=latency, seed=seed, **faults) as line:
        sender_stream = SerialStream(line.agent_path, BAUD)
        receiver_stream = SerialStream(line.host_path, BAUD)
        failure = []
        sender = threading.Thread(target=_send_catching, args=(sender_stream, blob, block,
                                                                failure))
        started = time.monotonic()
        sender.start()
        try:
            data = _xmodem.receive(receiver_stream, len(blob), started + XMODEM_DEADLINE)
        except _xmodem.TransferLost as error:
            failure.append(str(error))
        elapsed = time.monotonic() - started
        sender.join(15)
        sender_stream.close()
        receiver_stream.close()
    if failure:
        return {"bytes": XMODEM_SIZE, "lost": failure[0], "fraction_of_line_rate": 0.0}
    if data != blob:
        return {"bytes": XMODEM_SIZE, "lost": "delivered wrong data", "fraction_of_line_rate": 0.0}
    return {"bytes": XMODEM_SIZE, "seconds": round(elapsed, 3),
            "fraction_of_line_rate": _fraction(XMODEM_SIZE, elapsed)}


def _send_catching(stream, blob, block, failure):
    try:
        _xmodem.send(stream, blob, block)
    except (_xmodem.TransferLost, EOFError) as error:
        failure.append(str(error))


def run() -> dict:
    figures = {"baud": BAUD, "latency_ms": LATENCY * 1000, "bytes": SIZE}
    for seed, (name, case) in enumerate(CASES.items()):
        faults = {key: value for key, value in case.items() if key != "goal"}
        result = rtvirt_goodput(SIZE, seed, **faults)
        result["goal"] = case["goal"]
        result["meets_goal"] = result["fraction_of_line_rate"] >= case["goal"]
        result["xmodem_crc"] = xmodem_goodput(128, seed, **faults)
        result["xmodem_1k"] = xmodem_goodput(1024, seed, **faults)
        figures[name] = result
    figures["turnaround"] = {
        f"{int(latency * 1000)}ms": {
            "call_round_trip_ms": call_round_trip_ms(latency),
            "fraction_of_line_rate": rtvirt_goodput(SIZE // 4, 0, latency)["fraction_of_line_rate"],
            "xmodem_1k": xmodem_goodput(1024, 0, latency=latency)["fraction_of_line_rate"]}
        for latency in (0.001, LATENCY)}
    return figures
