"""A hostile peer for the fuzz test: ``python -m tests.ivshmem.mutator PATH COUNT SEED
[START:LENGTH...]``.

Writes COUNT random mutations into the region file while the host reads it: half of them
into the header and the control blocks given as START:LENGTH arguments, half
anywhere; a mutation stores a random byte, or a 64-bit word that is zero, small, near a
plausible counter, huge or random. Every REPAIR_EVERY mutations the control words get their
original values back (as a peer re-initialising would), so the host keeps meeting regions
that are only partly broken. Prints the number of mutations done.
"""

import mmap
import random
import sys

from rtvirt_agent.wire.ivshmem import HEADER

REPAIR_EVERY = 200


def hot_offsets(size, control_blocks):
    """Word offsets of the control blocks, where a mutation hurts most."""
    spots = list(range(0, HEADER.sizeof(), 8))
    for start, length in control_blocks:
        spots += range(start, min(start + length, size), 8)
    return spots


def mutate(path, count, seed, control_blocks):
    rng = random.Random(seed)
    with open(path, "r+b") as file:
        region = mmap.mmap(file.fileno(), 0)
    words = memoryview(region).cast("Q")
    hot = hot_offsets(len(region), control_blocks)
    original = {at: words[at >> 3] for at in hot}
    values = [0, 1, 2, 15, 16, 17, 4095, 65536, 1 << 31, 1 << 32, 1 << 62, 2**64 - 1]
    for done in range(count):
        if done % REPAIR_EVERY == 0:
            for at, value in original.items():
                words[at >> 3] = value
        at = rng.choice(hot) if done % 2 else rng.randrange(0, len(region) - 8) & ~7
        kind = rng.random()
        if kind < 0.4:
            region[at + rng.randrange(8)] = rng.randrange(256)
        elif kind < 0.7:
            words[at >> 3] = rng.choice(values)
        elif kind < 0.85:
            words[at >> 3] = (words[at >> 3] + rng.randrange(-70000, 70000)) % 2**64
        else:
            words[at >> 3] = rng.getrandbits(64)
    print(count)


if __name__ == "__main__":
    blocks = [(int(start), int(length)) for start, length in
              (pair.split(":") for pair in sys.argv[4:])]
    mutate(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), blocks)
