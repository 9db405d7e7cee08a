"""Console lines inside a frame: find them, and offer the block without them.

A kernel message printed on the UART the agent shares lands between two bytes of a frame
(text never contains 0x00, so it cannot end the frame). The frame's CRC then fails although
every byte of the frame arrived. Such text is recognisable: a run of printable ASCII ending
in a newline. ``without_console_text`` yields the block with such spans cut out, the most
likely first; the caller keeps the first one whose CRC matches, so a frame hit by a console
line costs no retransmission. The candidates are few and bounded (``MAX_CANDIDATES``): each
one is a fresh CRC-32 check, so their number bounds the chance of accepting a damaged frame
(128 × 2^-32 ≈ 3e-8 per damaged frame, beside the header checks that follow the CRC).
"""

import re
from collections.abc import Iterator
from itertools import chain, combinations, islice, product

MIN_LINE = 8
"""Shortest text run taken for a console line (random frame bytes rarely form one)."""
MAX_LEAD = 8
"""Frame bytes that happen to be text and may precede the console line in its run."""
MAX_MARKS = 16
"""Line starts (newline, ``[``) further into a text run tried as the start of console text."""
MAX_SPANS_PER_RUN = 32
"""Spans of one text run tried (its most likely ones)."""
MAX_RUNS = 4
"""Text runs considered in one block (console messages in one frame; a text payload can
hold many runs)."""
MAX_CANDIDATES = 128
"""Blocks offered per damaged block."""
_NEWLINE = 0x0A
# console text: printable ASCII, tab, LF, CR and ESC (colour sequences)
_TEXT_RUN = re.compile(rb"[\x09\x0a\x0d\x1b\x20-\x7e]{%d,}" % MIN_LINE)
_LINE_START = re.compile(rb"\r?\n|\[")


def text_runs(block: bytes) -> list[tuple[int, int]]:
    """``(start, end)`` of every run of console text at least ``MIN_LINE`` long with a newline."""
    return [match.span() for match in _TEXT_RUN.finditer(block) if b"\n" in match[0]]


def spans(block: bytes, run: tuple[int, int]) -> list[tuple[int, int]]:
    """Spans of ``run`` that may be the console text, the most likely first.

    The text ends just after a newline (the last one of the run first: frame bytes after it
    rarely are text for long). It starts at the run's start or a few bytes later, or — when
    the frame's own bytes before it are text too — where a line starts: a newline or the
    ``[`` of a kernel timestamp.
    """
    start, end = run
    ends = [i + 1 for i in range(end - 1, start - 1, -1) if block[i] == _NEWLINE]
    leads = range(start, min(start + MAX_LEAD + 1, end))
    marks = [match.start() for match in _LINE_START.finditer(block, start + MAX_LEAD + 1, end)]
    return [(first, last) for last in ends for first in (*leads, *marks[:MAX_MARKS])
            if first < last - 1]


def without_console_text(block: bytes) -> Iterator[bytes]:
    """The block with console-line-shaped spans cut out — one from each of one or more text
    runs (several messages can land in one frame) — the most likely first; at most
    MAX_CANDIDATES blocks."""
    per_run = [spans(block, run)[:MAX_SPANS_PER_RUN] for run in text_runs(block)][:MAX_RUNS]
    likely = (chosen for _, chosen in sorted(_likely(per_run), key=lambda pair: pair[0]))
    rest = ((span,) for run in per_run for span in run[MAX_LEAD + 1:])
    for chosen in islice(chain(likely, rest), MAX_CANDIDATES):
        yield _cut(block, chosen)


def _likely(per_run: list[list[tuple[int, int]]]):
    """(rank, spans) for each choice of runs and of one of the MAX_LEAD + 1 likeliest spans of
    each. Rank: the spans' places in their runs' lists, summed; on a tie, more runs cut first
    (in a frame's bytes, a long text run with a newline is nearly always console text)."""
    heads = [run[:MAX_LEAD + 1] for run in per_run]
    for count in range(1, len(heads) + 1):
        for runs in combinations(heads, count):
            for places in product(*(range(len(run)) for run in runs)):
                yield (sum(places), -count), tuple(run[i] for run, i in zip(runs, places,
                                                                             strict=True))


def _cut(block: bytes, chosen: tuple[tuple[int, int], ...]) -> bytes:
    pieces, position = [], 0
    for first, last in chosen:
        pieces.append(block[position:first])
        position = last
    pieces.append(block[position:])
    return b"".join(pieces)
