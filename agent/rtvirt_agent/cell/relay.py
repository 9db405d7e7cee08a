"""Relaying a measurement to the rtvirt-agent of a Linux inmate (docs/inmate.md).

A Linux inmate runs ``rtvirt-agent --ivshmem`` on its end of the cell's ivshmem link
(agent/cell/rtvirt-cell-init). The root cell's agent is that agent's host: it sends it the
host's ``measure`` arguments over the link, forwards its progress events and fetches the
record (cell.py stores it here with the run's labels plus ``cell=<name>``). A cancel from
the host is passed on, so the inmate's core stops and still writes its result.
``relay_measure`` does the same for a KVM guest's agent (vm.py), over its virtio console.
"""

import mmap
import threading
from dataclasses import dataclass

from rtvirt_agent.ivshmem.mailbox import ShmStream
from rtvirt_agent.ivshmem.region import open_initialised
from rtvirt_agent.protocol.rpc import CALL_DEADLINE, Client, OpError
from rtvirt_agent.wire.errors import (
    ProtocolError,
    RemoteError,
    ResultFormatError,
    RtvirtError,
    Unreachable,
)
from rtvirt_agent.wire.result import parse_result

LINK_WAIT_S = 10.0      # for the inmate's agent to (re)initialise its end of the link
LINK_STALE_S = 5.0      # heartbeat standing still this long: the inmate has stopped
SILENCE_S = 60.0        # the inmate's measure sends progress twice a second


def relay_to_agent(ctx, name, link, measure_args):
    """Run ``measure`` in cell ``name`` through ``link`` ((uio device, offset, size) of the
    read-write section): (the inmate agent's reply, its parsed result record)."""
    device, offset, _size = link
    client = _connect(name, device, offset // mmap.PAGESIZE)
    return relay_measure(client, ctx, measure_args,
                         RelayPeer(f"cell {name}", "cell-stopped", "cell-link",
                                   f"the Linux inmate of cell {name}"))


@dataclass(frozen=True)
class RelayPeer:
    """How errors of a relayed agent are told: the prefix naming it, the error codes of a
    peer that stopped answering and of a broken link, and what it is (for the former)."""

    prefix: str
    stopped_code: str
    link_code: str
    what: str


def relay_measure(client, ctx, measure_args, peer):
    """Run ``measure`` on the connected agent behind ``client`` (a Linux inmate's, a KVM
    guest's): (its reply, its parsed result record). The client is closed afterwards."""
    try:
        reply = _measure(client, ctx, measure_args)
        data = client.call("results.get", {"id": str(reply.get("result_id"))}).get("data")
        result = parse_result(data if isinstance(data, bytes) else b"")
    except RemoteError as error:
        raise OpError(error.code, f"{peer.prefix}: {error.message}") from None
    except Unreachable as error:
        raise OpError(peer.stopped_code, f"{peer.what} stopped answering: {error}") from None
    except (ProtocolError, ResultFormatError) as error:
        raise OpError(peer.link_code, f"{peer.prefix}: {error}") from None
    finally:
        client.close()
    return reply, result


def _connect(name, device, uio_map):
    """A protocol client on the inmate's agent; OpError when the link cannot carry one."""
    try:
        region = open_initialised(device, LINK_WAIT_S, uio_map)
    except Unreachable:
        raise OpError("cell-stopped", f"no agent answers on the link of cell {name}: nothing "
                                      f"initialised it within {LINK_WAIT_S:g} s (is the Linux "
                                      f"inmate booted?)") from None
    except RtvirtError as error:
        raise OpError("cell-link", f"cell {name}: {error}") from None
    client = Client(ShmStream(region, "host", stale_s=LINK_STALE_S), timeout=LINK_WAIT_S)
    try:
        client.connect()
    except RtvirtError as error:
        client.close()
        raise OpError("cell-stopped", f"the agent of cell {name} does not answer: {error}") \
            from None
    return client


def _measure(client, ctx, measure_args):
    """The inmate's ``measure`` reply; its events are ours, our cancel becomes its cancel."""
    inner, finished = {}, threading.Event()

    def pass_cancel_on():
        while not finished.wait(0.1):
            if ctx.cancelled.is_set() and "req_id" in inner:
                client.call("cancel", {"req_id": inner["req_id"]})
                return

    watcher = threading.Thread(target=pass_cancel_on, name="cell-cancel", daemon=True)
    watcher.start()
    try:
        return client.call("measure", measure_args, on_event=ctx.emit,
                           on_start=lambda req_id: inner.setdefault("req_id", req_id),
                           timeout=SILENCE_S, deadline=_length_s(measure_args) + CALL_DEADLINE)
    finally:
        finished.set()
        watcher.join()


def _length_s(measure_args):
    """How long the inmate's run lasts: its duration, or its loops times its interval."""
    if measure_args.get("duration_s"):
        return float(measure_args["duration_s"])
    return measure_args.get("loops", 0) * measure_args.get("interval_us", 1000) / 1e6
