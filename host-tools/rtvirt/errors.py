"""Errors only the host raises; the ones both sides share are in rtvirt_agent.wire.errors."""

from rtvirt_agent.wire.errors import RtvirtError


class LimitsExceeded(RtvirtError):
    """A qualification found latencies above the configured limits."""

    exit_code = 1
