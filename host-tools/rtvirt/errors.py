"""Errors only the host raises; the ones both sides share are in rtvirt_agent.wire.errors."""

from rtvirt_agent.wire.errors import RtvirtError


class LimitsExceeded(RtvirtError):
    """A qualification found latencies above the configured limits."""

    exit_code = 1


class StorageError(RtvirtError):
    """The result store or a file the user asked for cannot be read or written: not a
    database, a read-only file system, a full disk."""

    exit_code = 4
