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


USB_SERIAL_DEVICES = Path("/sys/bus/usb-serial/devices")
# bench serial, 115200 baud on the line shaper (emulated adapter): median short call
ROUND_TRIP_MS = {1: 21, 16: 57}  # docs/protocol.md, USB adapters


def latency_timer_hint(device, devices=USB_SERIAL_DEVICES):
    """A hint when a USB-serial adapter holds bytes back (FTDI latency timer above 1 ms).

    The timer delays every request and every reply by up to its length; rtvirt says what that
    costs and how to lower it rather than changing a root-owned setting behind the user's back.
    """
    name = Path(device).resolve().name
    timer = devices / name / "latency_timer"
    try:
        value = int(timer.read_text())
    except (OSError, ValueError):
        return None
    if value <= 1:
        return None
    return (f"note: {name} holds received bytes up to {value} ms (USB latency timer): each "
            f"request and reply waits for it (a short call took {ROUND_TRIP_MS[16]} ms at "
            f"16 ms, {ROUND_TRIP_MS[1]} ms at 1 ms on an emulated line; docs/protocol.md). "
            f"As root: 'echo 1 > {timer}' or 'setserial /dev/{name} low_latency'")


def open_stream(rest):
    device, baud = parse(rest)
    hint = latency_timer_hint(device)
    if hint:
        print(hint, file=sys.stderr)
    return SerialStream(device, baud)
