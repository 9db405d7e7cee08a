"""Parser of ``rtvirt-measure --progress-fd`` lines (docs/result-format.md, "Progress lines").

Each line is a kind word followed by ``key=value`` pairs without spaces::

    start pid=4242 threads=2 policy=fifo priority=99 pm_qos=1 hist_us=400
    thread seq=3 t=0 cpu=0 tid=4243 cycles=1500 min_ns=2900 act_ns=4100 avg_ns=3800 ...
    done reason=completed status=0

Values made of digits (with an optional leading '-') become ints, the rest stay strings.
"""

from .wire.errors import ProtocolError

KINDS = ("start", "thread", "done")


class ProgressFormatError(ProtocolError):
    """A progress line does not follow the documented format."""


def parse_progress_line(line) -> dict:
    """One line (str or bytes, with or without newline) -> ``{"kind": ..., key: value, ...}``."""
    if isinstance(line, bytes | bytearray):
        try:
            line = line.decode("ascii")
        except UnicodeDecodeError:
            raise ProgressFormatError(f"progress line is not ASCII: {line!r}") from None
    words = line.strip().split()
    if not words or words[0] not in KINDS:
        raise ProgressFormatError(
            f"progress line {line!r}: expected one of {', '.join(KINDS)} first")
    record = {"kind": words[0]}
    for word in words[1:]:
        key, eq, value = word.partition("=")
        if not eq or not key or key == "kind" or key in record:
            raise ProgressFormatError(f"progress line {line!r}: bad field {word!r}")
        record[key] = _value(value)
    return record


def _value(text):
    digits = text[1:] if text.startswith("-") else text
    return int(text) if digits.isdigit() and digits.isascii() else text


class ProgressReader:
    """Incremental parser for a pipe: ``feed(chunk)`` returns the records of complete lines."""

    def __init__(self, max_line=4096):
        self._pending = b""
        self._max_line = max_line

    def feed(self, chunk: bytes) -> list:
        self._pending += chunk
        *lines, self._pending = self._pending.split(b"\n")
        if len(self._pending) > self._max_line:
            raise ProgressFormatError(f"progress line longer than {self._max_line} bytes")
        return [parse_progress_line(line) for line in lines if line.strip()]

    def close(self) -> list:
        """Records of a last line without newline (a writer that died mid-line raises)."""
        rest, self._pending = self._pending, b""
        return [parse_progress_line(rest)] if rest.strip() else []


def iter_progress(stream):
    """Yield the records of a text or binary stream of progress lines."""
    for line in stream:
        if line.strip():
            yield parse_progress_line(line)
