"""``lab:BOARD[?kernel=6.12&shared-console=1&login-console=1&uart=inmate]``: start or reuse
an emulated target and return the serial stream to its agent (a QEMU pty, opened like any
serial port).

``uart=inmate`` reaches the agent on the UART of the board's Jailhouse Linux inmate instead
of the root cell's (jailhouse-arm64); the default ``uart=agent`` is the target's own agent.
``login-console=1`` boots the board with only a login shell on its console and reaches the
agent as the ``console:`` target does (logs in as root with the lab's password, starts the
agent on the shell's terminal, hands the shell back at the end).
"""

import sys
from urllib.parse import parse_qs

from rtvirt_agent.streams import SerialStream
from rtvirt_agent.wire.errors import UsageError

from rtvirt.lab.target import LAB_PASSWORD, LabTarget, report_ready
from rtvirt.transports import console

OPTIONS = ("kernel", "shared-console", "login-console", "uart")
UARTS = ("agent", "inmate")


def parse(rest):
    """(board, kernel or None, shared_console, login_console, uart) from the part after
    ``lab:``."""
    board, _, query = rest.partition("?")
    options = {name: values[-1] for name, values in parse_qs(query, keep_blank_values=True).items()}
    unknown = set(options) - set(OPTIONS)
    if unknown:
        raise UsageError(f"lab:{rest}: unknown option(s) {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(OPTIONS)}")
    shared, login = (_flag(options, name) for name in ("shared-console", "login-console"))
    uart = options.get("uart", "agent")
    if uart not in UARTS:
        raise UsageError(f"lab:{rest}: uart must be one of {', '.join(UARTS)}, not {uart!r}")
    if login and (shared or uart != "agent"):
        raise UsageError(f"lab:{rest}: login-console is the only UART: it takes neither "
                         f"shared-console nor uart")
    return board, options.get("kernel"), shared, login, uart


def _flag(options, name):
    return options.get(name, "0").lower() in ("", "1", "yes", "true", "on")


def open_stream(rest):
    """SerialStream to the agent of the lab target named by ``rest`` (booted if not running)."""
    board, kernel, shared_console, login_console, uart = parse(rest)
    target = LabTarget(board, kernel, shared_console, login_console=login_console)
    if uart == "inmate" and target.board.inmate_uart is None:
        raise UsageError(f"lab:{rest}: board {board} has no Jailhouse Linux inmate UART "
                         f"(jailhouse-arm64 has)")
    current = target.up()
    report_ready(current, stream=sys.stderr)
    if login_console:
        options = console.parse(f"{current.console_pty}?login=root")
        return console.open_console(options, lambda: LAB_PASSWORD)
    return SerialStream(current.agent_pty if uart == "agent" else current.inmate_pty)
