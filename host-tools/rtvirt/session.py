"""What most subcommands share: a connected target and the result store."""

import contextlib
import sys

from rtvirt_agent.wire.errors import ResultFormatError
from rtvirt_agent.wire.result import result_id as content_id

from rtvirt.store import Store
from rtvirt.transports import connect


@contextlib.contextmanager
def target(args, timeout=10.0):
    """A connected protocol client for ``--target``; yields ``(client, hello)``."""
    client, hello = connect(args.target, timeout=timeout, deadline=getattr(args, "deadline", None))
    try:
        yield client, hello
    finally:
        client.close()


def store(args):
    """The result store named by ``--db`` (or the default one)."""
    return Store(args.db)


def fetch_result(client, store_, result_id, target_uri):
    """Copy one result from the target into the store; returns ``(data, added)``."""
    reply = client.call("results.get", {"id": result_id})
    data = reply["data"]
    if not isinstance(data, bytes) or content_id(data) != result_id:
        raise ResultFormatError(f"result {result_id} on the target is damaged: its content "
                                "does not match its id (the sha256 of the record)")
    _, added = store_.add(data, target_uri)
    return data, added


def note(text):
    """A line for the user that is not the command's output (goes to stderr)."""
    print(text, file=sys.stderr)
