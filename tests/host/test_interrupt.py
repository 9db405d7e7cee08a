"""Ctrl-C during ``rtvirt measure`` on an ``exec:`` target (issue 14 item 7): the terminal's
SIGINT reaches rtvirt's whole process group; the agent must not die with it, so the run is
cancelled on the target and its partial result fetched and stored (docs/cli.md)."""

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

WAIT_S = 60.0


def core_running(marker):
    """Whether an rtvirt-measure process whose command line holds ``marker`` runs."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if argv[0].endswith(b"rtvirt-measure") and any(marker in arg for arg in argv):
            return True
    return False


@pytest.mark.usefixtures("sigint_handled")
@pytest.mark.parametrize("wrapped", [False, True], ids=["agent", "through-a-shell"])
def test_ctrl_c_keeps_the_partial_result(tmp_path, agent_uri, wrapped):
    target = agent_uri
    if wrapped:  # like exec:ssh board rtvirt-agent --stdio: a process between rtvirt and agent
        target = "exec:sh -c " + shlex.quote("exec " + agent_uri.removeprefix("exec:"))
    db = tmp_path / "store.sqlite"
    rtvirt = [sys.executable, "-m", "rtvirt.cli", "--db", str(db), "--target", target]
    # a terminal's foreground job: its own process group, which Ctrl-C signals as a whole
    process = subprocess.Popen([*rtvirt, "measure", "-D", "600", "-q", "--label",
                                "scenario=interrupted"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    marker = os.fsencode(tmp_path / "target-results")
    give_up = time.monotonic() + WAIT_S
    while not core_running(marker):
        assert process.poll() is None and time.monotonic() < give_up, "the run never started"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=WAIT_S)
    assert "Traceback" not in stderr, stderr
    assert process.returncode == 0, stderr
    listed = subprocess.run([*rtvirt, "results", "list", "--json"], capture_output=True,
                            text=True, check=True)
    (row,) = json.loads(listed.stdout)
    assert row["labels"]["scenario"] == "interrupted"
    shown = subprocess.run([*rtvirt, "results", "export", row["id"], "-o", "-"],
                           capture_output=True, text=True, check=True)
    assert json.loads(shown.stdout)["stop_reason"] == "signal"
