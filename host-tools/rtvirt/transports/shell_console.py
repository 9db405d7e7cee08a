"""A login shell on a serial console, driven like a person at a terminal would: see a login
prompt, log in, check that a shell answers. Kernel messages may arrive at any time, so every
step waits for text it caused (a marker the shell computes) rather than for a prompt's look.
Nothing read from the console reaches the terminal raw: errors quote a printable tail.
"""

import re
import time

from rtvirt_agent.wire.errors import Unreachable, UsageError

LOGIN_PROMPT = "login:"
PASSWORD_PROMPT = "assword:"
LOGIN_REFUSED = ("incorrect", "denied", "failure")
SHELL_READY = "rtvirt-ready-42"
STEP_TIMEOUT = 5.0
KEEP = 4096
"""Characters of console output kept for matching and error messages."""
_CONSOLE_LINES = r"(?:(?:\r?\n[^\r\n]*)*?\r?\n)?"
"""Kernel messages the console may print between two characters of a text being waited for."""


def find_text(text, seen):
    """``(start, end)`` of ``text`` in ``seen`` (str or bytes alike), console lines printed
    into it allowed, else None."""
    pattern = _CONSOLE_LINES.join(re.escape(c) for c in text)
    if isinstance(seen, bytes):
        pattern = pattern.encode()
    match = re.search(pattern, seen)
    return match.span() if match else None


class ShellConsole:
    """Text side of a serial console: send lines, wait for text, remember what came."""

    def __init__(self, stream, device):
        self.stream, self.device = stream, device
        self._seen = ""

    def send_line(self, text):
        self.stream.write(text.encode() + b"\r")

    def wait_for(self, *texts, timeout):
        """The first of ``texts`` that arrives within ``timeout`` s (consumed), else None."""
        deadline = time.monotonic() + timeout
        while True:
            found = [(span, t) for t in texts if (span := find_text(t, self._seen))]
            if found:
                (_, end), text = min(found)
                self._seen = self._seen[end:]
                return text
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            data = self.stream.read(1024, min(left, 0.2))
            self._seen = (self._seen + data.decode("latin-1"))[-KEEP:]

    def take_rest(self):
        """What arrived after the last text waited for, as bytes (the next reader's start)."""
        rest, self._seen = self._seen.encode("latin-1"), ""
        return rest

    def tail(self):
        """The last console output, printable (for error messages)."""
        text = "".join(c if c.isprintable() else " " for c in self._seen[-120:])
        return f"last output {' '.join(text.split())!r}" if text.strip() else "no output"

    def reach_shell(self, login, password, deadline):
        """Log in if the console asks, until a shell answers; ``password()`` gives the password."""
        while time.monotonic() < deadline:
            self.send_line("")
            prompt = self.wait_for(LOGIN_PROMPT, PASSWORD_PROMPT, timeout=STEP_TIMEOUT / 2)
            if prompt == PASSWORD_PROMPT:
                continue  # a half-finished login: the empty line fails it, a login prompt follows
            if prompt == LOGIN_PROMPT:
                self._log_in(login, password)
            if self._shell_answers(logging_in=prompt == LOGIN_PROMPT, login=login):
                return
        raise Unreachable(f"no shell answered on {self.device} within 60 s ({self.tail()})")

    def _log_in(self, login, password):
        if not login:
            raise UsageError(f"the console on {self.device} asks for a login: add "
                             "?login=USER to the console: target")
        self.send_line(login)
        if self.wait_for(PASSWORD_PROMPT, timeout=STEP_TIMEOUT):
            self.send_line(password())

    def _shell_answers(self, logging_in, login):
        """Whether a shell runs the probe (login answers a failed password after ~3 s)."""
        self.send_line("echo rtvirt-ready-$((6*7))")
        refusals = LOGIN_REFUSED if logging_in else ()
        answer = self.wait_for(SHELL_READY, *refusals, timeout=2 * STEP_TIMEOUT)
        if answer in refusals:
            raise UsageError(f"login as {login} on {self.device} was refused: check the "
                             "password")
        return answer == SHELL_READY
