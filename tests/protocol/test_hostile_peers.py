"""Crafted peers on a real pipe (exec: target, raw frames from tests/protocol/hostile_peer.py):
whatever the peer does, ``rtvirt`` ends with exit 3 or 4 naming what went wrong, never a
traceback, with bounded memory (issue 14 item 5)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PEER = Path(__file__).with_name("hostile_peer.py")
LAUNCHER = Path(__file__).with_name("peak_rss.py")
DEADLINE_S = 3
MAX_RSS_KB = 200 * 1024
HANG_GUARD_S = 120
"""Only a hang reaches this: the host gives up after DEADLINE_S plus start-up and close."""


def rtvirt(tmp_path, mode, *command):
    """Run ``rtvirt --deadline 3 COMMAND`` against the peer: (exit code, stderr, peak RSS in
    KiB of rtvirt and the children it waited for)."""
    argv = [sys.executable, "-m", "rtvirt.cli", "--deadline", str(DEADLINE_S),
            "--target", f"exec:{sys.executable} {PEER} {mode}", *command]
    stderr_path = tmp_path / "stderr"
    with open(stderr_path, "w") as stderr:
        launcher = subprocess.run([sys.executable, LAUNCHER, str(HANG_GUARD_S), *argv],
                                  stdout=subprocess.PIPE, stderr=stderr, text=True)
    assert launcher.returncode != 124, f"rtvirt {' '.join(command)} against a {mode!r} peer hung"
    returncode, rss_kb = map(int, launcher.stdout.split())
    return returncode, stderr_path.read_text(), rss_kb


CASES = [
    ("silent", ("hello",), 3, "no answer"),
    ("noise", ("hello",), 3, "other bytes arrived"),
    ("mute", ("hello",), 3, f"'hello' not answered within its deadline of {DEADLINE_S} s"),
    ("hello-only", ("sysinfo",), 3, "'sysinfo' not answered within its deadline"),
    ("hello-only", ("results", "fetch"), 3, "'results.list' not answered within its deadline"),
    ("reset", ("hello",), 3, "within its deadline"),
    ("endless", ("hello",), 3, "within its deadline"),
    ("parts", ("hello",), 3, "within its deadline"),
    ("version", ("hello",), 4, "version"),
    ("eof", ("hello",), 3, "closed"),
    ("stray", ("hello",), 3, "within its deadline"),
    ("hello-only", ("measure", "-D", "1", "-q"), 3,
     f"'measure' not answered within its deadline of {1 + DEADLINE_S} s"),
]


@pytest.mark.parametrize(("mode", "command", "code", "says"), CASES,
                         ids=[f"{c[0]}-{c[1][0]}" for c in CASES])
def test_a_hostile_peer_ends_in_a_typed_error(tmp_path, mode, command, code, says):
    returncode, stderr, rss_kb = rtvirt(tmp_path, mode, *command)
    assert "Traceback" not in stderr, stderr
    assert returncode == code, stderr
    assert says in stderr, stderr
    assert rss_kb < MAX_RSS_KB, f"{rss_kb} KiB"


HELD_LIMIT = 24 << 20
"""What a link may hold for unfinished messages: well below the 256 MiB + 128 MiB of old."""


def test_unfinished_messages_are_held_in_bounded_memory():
    """An endless message (32 MiB and counting) and frames whose parts never complete."""
    from rtvirt_agent.protocol.window import ReceiveWindow
    from rtvirt_agent.wire.frame import FLAG_END, FLAG_MORE, MAX_PAYLOAD

    window = ReceiveWindow(256, {"duplicates": 0, "out_of_window": 0,
                                 "oversized_messages": 0})
    chunk = os.urandom(MAX_PAYLOAD)
    for seq in range((32 << 20) // MAX_PAYLOAD):
        assert window.on_data(seq % 0x10000, FLAG_MORE | FLAG_END, 0, chunk) == []
        assert window.held_bytes <= HELD_LIMIT
    base = window.expected
    for seq in range(base, base + 256):
        for offset in range(1, 129):
            window.on_data(seq % 0x10000, FLAG_MORE, offset, chunk[offset:])
    assert window.held_bytes <= HELD_LIMIT
