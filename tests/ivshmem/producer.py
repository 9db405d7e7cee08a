"""A sample producer in its own process for the two-process ring tests and benchmarks:
``python -m tests.ivshmem.producer PATH RINGS SLOTS COUNT [pace]``.

It formats the stream with RINGS rings of at most SLOTS slots and pushes COUNT samples into
each (seq = cycle number, latency = seq % 1000, cpu = ring). With ``pace`` it never overruns
the consumer (waits while a ring is full, to prove order and wrap-around); without, it drops
and counts like the real core.
"""

import sys
import time

from rtvirt_agent.ivshmem.region import Region, check_header
from rtvirt_agent.ivshmem.ring import RING_AT, beat, finish_stream, format_stream


def produce(path, rings, slots, count, paced):
    region = Region(path)
    layout = check_header(region)
    writers = format_stream(region, layout, list(range(rings)), slots)
    for seq in range(count):
        for cpu, writer in enumerate(writers):
            while paced and writer.head - region.word(writer.offset + RING_AT["tail"]) \
                    >= writer.capacity:
                time.sleep(0.0001)
            writer.push(seq, 1000 * seq, seq % 1000, cpu)
        if seq % 4096 == 0:
            beat(region, layout)
    finish_stream(region, layout)


if __name__ == "__main__":
    produce(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]),
            len(sys.argv) > 5)
