"""``rtvirt lab console``: the terminal attached to a target's console UART (Ctrl-] leaves)."""

import os
import select
import sys
import termios
import tty

ESCAPE = b"\x1d"  # Ctrl-]


def attach(pty_path, stdin=None, stdout=None):
    """Copy bytes between the terminal and ``pty_path`` until Ctrl-] or the target goes away."""
    stdin = stdin if stdin is not None else sys.stdin.fileno()
    stdout = stdout if stdout is not None else sys.stdout.fileno()
    port = os.open(pty_path, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(port, termios.TCSANOW)  # keep what the target already sent
    saved = termios.tcgetattr(stdin) if os.isatty(stdin) else None
    if saved:
        tty.setraw(stdin, termios.TCSANOW)
    try:
        _copy(port, stdin, stdout)
    finally:
        if saved:
            termios.tcsetattr(stdin, termios.TCSADRAIN, saved)
        os.close(port)


def _copy(port, stdin, stdout):
    while True:
        readable, _, _ = select.select([port, stdin], [], [])
        if port in readable:
            try:
                data = os.read(port, 4096)
            except OSError:  # EIO: QEMU closed the pty
                return
            os.write(stdout, data)
        if stdin in readable:
            data = os.read(stdin, 1024)
            if not data or ESCAPE in data:
                os.write(port, data.split(ESCAPE)[0])
                return
            os.write(port, data)
