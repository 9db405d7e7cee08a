"""Issue 19 item 2: a board whose only UART carries the kernel console and a login shell. The
console: target logs in, runs the agent on the shell's terminal for sysinfo and a 10 s measure
while the kernel keeps printing, and hands the shell back: the prompt answers afterwards."""

import json
import os
import subprocess
import sys

import pytest
from rtvirt.lab.target import LAB_PASSWORD
from rtvirt.transports.shell_console import ShellConsole
from rtvirt_agent.streams import SerialStream

pytestmark = pytest.mark.e2e
BOARD, KERNEL, SELFTESTS, LOGIN_CONSOLE = "x86", "6.1", ("kmsg-ticker",), True


def rtvirt(board, *args):
    """Run the rtvirt CLI on the board's console: target (password from the environment)."""
    env = dict(os.environ, RTVIRT_CONSOLE_PASSWORD=LAB_PASSWORD)
    return subprocess.run([sys.executable, "-m", "rtvirt.cli", "--target",
                           f"console:{board.console_pty}?login=root", *args],
                          capture_output=True, text=True, timeout=900, env=env)


def ticks(board):
    return board.console_log.read_text(errors="replace").count("rtvirt-lab tick")


def test_sysinfo_and_measure_on_the_login_console_then_the_prompt_answers(target, selftests,
                                                                         tmp_path):
    board = target
    status, lines = selftests["kmsg-ticker"]
    # one UART: the getty's prompt may land on the same line ("rtvirt-lab login: ticker_pid=")
    assert status == 0 and any("ticker_pid=" in line for line in lines)
    before = ticks(board)
    info = rtvirt(board, "sysinfo", "--json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["kernel_release"] == board.release
    measure = rtvirt(board, "--db", str(tmp_path / "r.db"), "measure", "-S", "-i", "1000",
                     "-D", "10s", "-q")
    assert measure.returncode == 0, measure.stderr
    assert ticks(board) > before, "the kernel printed nothing while rtvirt worked"
    for run in (info, measure):
        assert LAB_PASSWORD not in run.stdout + run.stderr
    shell = ShellConsole(SerialStream(board.console_pty), board.console_pty)
    try:
        shell.send_line("echo back-$((2+3))")
        assert shell.wait_for("back-5", timeout=30), shell.tail()
    finally:
        shell.stream.close()


def test_the_lab_uri_reaches_a_login_console_board_with_the_lab_password(target):
    """``lab:x86?login-console=1`` logs in itself: no password in the environment."""
    env = {name: value for name, value in os.environ.items()
           if name != "RTVIRT_CONSOLE_PASSWORD"}
    info = subprocess.run([sys.executable, "-m", "rtvirt.cli", "--target",
                           "lab:x86?kernel=6.1&login-console=1", "sysinfo", "--json"],
                          capture_output=True, text=True, timeout=900, env=env)
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["kernel_release"] == target.release
