"""Nothing from a target or a record reaches the terminal raw (issue 14 item 11): escape
sequences, carriage returns, C1 controls and bidirectional overrides are shown as escapes."""

import re
import sys
from pathlib import Path

import pytest
from rtvirt.store import Store
from rtvirt.terminal import printable
from rtvirt_agent.wire.result import build_result

from tests.report.conftest import make_record

PEER = Path(__file__).parents[1] / "protocol" / "hostile_peer.py"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b1m\rover\u202e"


def test_printable_shows_controls_as_escapes():
    assert printable("a\x1b[2Jb\tc\nd\x9b\u202e") == "a\\x1b[2Jb\tc\nd\\x9b\\u202e"


@pytest.mark.parametrize("command", [("hello",), ("sysinfo",), ("diagnose",)])
def test_strings_from_the_agent_are_shown_escaped(rtvirt, command):
    done = rtvirt(*command, target=f"exec:{sys.executable} {PEER} escapes")
    assert "Traceback" not in done.stderr
    assert not RAW.search(done.stdout + done.stderr), repr(done.stdout + done.stderr)
    assert "\\x1b" in done.stdout + done.stderr


def test_labels_of_a_stored_record_are_shown_escaped(rtvirt, tmp_path):
    record = build_result(make_record(scenario="idle" + ESCAPES, labels={"x": ESCAPES}))
    with Store(tmp_path / "store.sqlite") as store:
        rid, _ = store.add(record, "exec:board" + ESCAPES)
    for command in (("results", "list"), ("results", "show", rid[:8])):
        done = rtvirt(*command)
        assert done.returncode == 0, done.stderr
        assert not RAW.search(done.stdout), repr(done.stdout)
        assert "\\x1b" in done.stdout
