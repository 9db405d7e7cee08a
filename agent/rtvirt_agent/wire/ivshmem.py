"""The ivshmem region, defined once (docs/ivshmem.md; agent/core/ivshmem_format.h mirrors it).

All integers are little-endian; every block starts on a 64-byte boundary so that the words
one side writes never share a cache line with the words the other side writes.

    header    HEADER at offset 0: magic, version, sizes, offsets, generation, state, heartbeat
    request   mailbox, host -> target: MAILBOX control block, then a byte ring
    response  mailbox, target -> host: same
    samples   STREAM block, then ``ring_count`` rings of RING_STRIDE(capacity) bytes each:
              RING control block, then ``capacity`` SLOTs
"""

from construct import Bytes, Int32sl, Int32ul, Int64ul, Padding, Struct

MAGIC = b"RTVIVSHM"
VERSION = 1
ALIGN = 64

STATE_INITIALISING, STATE_READY, STATE_CLOSED = 0, 1, 2
STREAM_IDLE, STREAM_FORMATTING, STREAM_RUNNING, STREAM_FINISHED = 0, 1, 2, 3

HEADER = Struct(
    "magic" / Bytes(8),
    "version" / Int32ul,
    "header_size" / Int32ul,
    "region_size" / Int64ul,
    "generation" / Int32ul,      # bumped by the target each time it (re)initialises the region
    "state" / Int32ul,           # STATE_*
    "heartbeat" / Int64ul,       # counted up by the target at least every HEARTBEAT_PERIOD_S
    "request_offset" / Int64ul,
    "request_size" / Int64ul,
    "response_offset" / Int64ul,
    "response_size" / Int64ul,
    "samples_offset" / Int64ul,
    "samples_size" / Int64ul,
    Padding(40),
)

MAILBOX = Struct(
    "head" / Int64ul,            # bytes written so far (producer)
    Padding(56),
    "tail" / Int64ul,            # bytes read so far (consumer)
    Padding(56),
)

STREAM = Struct(
    "generation" / Int32ul,      # bumped by the core each time it formats the sample area
    "state" / Int32ul,           # STREAM_*
    "ring_count" / Int32ul,
    "ring_capacity" / Int32ul,   # slots per ring
    "slot_size" / Int32ul,
    "reserved" / Int32ul,
    "heartbeat" / Int64ul,       # counted up by the core while it runs
    Padding(32),
)

RING = Struct(
    "head" / Int64ul,            # slots published so far (producer)
    "lost" / Int64ul,            # samples dropped because the ring was full (producer)
    "cpu" / Int32sl,
    "thread" / Int32ul,
    Padding(40),
    "tail" / Int64ul,            # slots consumed so far (consumer)
    Padding(56),
)

SLOT = Struct(
    "seq" / Int64ul,             # the sample's number in its thread (its cycle, from 0)
    "time_ns" / Int64ul,         # CLOCK_MONOTONIC of the wake-up on the target
    "latency_ns" / Int32ul,      # wake-up latency, saturated at 2**32 - 1
    "cpu" / Int32ul,
)

HEARTBEAT_PERIOD_S = 0.1
# Default split of a region (the lab's is 4 MiB): link frames of 2 KiB in a window of 32 fit
# the request mailbox; results of 64 KiB and more stream through the larger response mailbox.
# A smaller region (a Jailhouse link's 252 KiB read-write section) gets a smaller response
# mailbox, down to the request mailbox's size, and the least sample area.
REQUEST_BYTES = 64 * 1024
RESPONSE_BYTES = 256 * 1024
MIN_SAMPLES_BYTES = STREAM.sizeof() + RING.sizeof() + 16 * SLOT.sizeof()


def offsets(struct):
    """{field name: byte offset} of a fixed-size construct Struct."""
    result, at = {}, 0
    for sub in struct.subcons:
        if sub.name:
            result[sub.name] = at
        at += sub.sizeof()
    return result


def align_up(value, to=ALIGN):
    return (value + to - 1) // to * to


def ring_stride(capacity):
    """Bytes one ring of ``capacity`` slots takes, control block included."""
    return align_up(RING.sizeof() + capacity * SLOT.sizeof())


def ring_capacity(samples_size, ring_count, max_slots=0):
    """Slots per ring when ``ring_count`` rings share a sample area (at most ``max_slots``)."""
    per_ring = (samples_size - STREAM.sizeof()) // ring_count // ALIGN * ALIGN
    capacity = (per_ring - RING.sizeof()) // SLOT.sizeof()
    return min(capacity, max_slots) if max_slots else capacity


def default_header(region_size, generation):
    """The header a target writes into a region of ``region_size`` bytes."""
    request = HEADER.sizeof()
    response = request + REQUEST_BYTES
    room = (region_size - response - MIN_SAMPLES_BYTES) // ALIGN * ALIGN
    response_size = min(RESPONSE_BYTES, room)
    if response_size < REQUEST_BYTES:
        raise ValueError(f"an ivshmem region needs at least "
                         f"{response + REQUEST_BYTES + MIN_SAMPLES_BYTES} bytes, this one has "
                         f"{region_size}")
    samples = response + response_size
    return dict(magic=MAGIC, version=VERSION, header_size=HEADER.sizeof(),
                region_size=region_size, generation=generation, state=STATE_INITIALISING,
                heartbeat=0, request_offset=request, request_size=REQUEST_BYTES,
                response_offset=response, response_size=response_size,
                samples_offset=samples, samples_size=region_size - samples)


# Sizes and offsets the C side needs; tests/ivshmem checks agent/core/ivshmem_format.h
# against exactly these numbers.
C_CONSTANTS = {
    "IVSHMEM_VERSION": VERSION,
    "IVSHMEM_ALIGN": ALIGN,
    "IVSHMEM_HEADER_SIZE": HEADER.sizeof(),
    "IVSHMEM_STATE_READY": STATE_READY,
    "IVSHMEM_STREAM_SIZE": STREAM.sizeof(),
    "IVSHMEM_STREAM_FORMATTING": STREAM_FORMATTING,
    "IVSHMEM_STREAM_RUNNING": STREAM_RUNNING,
    "IVSHMEM_STREAM_FINISHED": STREAM_FINISHED,
    "IVSHMEM_RING_SIZE": RING.sizeof(),
    "IVSHMEM_SLOT_SIZE": SLOT.sizeof(),
    **{f"IVSHMEM_HDR_{k.upper()}": v for k, v in offsets(HEADER).items()},
    **{f"IVSHMEM_STREAM_{k.upper()}": v for k, v in offsets(STREAM).items()},
    **{f"IVSHMEM_RING_{k.upper()}": v for k, v in offsets(RING).items()},
    **{f"IVSHMEM_SLOT_{k.upper()}": v for k, v in offsets(SLOT).items()},
}
