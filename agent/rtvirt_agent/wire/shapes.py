"""The vocabulary of op descriptions (``wire.opspec``): what one value must be.

A shape checks a value from a peer and returns it normalised, or raises ``ShapeError`` saying
what was wrong in words a user can act on ("an integer in 0..99, not 200"). The same shapes
check a request's arguments on the agent, a command line's flags on the host (``from_text``)
and every reply on the host, so the three can never disagree.
"""

import math
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from rtvirt_agent.wire.cpulist import format_cpulist, parse_cpulist


class ShapeError(ValueError):
    """A value that does not have its shape; ``where`` names it (a key path like
    ``results[3].id``), the message says what it should have been."""

    def __init__(self, where, message):
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message


def _show(value, limit=40):
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}…"


def _fail(where, expected, value):
    raise ShapeError(where, f"must be {expected}, not {_show(value)}")


class Shape(ABC):
    """Base: ``check(value, where)`` returns the value or raises ShapeError; ``from_text``
    reads it from a command line first."""

    @abstractmethod
    def check(self, value, where=""):
        """``value`` if it has this shape, else ShapeError naming ``where``."""

    def from_text(self, text, where=""):
        return self.check(text, where)


@dataclass(frozen=True)
class Integer(Shape):
    low: int
    high: int

    def check(self, value, where="", high=None):
        top = self.high if high is None else min(self.high, high)
        if isinstance(value, bool) or not isinstance(value, int) or not self.low <= value <= top:
            _fail(where, f"an integer in {self.low}..{top}", value)
        return value

    def from_text(self, text, where=""):
        try:
            value = int(text)
        except ValueError:
            _fail(where, f"an integer in {self.low}..{self.high}", text)
        return self.check(value, where)


@dataclass(frozen=True)
class Number(Shape):
    low: float
    high: float

    def check(self, value, where="", high=None):
        top = self.high if high is None else min(self.high, high)
        if isinstance(value, bool) or not isinstance(value, int | float) or \
                not self.low <= value <= top or math.isnan(value):
            _fail(where, f"a number in {self.low:g}..{top:g}", value)
        return float(value)

    def from_text(self, text, where=""):
        try:
            value = float(text)
        except ValueError:
            _fail(where, f"a number in {self.low:g}..{self.high:g}", text)
        return self.check(value, where)


@dataclass(frozen=True)
class Boolean(Shape):
    def check(self, value, where=""):
        if not isinstance(value, bool):
            _fail(where, "true or false", value)
        return value


@dataclass(frozen=True)
class Text(Shape):
    """A string of at most ``max_len`` characters; ``pattern`` (a regex) if given."""

    max_len: int = 4096
    pattern: str | None = None

    def check(self, value, where=""):
        if not isinstance(value, str) or len(value) > self.max_len or \
                (self.pattern and not re.fullmatch(self.pattern, value)):
            kind = f"text matching {self.pattern}" if self.pattern else "text"
            _fail(where, f"{kind} of at most {self.max_len} characters", value)
        return value


@dataclass(frozen=True)
class Blob(Shape):
    max_len: int

    def check(self, value, where=""):
        if not isinstance(value, bytes) or len(value) > self.max_len:
            _fail(where, f"bytes (at most {self.max_len})", type(value).__name__)
        return value


@dataclass(frozen=True)
class Choice(Shape):
    choices: tuple

    def check(self, value, where="", choices=None):
        allowed = self.choices if choices is None else choices
        if not isinstance(value, str) or value not in allowed:
            _fail(where, f"one of {', '.join(allowed)}", value)
        return value


@dataclass(frozen=True)
class CpuList(Shape):
    """A CPU list ("0-2,5"), normalised; "all" when ``allow_all``. Bounds are checked
    before a range is expanded."""

    max_cpu: int
    allow_all: bool = False
    allow_empty: bool = False

    def check(self, value, where=""):
        if (self.allow_all and value == "all") or (self.allow_empty and value == ""):
            return value
        try:
            cpus = parse_cpulist(value, self.max_cpu) if isinstance(value, str) else None
        except ValueError:
            cpus = None
        if not cpus:
            _fail(where, f"a CPU list like 0-3,5 with CPUs 0..{self.max_cpu}"
                         f"{' or all' if self.allow_all else ''}", value)
        return format_cpulist(cpus)


@dataclass(frozen=True)
class Maybe(Shape):
    """``shape`` or None."""

    shape: Shape

    def check(self, value, where=""):
        return None if value is None else self.shape.check(value, where)


@dataclass(frozen=True)
class ListOf(Shape):
    item: Shape
    max_len: int = 100_000

    def check(self, value, where=""):
        if not isinstance(value, list) or len(value) > self.max_len:
            _fail(where, f"a list of at most {self.max_len} items", type(value).__name__)
        return [self.item.check(item, f"{where}[{index}]") for index, item in enumerate(value)]


@dataclass(frozen=True)
class MapOf(Shape):
    """A table with text keys (``key``) and ``value`` values, at most ``max_len`` entries."""

    key: Shape
    value: Shape
    max_len: int = 4096

    def check(self, value, where=""):
        if not isinstance(value, dict) or len(value) > self.max_len:
            _fail(where, f"a table of at most {self.max_len} entries", type(value).__name__)
        out = {}
        for key, item in value.items():
            self.key.check(key, f"{where} key" if where else "key")
            out[key] = self.value.check(item, f"{where}.{key}" if where else key)
        return out


@dataclass(frozen=True)
class Record(Shape):
    """A table with these ``fields`` (name → shape); a Maybe field may be absent. Other keys
    are kept unchecked (a newer peer may send more) unless ``closed``."""

    fields: dict = field(default_factory=dict)
    closed: bool = False

    def check(self, value, where=""):
        if not isinstance(value, dict):
            _fail(where, "a table", type(value).__name__)
        for name, shape in self.fields.items():
            path = f"{where}.{name}" if where else name
            if name not in value and not isinstance(shape, Maybe):
                raise ShapeError(path, "is missing")
            shape.check(value.get(name), path)
        extra = [key for key in value if key not in self.fields]
        if self.closed and extra:
            raise ShapeError(where, f"unknown key(s) {', '.join(map(_show, extra))}")
        return value


@dataclass(frozen=True)
class Anything(Shape):
    """Any value the message layer carries (it bounds size and depth already)."""

    def check(self, value, where=""):
        return value


LABEL_KEY = r"[A-Za-z][A-Za-z0-9_.-]{0,31}"
MAX_LABELS = 16
MAX_LABEL_VALUE = 64


@dataclass(frozen=True)
class Labels(Shape):
    """{key: value} of short strings: keys an identifier, values printable text (they end up
    in terminals and reports)."""

    def check(self, value, where=""):
        if not isinstance(value, dict) or len(value) > MAX_LABELS:
            _fail(where, f"a table of at most {MAX_LABELS} labels", type(value).__name__)
        for key, text in value.items():
            if not (isinstance(key, str) and re.fullmatch(LABEL_KEY, key) and
                    isinstance(text, str) and len(text) <= MAX_LABEL_VALUE and
                    text.isprintable()):
                raise ShapeError(where, f"label {_show(key)}={_show(text)}: keys are a letter, "
                                        "then letters, digits, _.- (max 32); values printable "
                                        f"text (max {MAX_LABEL_VALUE})")
        return dict(value)
