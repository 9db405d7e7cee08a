"""`rtvirt lab console`: bytes both ways between the terminal and the console pty, Ctrl-] leaves."""

import os
import threading
import tty

from rtvirt.lab.console import attach


def test_attach_copies_both_ways_until_ctrl_bracket():
    master, slave = os.openpty()
    tty.setraw(slave)  # as attach leaves it: no echo of what the target sends
    stdin_read, stdin_write = os.pipe()
    stdout_read, stdout_write = os.pipe()
    shown = bytearray()

    def prompt_type_then_leave():
        os.write(master, b"login: ")
        while len(shown) < len(b"login: "):  # attach copied the prompt: it is running
            shown.extend(os.read(stdout_read, 100))
        os.write(stdin_write, b"root\r\x1d")

    typist = threading.Thread(target=prompt_type_then_leave)
    typist.start()
    attach(os.ttyname(slave), stdin=stdin_read, stdout=stdout_write)
    typist.join()
    os.set_blocking(stdout_read, False)  # nothing more copied → BlockingIOError, not a hang
    os.set_blocking(master, False)
    assert bytes(shown) == b"login: "
    assert os.read(master, 100) == b"root\r"
    for fd in (master, slave, stdin_read, stdin_write, stdout_read, stdout_write):
        os.close(fd)
