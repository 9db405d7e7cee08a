"""``lab:BOARD[?kernel=6.12&shared-console=1]``: start or reuse an emulated target and return
the serial stream to its agent (a QEMU pty, opened like any serial port)."""

import sys
from urllib.parse import parse_qs

from rtvirt_agent.streams import SerialStream
from rtvirt_agent.wire.errors import UsageError

from rtvirt.lab.target import LabTarget, report_ready

OPTIONS = ("kernel", "shared-console")


def parse(rest):
    """(board, kernel or None, shared_console) from the part after ``lab:``."""
    board, _, query = rest.partition("?")
    options = {name: values[-1] for name, values in parse_qs(query, keep_blank_values=True).items()}
    unknown = set(options) - set(OPTIONS)
    if unknown:
        raise UsageError(f"lab:{rest}: unknown option(s) {', '.join(sorted(unknown))}; "
                         f"known: {', '.join(OPTIONS)}")
    shared = options.get("shared-console", "0").lower() in ("", "1", "yes", "true", "on")
    return board, options.get("kernel"), shared


def open_stream(rest):
    """SerialStream to the agent of the lab target named by ``rest`` (booted if not running)."""
    board, kernel, shared_console = parse(rest)
    current = LabTarget(board, kernel, shared_console).up()
    report_ready(current, stream=sys.stderr)
    return SerialStream(current.agent_pty)
