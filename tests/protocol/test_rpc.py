"""Client and Server over a clean pipe pair: replies, events, typed errors, cancel, sessions."""

import os
import threading

import pytest
from rtvirt_agent.protocol import Client, OpError, Server
from rtvirt_agent.streams import FdStream
from rtvirt_agent.wire.errors import RemoteError, SessionChanged, Unreachable, VersionMismatch
from rtvirt_agent.wire.frame import (
    HELLO_PAYLOAD,
    PROTOCOL_VERSION,
    Frame,
    FrameDecoder,
    encode_frame,
)

from tests.protocol.peers import hello


def _echo(args, ctx):
    for index in range(args.get("events", 0)):
        ctx.emit({"index": index})
    return {"echo": args}


def _wait_for_cancel(args, ctx):
    ctx.emit({"started": True})  # the test waits for this, never for a while
    cancelled = ctx.cancelled.wait(args["seconds"])
    return {"cancelled": cancelled}


def _refuse(args, ctx):
    raise OpError("not-found", f"no result {args.get('id')}")


def _crash(args, ctx):
    raise KeyError("bug")


HANDLERS = {"echo": _echo, "wait": _wait_for_cancel, "refuse": _refuse, "crash": _crash,
            "sysinfo": lambda args, ctx: {"kernel": "6.1"}}


def _pipe_pair():
    host_read, agent_write = os.pipe()
    agent_read, host_write = os.pipe()
    return FdStream(host_read, host_write), FdStream(agent_read, agent_write)


def _start_server(stream):
    server = Server(stream, HANDLERS, hello=hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture
def client():
    host_stream, agent_stream = _pipe_pair()
    server, thread = _start_server(agent_stream)
    client = Client(host_stream, timeout=5)
    client.connect()
    yield client
    client.close()
    thread.join(5)
    assert not thread.is_alive(), "server did not stop at end of stream"


def test_hello_reply_and_session(client):
    assert client.call("hello") == hello()
    assert isinstance(client.session, int)


def test_large_bytes_round_trip_with_events(client):
    blob = bytes(range(256)) * 1024
    events = []
    reply = client.call("echo", {"blob": blob, "events": 3}, on_event=events.append)
    assert reply["echo"]["blob"] == blob
    assert events == [{"index": 0}, {"index": 1}, {"index": 2}]


def test_typed_errors(client):
    with pytest.raises(RemoteError) as refused:
        client.call("refuse", {"id": "abc"})
    assert (refused.value.code, refused.value.message) == ("not-found", "no result abc")
    with pytest.raises(RemoteError) as crashed:
        client.call("crash")
    assert crashed.value.code == "internal"
    with pytest.raises(RemoteError) as unknown:
        client.call("format-disk")
    assert unknown.value.code == "unknown-op"
    assert client.call("echo", {"still": "alive"}) == {"echo": {"still": "alive"}}


def test_concurrent_calls_and_cancel(client):
    outcome, started, in_flight = {}, threading.Event(), []
    waiter = threading.Thread(target=lambda: outcome.update(client.call(
        "wait", {"seconds": 30}, on_start=in_flight.append,
        on_event=lambda event: started.set())))
    waiter.start()
    assert started.wait(5), "the wait op never started"
    assert client.call("echo", {"n": 1}) == {"echo": {"n": 1}}
    assert client.call("cancel", {"req_id": in_flight[0]}) == {}
    waiter.join(5)
    assert outcome == {"cancelled": True}


def test_silent_agent_is_unreachable():
    host_read, _agent_write = os.pipe()
    _agent_read, host_write = os.pipe()
    client = Client(FdStream(host_read, host_write), timeout=0.5)
    with pytest.raises(Unreachable, match="rtvirt-agent running"):
        client.connect()
    client.close()


def test_agent_restart_retries_idempotent_and_fails_others():
    host_stream, agent_stream = _pipe_pair()
    line = (agent_stream.read_fd, agent_stream.write_fd)
    first, first_thread = _start_server(FdStream(*map(os.dup, line)))
    client = Client(host_stream, timeout=5)
    client.connect()
    old_session = client.session
    failure, started = {}, threading.Event()

    def measure():
        try:
            client.call("wait", {"seconds": 30}, on_event=lambda event: started.set())
        except SessionChanged as error:
            failure["error"] = error

    measuring = threading.Thread(target=measure)
    measuring.start()
    assert started.wait(5), "measure never started on the first agent"
    # A new agent process on the same line: its state starts from scratch.
    first.close()
    first_thread.join(5)
    second, second_thread = _start_server(FdStream(*map(os.dup, line)))
    assert client.call("sysinfo") == {"kernel": "6.1"}
    measuring.join(5)
    assert "error" in failure
    assert client.session != old_session
    assert client.stats["peer_resets"] == 1
    client.close()
    second_thread.join(5)
    assert not second_thread.is_alive()
    agent_stream.close()


def test_version_mismatch_names_both_versions():
    host_stream, agent_stream = _pipe_pair()

    def agent_of_the_future():
        decoder = FrameDecoder({})
        while True:
            try:
                data = agent_stream.read(4096, 1.0)
            except EOFError:
                return
            for frame in decoder.feed(data):
                if frame.type == "HELLO":
                    payload = HELLO_PAYLOAD.build(dict(window=0, frame_size=0,
                                                       peer_session=frame.session))
                    agent_stream.write(encode_frame(Frame("HELLO_ACK", 99, payload=payload,
                                                          version=PROTOCOL_VERSION + 1)))

    threading.Thread(target=agent_of_the_future, daemon=True).start()
    client = Client(host_stream, timeout=5)
    with pytest.raises(VersionMismatch, match=f"version {PROTOCOL_VERSION}, the agent "
                                              f"version {PROTOCOL_VERSION + 1}"):
        client.connect()
    client.close()
    agent_stream.close()


def _serve_on_demand(stream, idle_exit):
    """An agent started on demand: ``done`` is set when serve_forever returns by itself."""
    server = Server(stream, HANDLERS, hello=hello)
    done = threading.Event()

    def serve():
        server.serve_forever(idle_exit=idle_exit)
        done.set()

    threading.Thread(target=serve, daemon=True).start()
    return server, done


def test_an_on_demand_agent_exits_when_the_host_says_goodbye():
    host_stream, agent_stream = _pipe_pair()
    server, done = _serve_on_demand(agent_stream, idle_exit=3600)
    client = Client(host_stream, timeout=5)
    client.connect()
    assert client.call("sysinfo") == {"kernel": "6.1"}
    assert not done.is_set()
    client.close()
    assert done.wait(30), "the agent kept serving after BYE"


def test_an_on_demand_agent_waits_for_its_running_op_then_exits_when_idle():
    host_stream, agent_stream = _pipe_pair()
    server, done = _serve_on_demand(agent_stream, idle_exit=0.2)
    client = Client(host_stream, timeout=5)
    client.connect()
    reply = client.call("wait", {"seconds": 1.0})  # keepalives are off: the host is silent
    assert reply == {"cancelled": False}
    assert done.wait(30), "the agent did not exit once idle"
    client.close()
