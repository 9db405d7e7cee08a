"""rtvirt_agent.progress: the --progress-fd line format."""

import io

import pytest
from rtvirt_agent.progress import (
    ProgressFormatError,
    ProgressReader,
    iter_progress,
    parse_progress_line,
)

LINES = (b"start pid=42 threads=2 policy=fifo priority=99 pm_qos=1 hist_us=400\n"
         b"thread seq=1 t=0 cpu=-1 tid=43 cycles=10 min_ns=1 act_ns=2 avg_ns=2 max_ns=3 "
         b"missed=0 overflows=0 elapsed_ns=100\n"
         b"done reason=signal status=0\n")


def test_parse_line_types():
    rec = parse_progress_line("thread seq=1 t=0 cpu=-1 cycles=10 policy=fifo\n")
    assert rec == {"kind": "thread", "seq": 1, "t": 0, "cpu": -1, "cycles": 10,
                   "policy": "fifo"}


@pytest.mark.parametrize("line", ["", "bogus a=1", "thread a", "thread =1", "thread a=1 a=2",
                                  "thread kind=x", b"thread a=\xff"])
def test_bad_lines(line):
    with pytest.raises(ProgressFormatError):
        parse_progress_line(line)


def test_reader_reassembles_split_chunks():
    reader, records = ProgressReader(), []
    for i in range(0, len(LINES), 7):
        records += reader.feed(LINES[i:i + 7])
    records += reader.close()
    assert [r["kind"] for r in records] == ["start", "thread", "done"]
    assert records[2] == {"kind": "done", "reason": "signal", "status": 0}


def test_reader_limits_line_length():
    with pytest.raises(ProgressFormatError, match="longer"):
        ProgressReader(max_line=16).feed(b"thread " + b"x" * 40)


def test_iter_progress_over_a_text_stream():
    records = list(iter_progress(io.StringIO(LINES.decode() + "\n")))
    assert [r["kind"] for r in records] == ["start", "thread", "done"]
