"""Request/reply calls over a link: the host's ``Client`` and the agent's ``Server``.

Each request carries a request id chosen by the client; the server answers with exactly one
reply or typed error, optionally preceded by progress events. Requests run in worker threads,
so "cancel" and short ops are answered while a long "measure" runs.
"""

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from rtvirt_agent.protocol.link import DEFAULT_FRAME_SIZE, DEFAULT_WINDOW, Link
from rtvirt_agent.protocol.window import MAX_MESSAGE
from rtvirt_agent.wire.errors import ProtocolError, RemoteError, SessionChanged, Unreachable
from rtvirt_agent.wire.frame import SUPPORTED_VERSIONS
from rtvirt_agent.wire.message import Message, decode_message, encode_message
from rtvirt_agent.wire.opspec import OPS, check_event, check_reply, is_idempotent
from rtvirt_agent.wire.shapes import ShapeError

log = logging.getLogger(__name__)

POLL_INTERVAL = 0.1
MAX_WORKERS = 8
CALL_DEADLINE = 120.0
"""Seconds a call may take in all unless its caller says otherwise (a measurement: its length
plus a margin). A peer that keeps the line busy (PINGs answered, RESETs, a message without
end) but never replies is given up on at the deadline, whatever the silence timeout says."""
IDLE_CHECK = 0.2
"""Seconds between checks whether an on-demand agent may exit."""


class OpError(Exception):
    """Raised by a handler to send a typed error reply (``code`` e.g. "bad-argument")."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class Context:
    """What a handler gets besides its arguments: its request id, events and cancellation."""

    def __init__(self, req_id: int, send_event: Callable[[dict], None]):
        self.req_id = req_id
        self.cancelled = threading.Event()
        self._send_event = send_event

    def emit(self, body: dict) -> None:
        """Send a progress event for this request."""
        self._send_event(body)


class _Call:
    __slots__ = ("op", "request", "epoch", "inbox", "last_news")

    def __init__(self, op: str, request: bytes):
        self.op, self.request = op, request
        self.epoch = None
        self.inbox = queue.Queue()
        self.last_news = time.monotonic()


class Client:
    """The host end. Thread-safe: several calls may be in flight at once."""

    def __init__(self, stream, *, timeout: float = 10.0, deadline: float = CALL_DEADLINE,
                 window: int = DEFAULT_WINDOW, frame_size: int = DEFAULT_FRAME_SIZE,
                 versions=SUPPORTED_VERSIONS):
        self.timeout = timeout
        self.deadline = deadline
        self._link = Link(stream, on_message=self._on_message, on_reset=self._on_reset,
                          role="host", window=window, frame_size=frame_size, versions=versions)
        self._link.stats.update(calls_retried=0, calls_failed_by_reset=0, stray_messages=0)
        self._calls: dict[int, _Call] = {}
        self._lock = threading.Lock()
        self._req_ids = itertools.count(1)
        self._started = False

    @property
    def session(self) -> int | None:
        return self._link.peer_session

    @property
    def stats(self) -> dict:
        return dict(self._link.stats, version=self._link.version, window=self._link.window,
                    frame_size=self._link.frame_size, fragment=self._link.fragment)

    def connect(self) -> dict:
        """Open the link session and return the agent's answer to "hello"."""
        if not self._started:
            self._started = True
            self._link.start()
        self._link.handshake(self._handshake_timeout(self.deadline))
        return self.call("hello")

    def _handshake_timeout(self, deadline: float) -> float:
        """The silence timeout, or longer for a stream whose agent is only starting (a stream
        started on demand says how long that may take as ``startup_timeout``)."""
        startup = getattr(self._link.stream, "startup_timeout", 0.0)
        return min(max(self.timeout, startup), deadline)

    def call(self, op: str, args: dict | None = None, *, on_event=None, on_start=None,
             timeout: float | None = None, deadline: float | None = None) -> dict:
        """Run ``op`` on the agent; ``timeout`` bounds how long the line may stay silent,
        ``deadline`` (default: the client's, or ``timeout`` if longer) how long the whole call
        may take (``math.inf``: a run the user ends, e.g. an endless measurement).

        ``on_start(req_id)`` learns the request id, so that another thread can "cancel" it.
        """
        if deadline is None:  # a caller that allows that much silence allows that long
            deadline = max(self.deadline, timeout or 0)
        give_up_at = time.monotonic() + deadline
        if not self._started:
            self._started = True
            self._link.start()
            self._link.handshake(self._handshake_timeout(deadline))
        req_id = next(self._req_ids)
        call = _Call(op, encode_message(Message.request(req_id, op, args or {})))
        with self._lock:
            self._calls[req_id] = call
            self._link.keepalive = True
            call.epoch = self._link.send(call.request)
        if on_start is not None:
            on_start(req_id)
        try:
            return self._wait(call, on_event, self.timeout if timeout is None else timeout,
                              (give_up_at, deadline))
        finally:
            with self._lock:
                del self._calls[req_id]
                self._link.keepalive = bool(self._calls)

    def _wait(self, call: _Call, on_event, timeout: float, deadline) -> dict:
        give_up_at, seconds = deadline
        while True:
            try:
                kind, payload = call.inbox.get(timeout=POLL_INTERVAL)
            except queue.Empty:
                kind = None
            if kind == "reply":
                return check_reply(call.op, payload)
            if kind == "error":
                raise RemoteError(*payload)
            if kind == "failed":
                raise payload
            now = time.monotonic()
            if now > give_up_at:  # also when events keep coming: they are no reply
                raise Unreachable(
                    f"{call.op!r} not answered within its deadline of {seconds:g} s: the "
                    "agent keeps the line busy but does not reply (hung, or not an rtvirt "
                    "agent)")
            if kind is None:
                self._check_line(call, now, timeout)
                continue
            call.last_news = now
            if on_event is not None:
                on_event(check_event(call.op, payload))

    def _check_line(self, call: _Call, now: float, timeout: float) -> None:
        """Raise when the line closed or stayed silent for ``timeout`` seconds."""
        if self._link.eof:
            raise getattr(self._link.stream, "fault", None) or \
                Unreachable("the line to the agent closed")
        if now - max(self._link.last_rx, call.last_news) > timeout:
            raise Unreachable(self._link.describe_silence(timeout))

    def _on_message(self, data: bytes, epoch: int) -> None:
        try:
            message = decode_message(data)
        except ProtocolError as error:
            log.warning("undecodable message from the agent: %s", error)
            self._link.stats["stray_messages"] += 1
            return
        with self._lock:
            call = self._calls.get(message.req_id)
        if call is None or call.epoch != epoch or message.kind == "request":
            self._link.stats["stray_messages"] += 1
        elif message.kind == "error":
            call.inbox.put(("error", (message.code, message.text)))
        else:
            call.inbox.put((message.kind, message.body))

    def _on_reset(self, epoch: int) -> None:
        """A new session: resend idempotent calls of older sessions, fail the others."""
        with self._lock:
            for call in self._calls.values():
                if call.epoch is None or call.epoch >= epoch:
                    continue
                if is_idempotent(call.op):
                    self._link.stats["calls_retried"] += 1
                    call.epoch = self._link.send(call.request)
                else:
                    self._link.stats["calls_failed_by_reset"] += 1
                    call.inbox.put(("failed", SessionChanged(
                        f"the agent session changed during {call.op!r} (agent restarted or "
                        "line re-plugged); any result it stored stays on the target: "
                        "see results.list")))

    def close(self) -> None:
        self._link.close()
        with self._lock:
            for call in self._calls.values():
                call.inbox.put(("failed", Unreachable("the client was closed")))


class Server:
    """The agent end: answers requests until the stream ends."""

    def __init__(self, stream, handlers: dict[str, Callable[[dict, Context], dict]], *,
                 hello: Callable[[], dict], window: int = DEFAULT_WINDOW,
                 frame_size: int = DEFAULT_FRAME_SIZE, max_workers: int = MAX_WORKERS,
                 versions=SUPPORTED_VERSIONS):
        self.handlers = dict(handlers)
        self.hello = hello
        self.max_workers = max_workers
        self._link = Link(stream, on_message=self._on_message, on_reset=self._on_reset,
                          role="agent", window=window, frame_size=frame_size, versions=versions)
        self._pool = ThreadPoolExecutor(max_workers, thread_name_prefix="rtvirt-op")
        self._running: dict[tuple[int, int], Context] = {}
        self._lock = threading.Lock()

    @property
    def stats(self) -> dict:
        return dict(self._link.stats)

    def serve_forever(self, idle_exit: float | None = None) -> None:
        """Serve until the stream ends; with ``idle_exit``, also once no op runs and the host
        said BYE or sent nothing for ``idle_exit`` seconds (an agent started on demand)."""
        self._link.start()
        while not self._link.wait_closed(None if idle_exit is None else IDLE_CHECK):
            if self._idle(idle_exit):
                log.info("host gone (goodbye or %g s idle), exiting", idle_exit)
                break
        with self._lock:
            for context in self._running.values():
                context.cancelled.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._link.close()

    def _idle(self, idle_exit: float) -> bool:
        with self._lock:
            if self._running:
                return False
        silent = time.monotonic() - self._link.last_rx
        return self._link.goodbye.is_set() or silent > idle_exit

    def close(self) -> None:
        """Stop serving (serve_forever returns)."""
        self._link.close()

    def _on_message(self, data: bytes, epoch: int) -> None:
        try:
            message = decode_message(data)
        except ProtocolError as error:
            log.warning("undecodable message from the host: %s", error)
            return
        if message.kind != "request":
            return
        req_id, op = message.req_id, message.op
        if not isinstance(message.body, dict):
            self._send(epoch, Message.error(req_id, "bad-argument", "arguments must be a dict"))
        elif op == "cancel":
            self._send(epoch, self._execute(lambda args, ctx: self._cancel(args, epoch),
                                            message, None))
        elif op == "hello":
            self._send(epoch, self._execute(lambda args, ctx: self.hello(), message, None))
        elif op not in self.handlers:
            known = ", ".join(sorted({"hello", "cancel", *self.handlers}))
            self._send(epoch, Message.error(req_id, "unknown-op",
                                            f"unknown op {op!r}; this agent knows {known}"))
        else:
            self._start(message, epoch)

    def _start(self, message: Message, epoch: int) -> None:
        key = (epoch, message.req_id)
        context = Context(message.req_id, lambda body: self._send(
            epoch, Message.event(message.req_id, body)))
        with self._lock:
            if len(self._running) >= self.max_workers:
                self._send(epoch, Message.error(message.req_id, "busy",
                                                f"{self.max_workers} requests already running"))
                return
            self._running[key] = context
        self._pool.submit(self._work, message, context, epoch)

    def _work(self, message: Message, context: Context, epoch: int) -> None:
        try:
            reply = self._execute(self.handlers[message.op], message, context)
        finally:
            with self._lock:
                self._running.pop((epoch, message.req_id), None)
        self._send(epoch, reply)

    @staticmethod
    def _execute(handler, message: Message, context: Context | None) -> Message:
        try:
            body = handler(message.body, context)
            if not isinstance(body, dict):
                raise TypeError(f"handler returned {type(body).__name__}, not dict")
            return Message.reply(message.req_id, body)
        except OpError as error:
            return Message.error(message.req_id, error.code, error.message)
        except Exception as error:
            log.exception("op %r failed", message.op)
            return Message.error(message.req_id, "internal",
                                 f"{message.op}: {error.__class__.__name__}: {error}")

    def _cancel(self, args: dict, epoch: int) -> dict:
        try:
            target = OPS["cancel"].args["req_id"].shape.check(args.get("req_id"), "req_id")
        except ShapeError as error:
            raise OpError("bad-argument", f"cancel: {error}") from None
        with self._lock:
            context = self._running.get((epoch, target))
        if context is not None:
            context.cancelled.set()
        return {}

    def _on_reset(self, epoch: int) -> None:
        """A new host session: requests of older sessions are cancelled."""
        with self._lock:
            for (request_epoch, _), context in self._running.items():
                if request_epoch < epoch:
                    context.cancelled.set()

    def _send(self, epoch: int, message: Message) -> None:
        if epoch != self._link.epoch or self._link.eof:
            return
        try:
            data = encode_message(message)
        except ProtocolError as error:
            data = encode_message(Message.error(message.req_id, "internal",
                                                f"reply not encodable: {error}"))
        if len(data) > MAX_MESSAGE:
            data = encode_message(Message.error(
                message.req_id, "too-large",
                f"a {message.kind} of {len(data)} bytes exceeds the protocol's {MAX_MESSAGE}"))
        try:
            self._link.send(data)
        except Unreachable:
            log.info("link closed before the reply to request %d", message.req_id)
