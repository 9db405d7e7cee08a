"""Serial goodput of the rtvirt link through the line shaper: 115200 baud, 16 ms USB latency.

Goodput is result bytes delivered per second divided by the line rate (baud / 10 for 8N1).
The XMODEM-CRC baseline runs on the same shaped line.
"""

import os
import threading
import time

from rtvirt_agent.protocol import Client, Server
from rtvirt_agent.streams import SerialStream

from bench import _xmodem
from tests.protocol.shaper import LineShaper

BAUD = 115200
LATENCY = 0.016
CASES = (("clean", 0.0, 256 * 1024), ("corrupt_1pct", 0.01, 64 * 1024))
XMODEM_SIZE = 32 * 1024


def _rtvirt_goodput(corrupt: float, size: int, seed: int) -> dict:
    blob = os.urandom(size)
    with LineShaper(baud=BAUD, latency=LATENCY, corrupt=corrupt, seed=seed) as line:
        server = Server(SerialStream(line.agent_path, BAUD),
                        {"results.get": lambda args, ctx: {"data": blob}}, hello=dict)
        serving = threading.Thread(target=server.serve_forever, daemon=True)
        serving.start()
        client = Client(SerialStream(line.host_path, BAUD), timeout=30)
        client.connect()
        started = time.monotonic()
        data = client.call("results.get", {"id": "bench"})["data"]
        elapsed = time.monotonic() - started
        stats, sender_stats = client.stats, server.stats
        client.close()
        serving.join(5)
    if data != blob:
        raise RuntimeError("transfer corrupted")
    return {"bytes": size, "seconds": round(elapsed, 3),
            "fraction_of_line_rate": round(size / elapsed / (BAUD / 10), 4),
            "crc_errors_at_host": stats["crc_errors"],
            "frames_sent": sender_stats["frames_sent"],
            "retransmissions": sender_stats["retransmissions"],
            "timeouts": sender_stats["timeouts"]}


def _xmodem_goodput() -> dict:
    blob = os.urandom(XMODEM_SIZE)
    with LineShaper(baud=BAUD, latency=LATENCY) as line:
        sender_stream = SerialStream(line.agent_path, BAUD)
        receiver_stream = SerialStream(line.host_path, BAUD)
        sender = threading.Thread(target=_xmodem.send, args=(sender_stream, blob))
        started = time.monotonic()
        sender.start()
        data = _xmodem.receive(receiver_stream, len(blob))
        elapsed = time.monotonic() - started
        sender.join(10)
        sender_stream.close()
        receiver_stream.close()
    if data != blob:
        raise RuntimeError("XMODEM transfer corrupted")
    return {"bytes": XMODEM_SIZE, "seconds": round(elapsed, 3),
            "fraction_of_line_rate": round(XMODEM_SIZE / elapsed / (BAUD / 10), 4)}


def run() -> dict:
    figures = {"baud": BAUD, "latency_ms": LATENCY * 1000}
    for seed, (name, corrupt, size) in enumerate(CASES):
        figures[name] = _rtvirt_goodput(corrupt, size, seed)
    figures["xmodem_crc_clean"] = _xmodem_goodput()
    figures["ratio_to_xmodem"] = round(figures["clean"]["fraction_of_line_rate"]
                                       / figures["xmodem_crc_clean"]["fraction_of_line_rate"], 2)
    return figures
