"""QEMU command lines, the messages for a QEMU that cannot run a board, its monitor."""

import json
import socket
import threading
from pathlib import Path

import pytest
from rtvirt.lab import qemu
from rtvirt.lab.boards import get_board
from rtvirt.lab.qemu import BootFiles
from rtvirt_agent.wire.errors import RtvirtError, Unreachable

BOOT = BootFiles(kernel=Path("/k"), initrd=Path("/i"), dtb=None, cmdline="quiet", release="r")


def serial_args(args):
    return [args[i + 1] for i, arg in enumerate(args) if arg == "-serial"]


def test_console_and_agent_each_get_a_pty(tmp_path):
    args = qemu.command_line(get_board("x86"), BOOT, tmp_path, agent_shares_console=False)
    assert serial_args(args) == ["chardev:console", "chardev:agent"]
    assert f"pty,id=console,logfile={tmp_path / 'console.log'}" in args
    assert any(arg.startswith("ivshmem-plain") for arg in args)


def test_shared_console_leaves_the_agent_uart_unconnected(tmp_path):
    args = qemu.command_line(get_board("x86"), BOOT, tmp_path, agent_shares_console=True)
    assert serial_args(args) == ["chardev:console", "null"]


def test_imx8mp_console_is_the_second_uart(tmp_path):
    args = qemu.command_line(get_board("imx8mp"), BOOT, tmp_path, agent_shares_console=False)
    assert serial_args(args) == ["chardev:agent", "chardev:console", "null"]


def fake_qemu(directory, machines):
    """A stub qemu-system-aarch64 on PATH that lists ``machines``."""
    stub = directory / "qemu-system-aarch64"
    listing = "\\n".join(f"{name}  some board" for name in machines)
    stub.write_text(f"#!/bin/sh\nprintf 'Supported machines are:\\n{listing}\\n'\n")
    stub.chmod(0o755)


def test_qemu_without_the_machine_names_package_and_suite(tmp_path, monkeypatch):
    fake_qemu(tmp_path, ["virt", "sbsa-ref"])
    monkeypatch.setenv("PATH", str(tmp_path))
    qemu.check_qemu.cache_clear()
    with pytest.raises(RtvirtError, match="qemu-system-arm .*bookworm-backports"):
        qemu.check_qemu("qemu-system-aarch64", "imx8mp-evk")
    qemu.check_qemu("qemu-system-aarch64", "virt")
    qemu.check_qemu.cache_clear()


def test_missing_qemu_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    qemu.check_qemu.cache_clear()
    with pytest.raises(RtvirtError, match="not installed.*qemu-system-x86"):
        qemu.check_qemu("qemu-system-x86_64", "q35")
    qemu.check_qemu.cache_clear()


def serve_qmp_once(server, replies):
    """A QEMU monitor's side of one session: greeting, then one reply per command."""
    connection, _ = server.accept()
    with connection, connection.makefile("rw") as stream:
        stream.write(json.dumps({"QMP": {}}) + "\n")
        stream.flush()
        for reply in replies:
            stream.readline()
            stream.write(json.dumps({"return": reply}) + "\n")
            stream.flush()


def test_qmp_answers_once_a_monitor_bound_before_it_listens_starts_listening(tmp_path):
    path = tmp_path / "qmp.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))  # as QEMU does before it listens: connections are refused
    answered = {}
    client = threading.Thread(target=lambda: answered.setdefault(
        "ptys", qemu.qmp(path, "query-chardev", timeout=60)))
    client.start()
    server.listen()
    serve_qmp_once(server, [{}, [{"label": "agent", "filename": "pty:/dev/pts/7"}]])
    client.join()
    server.close()
    assert answered["ptys"] == [{"label": "agent", "filename": "pty:/dev/pts/7"}]


def test_a_monitor_that_never_listens_is_unreachable_after_the_timeout(tmp_path):
    path = tmp_path / "qmp.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        with pytest.raises(Unreachable, match="qmp.sock: Connection refused"):
            qemu.qmp(path, "query-chardev", timeout=0.2)


PTY_ARGS = ["-chardev", "pty,id=console,logfile=c.log", "-serial", "chardev:console",
            "-chardev", "pty,id=agent", "-serial", "chardev:agent"]


def serve_chardev_listings(path, listings, sessions):
    """A monitor answering ``sessions`` query-chardev sessions: the listings in turn, then
    the last one again."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen()

    def serve():
        with server:
            for session in range(sessions):
                serve_qmp_once(server, [{}, listings[min(session, len(listings) - 1)]])

    thread = threading.Thread(target=serve)
    thread.start()
    return thread


def test_pty_paths_asks_again_until_every_pty_chardev_is_listed(tmp_path):
    agent_only = [{"label": "agent", "filename": "pty:/dev/pts/7"}]
    both = [*agent_only, {"label": "console", "filename": "pty:/dev/pts/8"},
            {"label": "compat_monitor0", "filename": "unix:qmp.sock,server=on"}]
    server = serve_chardev_listings(tmp_path / "qmp.sock", [agent_only, both], sessions=2)
    ptys = qemu.pty_paths(tmp_path / "qmp.sock", PTY_ARGS)
    server.join()
    assert ptys == {"agent": "/dev/pts/7", "console": "/dev/pts/8"}


def test_a_pty_qemu_never_lists_is_named_in_a_typed_error(tmp_path):
    agent_only = [{"label": "agent", "filename": "pty:/dev/pts/7"}]
    server = serve_chardev_listings(tmp_path / "qmp.sock", [agent_only], sessions=1)
    with pytest.raises(RtvirtError, match="QEMU lists no pty for console"):
        qemu.pty_paths(tmp_path / "qmp.sock", PTY_ARGS, timeout=0)
    server.join()
