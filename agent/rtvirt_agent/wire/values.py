"""Self-describing encoding of message bodies: JSON-like values plus raw bytes.

Each value is a tag byte followed by its data: None, False, True, int (zig-zag varint, any
size), float (IEEE-754 binary64), str (varint length + UTF-8), bytes (varint length + raw),
list (varint count + values), dict (varint count + key/value pairs; keys are str or int).
Bytes travel as they are, so a 64 KiB result costs 64 KiB plus a few bytes.
"""

from construct import (
    Adapter,
    ConstructError,
    Enum,
    Float64b,
    GreedyBytes,
    Int8ub,
    LazyBound,
    PascalString,
    Pass,
    Prefixed,
    PrefixedArray,
    Struct,
    Switch,
    Terminated,
    VarInt,
    ZigZag,
    this,
)

from rtvirt_agent.wire.errors import ProtocolError

MAX_DEPTH = 32
"""Deepest nesting of lists and dicts the encoder accepts; the decoder refuses input nested
deeper than the interpreter's recursion allows (a typed error, never a crash)."""

Tag = Enum(Int8ub, none=0, false=1, true=2, int=3, float=4, str=5, bytes=6, list=7, dict=8)


class _ValueAdapter(Adapter):
    """Maps Python values to and from the tagged structure, one nesting level at a time."""

    def _decode(self, obj, context, path):
        tag = obj.tag
        if tag == "none":
            return None
        if tag in ("false", "true"):
            return tag == "true"
        if tag == "list":
            return list(obj.value)
        if tag == "dict":
            result = {}
            for item in obj.value:
                if not isinstance(item.key, str | int):
                    raise ProtocolError(f"dict key of type {type(item.key).__name__}")
                result[item.key] = item.value
            return result
        if tag in ("int", "float", "str", "bytes"):
            return obj.value
        raise ProtocolError(f"unknown value tag {int(tag)}")

    def _encode(self, obj, context, path):
        if obj is None:
            return dict(tag="none", value=None)
        if isinstance(obj, bool):
            return dict(tag="true" if obj else "false", value=None)
        for kind, types in _SCALARS:
            if isinstance(obj, types):
                return dict(tag=kind, value=obj)
        if isinstance(obj, list | tuple):
            return dict(tag="list", value=list(obj))
        if isinstance(obj, dict):
            return dict(tag="dict", value=[dict(key=k, value=v) for k, v in obj.items()])
        raise ProtocolError(f"cannot encode a value of type {type(obj).__name__}")


_SCALARS = (("int", int), ("float", float), ("str", str), ("bytes", bytes | bytearray))

VALUE = _ValueAdapter(Struct(
    "tag" / Tag,
    "value" / Switch(this.tag, {
        "none": Pass,
        "false": Pass,
        "true": Pass,
        "int": ZigZag,
        "float": Float64b,
        "str": PascalString(VarInt, "utf8"),
        "bytes": Prefixed(VarInt, GreedyBytes),
        "list": PrefixedArray(VarInt, LazyBound(lambda: VALUE)),
        "dict": PrefixedArray(VarInt, Struct(
            "key" / LazyBound(lambda: VALUE),
            "value" / LazyBound(lambda: VALUE),
        )),
    }, default=Pass),
))

DOCUMENT = Struct("value" / VALUE, Terminated)


def _depth(value, limit: int) -> None:
    if limit < 0:
        raise ProtocolError(f"value nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        children = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        children = value
    else:
        return
    for child in children:
        _depth(child, limit - 1)


def encode_value(value) -> bytes:
    """Encode one value; raise ``ProtocolError`` for types the encoding does not carry."""
    _depth(value, MAX_DEPTH)
    try:
        return DOCUMENT.build(dict(value=value))
    except ConstructError as error:
        raise ProtocolError(f"cannot encode value: {error}") from None


def decode_value(data: bytes):
    """Decode one value that fills ``data``; raise ``ProtocolError`` on any malformed input."""
    try:
        return DOCUMENT.parse(data).value
    except ProtocolError:
        raise
    except (ConstructError, UnicodeDecodeError, TypeError) as error:
        raise ProtocolError(f"malformed value: {error.__class__.__name__}") from None
    except RecursionError:
        raise ProtocolError(f"value nested deeper than {MAX_DEPTH} levels") from None
