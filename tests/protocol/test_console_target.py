"""``console:`` target: a real shell behind a login prompt on a shaped serial line with kernel
messages in it. The transport logs in, runs the real rtvirt-agent on the shell's terminal,
and hands the shell back; the password never shows in what rtvirt prints or logs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rtvirt.transports import console
from rtvirt.transports.shell_console import ShellConsole
from rtvirt_agent.protocol import Client
from rtvirt_agent.streams import SerialStream
from rtvirt_agent.wire.errors import Unreachable, UsageError

SECRET = "s3cret-Pa55"
GETTY = """
stty sane
while :; do
    printf 'rtvirt-test login: '
    read -r user || exit 0
    [ -n "$user" ] || continue  # like agetty: an empty line asks again
    stty -echo; printf 'Password: '; read -r password; stty echo; echo
    if [ "$user" = tester ] && [ "$password" = "$TEST_SECRET" ]; then
        PS1='tester$ ' exec sh -i
    fi
    sleep 1; echo 'Login incorrect'
done
"""


@pytest.fixture
def board(serial_line, tmp_path):
    """(host tty path, password file): a getty-like login on the agent end of a line whose
    target side prints kernel messages; the agent on its PATH keeps results in tmp_path."""
    line = serial_line(latency=0.016, noise=0.002, seed=11)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    agent = bin_dir / "rtvirt-agent"
    agent.write_text(f"#!/bin/sh\nexec {Path(sys.executable).with_name('rtvirt-agent')} "
                     f"--results-dir {tmp_path / 'results'} \"$@\"\n")
    agent.chmod(0o755)
    broken = bin_dir / "broken-agent"
    broken.write_text("#!/bin/sh\necho 'no python here' >&2\nexit 1\n")
    broken.chmod(0o755)
    tty = open(line.agent_path, "r+b", buffering=0)  # noqa: SIM115 - the getty's terminal
    getty = subprocess.Popen(["sh", "-c", GETTY], stdin=tty, stdout=tty, stderr=tty,
                             start_new_session=True,
                             env=dict(os.environ, TEST_SECRET=SECRET, TMPDIR=str(tmp_path),
                                      PATH=f"{bin_dir}:{os.environ['PATH']}"))
    password_file = tmp_path / "password"
    password_file.write_text(SECRET + "\n")
    yield line.host_path, password_file
    getty.kill()
    getty.wait()
    tty.close()


def test_login_agent_and_the_shell_handed_back(board, capfd):
    host_path, password_file = board
    stream = console.open_stream(f"{host_path}?login=tester&password-file={password_file}")
    client = Client(stream, timeout=30)
    assert client.connect()["protocol_version"] >= 2
    assert client.call("sysinfo")["kernel_release"] == os.uname().release
    assert client.stats["noise_bytes"] > 0, "no kernel message crossed the protocol"
    client.close()
    assert stream.handed_back
    shell = ShellConsole(SerialStream(host_path), host_path)
    shell.send_line("echo back-$((2+3))")
    assert shell.wait_for("back-5", timeout=10)
    shell.stream.close()
    printed = capfd.readouterr()
    assert SECRET not in printed.out + printed.err


def test_an_agent_that_cannot_start_is_reported_and_the_shell_is_back(board):
    host_path, password_file = board
    stream = console.open_stream(f"{host_path}?login=tester&password-file={password_file}"
                                 "&agent=broken-agent")
    client = Client(stream, timeout=30)
    with pytest.raises(Unreachable, match="rtvirt-agent exited"):
        client.connect()
    client.close()
    assert stream.handed_back


def test_a_wrong_password_is_a_usage_error(board, tmp_path):
    host_path, _ = board
    wrong = tmp_path / "wrong"
    wrong.write_text("guess\n")
    with pytest.raises(UsageError, match="login as tester .* refused"):
        console.open_stream(f"{host_path}?login=tester&password-file={wrong}")


def test_a_login_prompt_without_login_option_says_what_to_add(board):
    host_path, _ = board
    with pytest.raises(UsageError, match=r"add \?login=USER"):
        console.open_stream(host_path)


@pytest.mark.parametrize("rest, message", [
    ("?login=root", "expected console:DEVICE"),
    ("/dev/ttyS0?pasword=x", "unknown: pasword"),
    ("/dev/ttyS0?idle-exit=0", "bad idle-exit"),
    ("/dev/ttyS0?agent=rtvirt-agent;reboot", "bad agent"),
])
def test_bad_console_uris_are_usage_errors(rest, message):
    with pytest.raises(UsageError, match=message):
        console.parse(rest)


def test_the_password_comes_from_the_environment_only_when_asked(monkeypatch):
    read = console.password_source(None)
    monkeypatch.delenv(console.PASSWORD_ENV, raising=False)
    with pytest.raises(UsageError, match="password-file"):
        read()
    monkeypatch.setenv(console.PASSWORD_ENV, "from-env")
    assert read() == "from-env"
