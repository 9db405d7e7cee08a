"""``console:DEVICE?login=USER&password-file=PATH&baud=N&agent=CMD&idle-exit=S`` — the agent
on a UART shared with the kernel console and a login shell (many boards have only one).

The transport logs in if the console asks (the password is read from ``password-file`` or
``$RTVIRT_CONSOLE_PASSWORD`` when the prompt appears; it is never stored, echoed or logged),
starts ``rtvirt-agent --stdio --idle-exit S`` on the shell's terminal after ``stty raw
-echo``, and speaks the protocol through the kernel's console output (docs/protocol.md,
console noise). On close the host says BYE, the agent exits, the shell restores the
terminal settings it saved and is at its prompt again. An agent whose host vanished exits
after ``idle-exit`` seconds (default 30) and hands the shell back the same way.
"""

import os
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from rtvirt_agent.streams import SerialStream
from rtvirt_agent.wire.errors import Unreachable, UsageError

from rtvirt.transports.serial import DEFAULT_BAUD, latency_timer_hint
from rtvirt.transports.shell_console import KEEP, ShellConsole, find_text

OPTIONS = ("baud", "login", "password-file", "agent", "idle-exit")
PASSWORD_ENV = "RTVIRT_CONSOLE_PASSWORD"
DEFAULT_IDLE_EXIT = 30
# $((6*7)) is typed, 42 is printed: the echo of the command line never matches the marker
AGENT_STARTED = "rtvirt-agent-42"
SHELL_BACK = "rtvirt-shell-42"
HANDBACK_TIMEOUT = 10.0
AGENT_STARTUP_TIMEOUT = 90.0
"""Seconds the handshake may wait for the agent to start (Python on a small or emulated board)."""


def parse(rest):
    """Options of the part after ``console:``: dict with device, baud, login, password_file,
    agent, idle_exit."""
    parts = urlsplit(rest)
    options = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    unknown = set(options) - set(OPTIONS)
    if unknown or not parts.path:
        raise UsageError(f"console:{rest}: expected console:DEVICE[?{'&'.join(OPTIONS)}]"
                         + (f"; unknown: {', '.join(sorted(unknown))}" if unknown else ""))
    return {"device": parts.path,
            "baud": _positive(options.get("baud", str(DEFAULT_BAUD)), "baud rate", rest),
            "login": options.get("login"),
            "password_file": options.get("password-file"),
            "agent": _agent_command(options.get("agent", "rtvirt-agent"), rest),
            "idle_exit": _positive(options.get("idle-exit", str(DEFAULT_IDLE_EXIT)),
                                   "idle-exit", rest)}


def _positive(text, what, rest):
    if not text.isdigit() or int(text) <= 0:
        raise UsageError(f"bad {what} {text!r} in console:{rest}: a whole number > 0")
    return int(text)


def _agent_command(command, rest):
    if not command or any(c.isspace() or c in "'\"`$;&|<>\\" for c in command):
        raise UsageError(f"bad agent {command!r} in console:{rest}: a plain path, no quoting")
    return command


def password_source(password_file):
    """A function returning the password when the console asks for it (read only then)."""
    def read():
        if password_file:
            try:
                return Path(password_file).read_text().rstrip("\r\n")
            except OSError as error:
                raise UsageError(f"password file {password_file}: {error.strerror}") from None
        if PASSWORD_ENV in os.environ:
            return os.environ[PASSWORD_ENV]
        raise UsageError(f"the console asks for a password: give ?password-file=PATH or set "
                         f"{PASSWORD_ENV}")
    return read


class ConsoleStream:
    """The protocol stream over the shell's terminal; ``close`` waits for the shell to be back.

    If the shell's marker shows up while the protocol runs, the agent has exited (it did not
    start, or its idle timeout passed): the stream ends with that as its ``fault``.
    """

    startup_timeout = AGENT_STARTUP_TIMEOUT

    def __init__(self, serial, console):
        self._serial, self._console = serial, console
        self.handed_back = False
        self.fault = None
        self._tail = b""
        # what came with the agent's start marker: its first frames, or the shell's marker
        # of an agent that exited at once
        self._pending = console.take_rest()

    def read(self, max_bytes, timeout):
        if self._pending:
            data, self._pending = self._pending[:max_bytes], self._pending[max_bytes:]
        else:
            data = self._serial.read(max_bytes, timeout)
        seen, self._tail = self._tail + data, (self._tail + data)[-KEEP:]
        if find_text(SHELL_BACK, seen):
            self.handed_back = True
            self.fault = Unreachable(
                f"rtvirt-agent exited on {self._console.device} (it did not start, or was idle "
                f"too long): its log is $TMPDIR/rtvirt-agent-console.log on the target")
            raise EOFError("the agent on the console exited")
        return data

    def write(self, data):
        self._serial.write(data)

    def close(self):
        if not self.handed_back:
            try:
                self.handed_back = bool(self._console.wait_for(SHELL_BACK,
                                                               timeout=HANDBACK_TIMEOUT))
            except (EOFError, OSError):
                self.handed_back = False
        if not self.handed_back:
            print("note: the console shell did not answer yet: the agent hands it back after "
                  "its idle timeout", file=sys.stderr)
        self._serial.close()


def start_agent(console, options):
    """Type the command that runs the agent on the shell's terminal; wait until it is raw."""
    command = (f"s=$(stty -g); stty raw -echo; echo rtvirt-agent-$((6*7)); "
               f"{options['agent']} --stdio --idle-exit {options['idle_exit']} "
               f"2>>${{TMPDIR:-/tmp}}/rtvirt-agent-console.log; "
               f"stty \"$s\"; echo rtvirt-shell-$((6*7))")
    console.send_line(command)
    if not console.wait_for(AGENT_STARTED, timeout=10.0):
        raise Unreachable(f"the shell on {options['device']} did not start the agent: "
                          f"{console.tail()}")


def open_stream(rest):
    options = parse(rest)
    hint = latency_timer_hint(options["device"])
    if hint:
        print(hint, file=sys.stderr)
    return open_console(options, password_source(options["password_file"]))


def open_console(options, password):
    """The protocol stream to an agent started on the shell of the console ``options`` name
    (``parse``); ``password()`` gives the login password when the console asks."""
    serial = SerialStream(options["device"], options["baud"])
    try:
        console = ShellConsole(serial, options["device"])
        console.reach_shell(options["login"], password, deadline=time.monotonic() + 60)
        start_agent(console, options)
    except BaseException:
        serial.close()
        raise
    return ConsoleStream(serial, console)
