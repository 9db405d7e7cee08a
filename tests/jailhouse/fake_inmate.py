"""A bare-metal inmate in Python: the agent/inmate protocol (docs/inmate.md) over a file, so
the root cell's relay (rtvirt_agent.ops.cell) is tested without Jailhouse."""

import threading
import time

from rtvirt_agent.cell.link import SectionMap
from rtvirt_agent.ivshmem import region as regions
from rtvirt_agent.ivshmem.mailbox import ByteRing
from rtvirt_agent.ivshmem.ring import beat, finish_stream, format_stream
from rtvirt_agent.wire.cell_command import COMMAND
from rtvirt_agent.wire.ivshmem import HEADER, MAGIC, MAILBOX, STATE_READY, VERSION
from rtvirt_agent.wire.result import build_result

REQUEST, RESPONSE = (128, 4096), (128 + 4096, 65536)   # agent/inmate/cell_link.h
SAMPLES_AT = RESPONSE[0] + RESPONSE[1]


def init_region(region):
    """What link.c's init_region writes."""
    region.bytes[:SAMPLES_AT + 64] = bytes(SAMPLES_AT + 64)
    region.bytes[:HEADER.sizeof()] = HEADER.build(dict(
        magic=MAGIC, version=VERSION, header_size=HEADER.sizeof(), region_size=region.size,
        generation=1, state=STATE_READY, heartbeat=0, request_offset=REQUEST[0],
        request_size=REQUEST[1], response_offset=RESPONSE[0], response_size=RESPONSE[1],
        samples_offset=SAMPLES_AT, samples_size=region.size - SAMPLES_AT))
    assert MAILBOX.sizeof() == 128


MISSED_AT = 50  # the fake oversleeps once: its wakeup 50 lands two periods late


def record(command, latencies):
    """The record inmate_run.c sends for ``command`` with these latencies (ns)."""
    counts = {}
    for value in latencies:
        counts[value // 1000] = counts.get(value // 1000, 0) + 1
    return build_result({
        "version": 1, "tool": "rtvirt-inmate 0.1.0", "command": "rtvirt-inmate",
        "start_realtime_ns": command.realtime_ns, "start_monotonic_ns": 1, "duration_ns": 2,
        "stop_reason": "completed",
        "params": {"interval_us": command.interval_us, "distance_us": 0,
                   "loops": command.loops, "duration_limit_s": 0,
                   "histogram_us": command.histogram_us, "priority": 99, "policy": "fifo",
                   "smp": False, "mlockall": False, "overflow_cap": command.overflow_cap,
                   "affinity": str(command.cpu)},
        "sysinfo": {"release": "jailhouse-inmate", "version": "bare-metal", "machine": "aarch64",
                    "nodename": "rtvirt-baremetal", "cpus_online": str(command.cpu),
                    "cpu_count": 1, "preempt_rt": False, "cmdline": "", "clocksource": "x"},
        "pm_qos": {"held": False, "value_us": 0, "error": "not applicable"},
        "labels": {"run": str(command.run_id)},
        "threads": [{
            "index": 0, "cpu": command.cpu, "tid": 0, "policy": "fifo", "priority": 99,
            "interval_us": command.interval_us, "cycles": len(latencies),
            "min_ns": min(latencies), "avg_ns": sum(latencies) // len(latencies),
            "max_ns": max(latencies), "missed": 2 if len(latencies) > MISSED_AT else 0,
            "p50_ns": 0, "p99_ns": 0, "p99_9_ns": 0, "p99_99_ns": 0,
            "histogram": {"bucket_ns": 1000, "buckets": command.histogram_us,
                          "counts": sorted([k, v] for k, v in counts.items())},
            "overflow_total": 0, "overflow_samples": []}],
    })


class FakeInmate:
    """Serves commands until stopped; ``beating`` False freezes its heartbeat, ``sequence``
    numbers each cycle's sample (a hostile inmate's may go back)."""

    def __init__(self, path, offset, size):
        self.region = SectionMap(path, offset, size)
        init_region(self.region)
        self.layout = regions.check_header(self.region)
        self.requests = ByteRing(self.region, REQUEST, producer=False)
        self.responses = ByteRing(self.region, RESPONSE, producer=True)
        self.beating = True
        self.sequence = lambda cycle: cycle
        self.commands = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        pending = b""
        while not self._stop.wait(0.005):
            if self.beating:
                regions.bump_heartbeat(self.region)
            pending += self.requests.read(COMMAND.sizeof())
            if len(pending) >= COMMAND.sizeof():
                command = COMMAND.parse(pending[:COMMAND.sizeof()])
                pending = pending[COMMAND.sizeof():]
                self.commands.append(command)
                self._run(command)

    def _run(self, command):
        (writer,) = format_stream(self.region, self.layout, [command.cpu])
        latencies = [3000 + 100 * (cycle % 7) for cycle in range(command.loops)]
        period_ns, skipped = command.interval_us * 1000, 0
        for cycle, latency in enumerate(latencies):
            skipped += 2 if cycle == MISSED_AT + 1 else 0
            start = 5_000_000 + (cycle + skipped) * period_ns
            while not writer.push(self.sequence(cycle), start + latency, latency, command.cpu):
                time.sleep(0.001)
            if cycle % 100 == 0:
                beat(self.region, self.layout)
                regions.bump_heartbeat(self.region)
        finish_stream(self.region, self.layout)
        data = record(command, latencies)
        while data:
            data = data[self.responses.write(data):]
            time.sleep(0.001)

    def close(self):
        self._stop.set()
        self._thread.join()
