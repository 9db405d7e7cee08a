"""Message envelope carried by the link: requests, replies, progress events and typed errors.

A message is one link message (any length; the link splits and reassembles it). The body is
encoded with ``rtvirt_agent.wire.values``.
"""

from dataclasses import dataclass
from typing import Any

from construct import (
    ConstructError,
    Enum,
    Int8ub,
    PascalString,
    Struct,
    Switch,
    Terminated,
    VarInt,
    this,
)

from rtvirt_agent.wire.errors import ProtocolError
from rtvirt_agent.wire.values import VALUE

Text = PascalString(VarInt, "utf8")

MESSAGE = Struct(
    "kind" / Enum(Int8ub, request=1, reply=2, event=3, error=4),
    "req_id" / VarInt,
    "content" / Switch(this.kind, {
        "request": Struct("op" / Text, "body" / VALUE),
        "reply": Struct("body" / VALUE),
        "event": Struct("body" / VALUE),
        "error": Struct("code" / Text, "text" / Text),
    }),
    Terminated,
)


@dataclass(frozen=True)
class Message:
    """``kind`` is request, reply, event or error; ``body`` holds args, reply or event body."""

    kind: str
    req_id: int
    op: str = ""
    body: Any = None
    code: str = ""
    text: str = ""

    @classmethod
    def request(cls, req_id: int, op: str, args: dict) -> "Message":
        return cls("request", req_id, op=op, body=args)

    @classmethod
    def reply(cls, req_id: int, body: dict) -> "Message":
        return cls("reply", req_id, body=body)

    @classmethod
    def event(cls, req_id: int, body: dict) -> "Message":
        return cls("event", req_id, body=body)

    @classmethod
    def error(cls, req_id: int, code: str, text: str) -> "Message":
        return cls("error", req_id, code=code, text=text)


def encode_message(message: Message) -> bytes:
    """Encode a message; raise ``ProtocolError`` if its body holds an unencodable value."""
    fields = {"request": dict(op=message.op, body=message.body),
              "reply": dict(body=message.body), "event": dict(body=message.body),
              "error": dict(code=message.code, text=message.text)}
    if message.kind not in fields:
        raise ProtocolError(f"unknown message kind {message.kind!r}")
    try:
        return MESSAGE.build(dict(kind=message.kind, req_id=message.req_id,
                                  content=fields[message.kind]))
    except ConstructError as error:
        raise ProtocolError(f"cannot encode message: {error}") from None


def decode_message(data: bytes) -> Message:
    """Decode one message; raise ``ProtocolError`` (never anything else) on malformed input."""
    try:
        parsed = MESSAGE.parse(data)
    except ProtocolError:
        raise
    except (ConstructError, UnicodeDecodeError, TypeError) as error:
        raise ProtocolError(f"malformed message: {error.__class__.__name__}") from None
    except RecursionError:
        raise ProtocolError("malformed message: nested too deeply") from None
    kind = parsed.kind
    if not isinstance(kind, str):
        raise ProtocolError(f"unknown message kind {int(kind)}")
    content = parsed.content
    if kind == "error":
        return Message.error(parsed.req_id, content.code, content.text)
    return Message(kind, parsed.req_id, op=content.get("op", ""), body=content.body)
