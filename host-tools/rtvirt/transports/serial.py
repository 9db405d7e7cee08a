"""``serial:DEVICE?baud=N`` — the agent on a UART, usually through a USB-serial adapter."""

import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from rtvirt_agent.streams import SerialStream
from rtvirt_agent.wire.errors import UsageError

DEFAULT_BAUD = 115200


def parse(rest):
    """``(device, baud)`` from the part of the URI after ``serial:``."""
    parts = urlsplit(rest)
    options = parse_qs(parts.query)
    unknown = set(options) - {"baud"}
    if unknown:
        raise UsageError(f"unknown serial option(s) {', '.join(sorted(unknown))}: only baud=N")
    baud_text = options.get("baud", [str(DEFAULT_BAUD)])[-1]
    if not baud_text.isdigit() or int(baud_text) <= 0:
        raise UsageError(f"bad baud rate {baud_text!r} in serial:{rest}")
    return parts.path, int(baud_text)


def latency_timer_hint(device):
    """A hint when a USB-serial adapter holds bytes back (FTDI latency timer above 1 ms).

    The timer costs every stop-and-wait exchange its full length; rtvirt says so rather than
    changing a root-owned setting behind the user's back.
    """
    name = Path(device).resolve().name
    timer = Path("/sys/bus/usb-serial/devices") / name / "latency_timer"
    try:
        value = int(timer.read_text())
    except (OSError, ValueError):
        return None
    if value <= 1:
        return None
    return (f"note: {name} holds received bytes up to {value} ms (USB latency timer); "
            f"'echo 1 > {timer}' as root makes short requests faster")


def open_stream(rest):
    device, baud = parse(rest)
    hint = latency_timer_hint(device)
    if hint:
        print(hint, file=sys.stderr)
    return SerialStream(device, baud)
