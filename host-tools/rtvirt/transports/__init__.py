"""Target URIs → connected protocol clients.

A URI is ``SCHEME:REST``; each scheme is one module here with ``open_stream(rest) -> Stream``
(serial, console, exec, local, lab, ivshmem, labgrid); ``local`` alone means ``local:``. The
protocol above the stream is the same for all of them.
"""

import importlib

from rtvirt_agent.wire.errors import UsageError

SCHEMES = ("serial", "console", "exec", "local", "lab", "ivshmem", "labgrid")
NO_REST = ("local",)  # schemes whose URI may end at the colon


def split_uri(uri):
    """``(scheme, rest)`` of a target URI, or a UsageError naming the accepted forms."""
    if not uri:
        raise UsageError("no target given: use --target URI or set RTVIRT_TARGET "
                         "(local:, serial:/dev/ttyUSB0?baud=115200, exec:COMMAND, lab:x86)")
    scheme, sep, rest = uri.partition(":")
    if scheme in NO_REST:
        return scheme, rest
    if not sep or scheme not in SCHEMES or not rest:
        raise UsageError(f"bad target {uri!r}: expected one of "
                         + ", ".join(f"{s}:…" for s in SCHEMES))
    return scheme, rest


def open_stream(uri):
    """The byte stream to the agent named by ``uri``."""
    scheme, rest = split_uri(uri)
    try:
        module = importlib.import_module(f"rtvirt.transports.{scheme}")
    except ModuleNotFoundError as err:
        raise UsageError(f"transport {scheme!r} is not available in this build") from err
    return module.open_stream(rest)


def connect(uri, timeout=10.0, deadline=None):
    """A connected ``Client`` for ``uri`` and the agent's hello reply; ``deadline`` bounds each
    call (default: ``rtvirt_agent.protocol.rpc.CALL_DEADLINE``)."""
    from rtvirt_agent.protocol.rpc import CALL_DEADLINE, Client

    client = Client(open_stream(uri), timeout=timeout, deadline=deadline or CALL_DEADLINE)
    try:
        hello = client.connect()
    except BaseException:
        client.close()
        raise
    return client, hello
