"""Overlapping intervals by sort and sweep, counted in O(n log n) and listed lazily.

A hostile or generated configuration may hold thousands of regions that all overlap: the
checks count every overlapping pair but list only the first few (``collapse``), so neither the
work nor the report grows with the square of the region count.

Two half-open, non-empty intervals ``[a, b)`` and ``[c, d)`` overlap exactly when
``a <= c < b`` or ``c < a < d``: each overlapping pair is found once as "the other one starts
inside me", which a binary search over the sorted starts answers.
"""

from bisect import bisect_left, bisect_right
from itertools import islice

from rtvirt.cells.model import Finding

LISTED = 24
"""Findings of one kind listed per cell (or pair of cells) before the rest are summed up."""


class Spans:
    """Intervals ``(start, end, item)`` sorted by start; empty intervals are left out."""

    def __init__(self, spans):
        self.spans = sorted(((s, e, i) for s, e, i in spans if e > s), key=lambda x: x[:2])
        self.starts = [span[0] for span in self.spans]

    def starting_in(self, low, high, *, include_low=True):
        """Indices of the spans whose start lies in [low, high) (or (low, high))."""
        first = (bisect_left if include_low else bisect_right)(self.starts, low)
        return range(first, bisect_left(self.starts, high, lo=first))


def pairs_within(spans):
    """``(count, pairs)``: overlapping pairs among one set's spans, ``pairs`` lazy."""
    ranges = [(i, spans.starting_in(s, e)) for i, (s, e, _) in enumerate(spans.spans)]
    count = sum(max(0, len(found) - (i + 1 - found.start)) for i, found in ranges)

    def pairs():
        for i, found in ranges:
            for j in found:
                if j > i:
                    yield spans.spans[i][2], spans.spans[j][2]
    return count, pairs()


def pairs_between(first, second):
    """``(count, pairs)``: pairs (one span of ``first``, one of ``second``) that overlap."""
    mine = [(a[2], second.starting_in(a[0], a[1])) for a in first.spans]
    theirs = [(b[2], first.starting_in(b[0], b[1], include_low=False)) for b in second.spans]
    count = sum(len(found) for _, found in mine) + sum(len(found) for _, found in theirs)

    def pairs():
        for item, found in mine:
            for j in found:
                yield item, second.spans[j][2]
        for item, found in theirs:
            for j in found:
                yield first.spans[j][2], item
    return count, pairs()


def collapse(count, findings, summary):
    """The first ``LISTED`` of ``findings`` (an iterator of ``count``), then one finding made
    by ``summary(rest)`` for the ``rest`` left unlisted."""
    listed = list(islice(findings, LISTED))
    yield from listed
    rest = count - len(listed)
    if rest > 0:
        first = listed[0]
        yield Finding(first.check, first.severity, summary(rest), first.cells)
