"""Typed errors shared by agent and host (host-only ones live in rtvirt.errors).

Every user-facing failure is an ``RtvirtError`` subclass whose ``exit_code`` is the documented
exit status of the ``rtvirt`` command; only ``main()`` functions turn them into exit codes.
Messages name the object that was wrong and, where known, the likely fix.
"""


class RtvirtError(Exception):
    """Base of all expected errors; ``exit_code`` is what the CLI exits with."""

    exit_code = 4


class UsageError(RtvirtError):
    """Bad command line, bad argument or bad configuration."""

    exit_code = 2


class Unreachable(RtvirtError):
    """The target cannot be reached, stopped answering or timed out."""

    exit_code = 3


class ProtocolError(RtvirtError):
    """The peer sent something that breaks the protocol or the data format."""

    exit_code = 4


class FrameError(ProtocolError):
    """A frame on the wire is damaged (bad COBS, bad CRC, bad header)."""


class SessionChanged(ProtocolError):
    """The peer's session id changed: the agent restarted or another host took over."""


class VersionMismatch(ProtocolError):
    """Host and agent speak different protocol versions."""


class RemoteError(RtvirtError):
    """The agent refused or failed an operation; ``code`` is its typed error code."""

    exit_code = 4

    def __init__(self, code, message):
        super().__init__(f"agent: {code}: {message}")
        self.code = code
        self.message = message


class PeerFault(ProtocolError):
    """A shared-memory peer wrote an index, length or offset outside its region."""


class ResultFormatError(ProtocolError):
    """A result record is truncated, corrupt or of an unknown version."""
