"""Turns the core's ``--progress-fd`` lines into MEASURE progress events.

The core writes one "thread" line per thread and snapshot (same ``seq``); the host wants one
event per snapshot: ``{"threads": [{"t", "cpu", "cycles", "min_ns", "act_ns", "avg_ns",
"max_ns", "missed", ...}]}``. A snapshot is sent once every thread announced by the "start"
line has reported, when the next snapshot begins, or at "done".
"""

import logging

from rtvirt_agent.progress import ProgressFormatError, parse_progress_line

log = logging.getLogger(__name__)


class ProgressRelay:
    def __init__(self, emit):
        self._emit = emit
        self._expected = None
        self._seq = None
        self._threads = []

    def line(self, text):
        try:
            record = parse_progress_line(text)
        except ProgressFormatError as error:
            log.warning("ignoring a progress line of rtvirt-measure: %s", error)
            return
        kind = record.pop("kind")
        if kind == "start":
            threads = record.get("threads")
            self._expected = threads if isinstance(threads, int) and threads > 0 else None
        elif kind == "thread":
            seq = record.pop("seq", None)
            if seq != self._seq:
                self.flush()
                self._seq = seq
            self._threads.append(record)
            if self._expected and len(self._threads) >= self._expected:
                self.flush()
        else:
            self.flush()

    def flush(self):
        if self._threads:
            self._emit({"threads": sorted(self._threads, key=lambda thread: thread.get("t", 0))})
            self._threads = []
