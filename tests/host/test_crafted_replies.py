"""Replies of the wrong shape from a crafted agent (tests/host/crafted_agent.py, a real exec:
pipe): each ends in exit 4 naming a peer fault, never a traceback (issue 14 item 6). The CLI
runs in-process (``rtvirt.cli.main``): an exception it does not turn into an exit code fails
the test as a traceback would."""

import sys
from pathlib import Path

import pytest
from rtvirt.cli import main

from tests.host.crafted_agent import CASES

AGENT = Path(__file__).with_name("crafted_agent.py")


def test_there_are_at_least_thirty_crafted_shapes():
    assert len(CASES) >= 30


@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=[f"{case[1]}-{case[2]}-{n}" for n, case in enumerate(CASES)])
def test_a_reply_of_the_wrong_shape_is_a_peer_fault(tmp_path, capsys, index):
    command, op = CASES[index][:2]
    code = main(["--db", str(tmp_path / "store.sqlite"), "--deadline", "30",
                 "--target", f"exec:{sys.executable} {AGENT} {index}", *command])
    stderr = capsys.readouterr().err
    assert code == 4, stderr
    assert "peer fault" in stderr and repr(op) in stderr, stderr
