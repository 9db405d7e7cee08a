"""Waiting for a lab target's agent: ready, hung (restarted by `up`), or gone."""

import time
from types import SimpleNamespace

import pytest
from rtvirt.lab.target import (
    HANG_MARKER,
    INMATE_READY_MARKER,
    READY_MARKER,
    BootHang,
    LabTarget,
)
from rtvirt_agent.wire.errors import Unreachable


@pytest.fixture
def console(tmp_path, monkeypatch):
    monkeypatch.setenv("RTVIRT_LAB_RUN", str(tmp_path / "run"))
    log = tmp_path / "console.log"

    def target_writing(text, alive=True, inmate_pty=None):
        log.write_bytes(text)
        return SimpleNamespace(console_log=log, alive=lambda: alive, inmate_pty=inmate_pty,
                               run_dir=tmp_path)
    return target_writing


def test_ready_line_ends_the_wait(console):
    current = console(b"booting\nrtvirt-lab: " + READY_MARKER + b" /dev/ttyS1\n")
    LabTarget("x86")._wait_ready(current, time.monotonic(), timeout=5)


def test_with_a_linux_inmate_its_agents_must_be_up_too(console, tmp_path):
    """jailhouse-arm64: the root cell's ready line alone is not ready; the inmate's is."""
    current = console(READY_MARKER + b" /dev/ttyAMA0\n", inmate_pty="/dev/pts/9")
    (tmp_path / "inmate.log").write_bytes(b"[    1.2] booting\n")
    with pytest.raises(Unreachable, match="did not bring its agent up within 1 s"):
        LabTarget("jailhouse-arm64")._wait_ready(current, time.monotonic(), timeout=1)
    (tmp_path / "inmate.log").write_bytes(INMATE_READY_MARKER + b" on /dev/ttyAMA0\n")
    LabTarget("jailhouse-arm64")._wait_ready(current, time.monotonic(), timeout=5)


def test_timer_hang_is_reported_at_once_as_a_boot_hang(console):
    current = console(b"[ 23.7] rcu: rcu_preempt kthread " + HANG_MARKER + b" for 5206\n")
    started = time.monotonic()
    with pytest.raises(BootHang, match="hung during boot; last console lines:\n.*5206"):
        LabTarget("x86")._wait_ready(current, started, timeout=60)
    assert time.monotonic() - started < 5


def test_dead_qemu_is_unreachable_with_the_console_tail(console):
    current = console(b"Kernel panic - not syncing\n", alive=False)
    with pytest.raises(Unreachable, match="within 60 s") as error:
        LabTarget("x86")._wait_ready(current, time.monotonic(), timeout=60)
    assert not isinstance(error.value, BootHang) and error.value.exit_code == 3


def test_the_login_console_password_is_the_one_guest_init_sets():
    from pathlib import Path

    from rtvirt.lab.target import LAB_PASSWORD, LabTarget

    init = (Path(__file__).parents[2] / "host-tools/rtvirt/lab/guest/init").read_text()
    assert f"LAB_PASSWORD={LAB_PASSWORD} " in init
    cmdline = LabTarget("x86", login_console=True)._cmdline()
    assert "rtvirt.console=login" in cmdline and LAB_PASSWORD not in cmdline
