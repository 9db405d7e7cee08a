"""`rtvirt lab` from the command line: a target that does not come up in time is exit 3 with
the console's last lines; its run state is kept apart (RTVIRT_LAB_RUN) from other targets."""

import os
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


def rtvirt(*args, run_dir):
    env = {**os.environ, "RTVIRT_LAB_RUN": str(run_dir)}
    return subprocess.run([sys.executable, "-m", "rtvirt.cli", *args], env=env, text=True,
                          capture_output=True, timeout=600)


@pytest.mark.skipif(not shutil.which("qemu-system-x86_64"), reason="make lab-qemu installs QEMU")
def test_target_not_up_in_time_is_exit_3_with_console_lines(tmp_path):
    done = rtvirt("lab", "up", "x86", "--timeout", "4", run_dir=tmp_path)
    assert done.returncode == 3, done.stderr
    assert "did not bring its agent up within 4 s; last console lines:" in done.stderr
    status = rtvirt("lab", "status", "x86", run_dir=tmp_path)
    assert status.stdout.split() == ["x86", "stopped"], "the target was stopped"


def test_unknown_board_and_kernel_are_exit_2(tmp_path):
    board = rtvirt("lab", "up", "raspi", run_dir=tmp_path)
    kernel = rtvirt("lab", "build", "x86", "--kernel", "4.19", run_dir=tmp_path)
    assert (board.returncode, kernel.returncode) == (2, 2)
    assert "x86, imx8mp, arm64" in board.stderr and "6.1, 6.12" in kernel.stderr
