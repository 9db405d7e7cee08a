"""Validation of op arguments sent by the host: typed, range-checked, nothing passed through.

Every value that ends up on a command line of a spawned program comes out of an ``ArgReader``
method, so the host can never inject options or shell syntax.
"""

import re

from rtvirt_agent.protocol.rpc import OpError
from rtvirt_agent.sysinfo.cpulist import format_cpulist, parse_cpulist

MAX_CPU = 4095
_LABEL_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,31}$")
MAX_LABEL_VALUE = 64
MAX_LABELS = 16
REQUIRED = object()


def bad_argument(op, message):
    return OpError("bad-argument", f"{op}: {message}")


class ArgReader:
    """Reads the arguments of one request; rejects unknown names at once."""

    def __init__(self, op, args, allowed):
        self.op = op
        self.args = dict(args or {})
        unknown = sorted(set(self.args) - set(allowed))
        if unknown:
            raise bad_argument(op, f"unknown argument(s) {', '.join(map(str, unknown))}; "
                                   f"allowed: {', '.join(sorted(allowed))}")

    def _value(self, name, default):
        value = self.args.get(name)
        if value is None:
            if default is REQUIRED:
                raise bad_argument(self.op, f"{name} is required")
            return default
        return value

    def integer(self, name, low, high, default=REQUIRED):
        value = self._value(name, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise bad_argument(self.op, f"{name} must be an integer in {low}..{high}, "
                                        f"not {value!r}")
        return value

    def number(self, name, low, high, default=REQUIRED):
        value = self._value(name, default)
        if value is None:
            return None
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if not is_number or not low <= value <= high:
            raise bad_argument(self.op, f"{name} must be a number in {low:g}..{high:g}, "
                                        f"not {value!r}")
        return float(value)

    def boolean(self, name, default=REQUIRED):
        value = self._value(name, default)
        if not isinstance(value, bool):
            raise bad_argument(self.op, f"{name} must be true or false, not {value!r}")
        return value

    def string(self, name, default=REQUIRED):
        value = self._value(name, default)
        if not isinstance(value, str):
            raise bad_argument(self.op, f"{name} must be a string, not {value!r}")
        return value

    def choice(self, name, choices, default=REQUIRED):
        value = self._value(name, default)
        if value not in choices:
            raise bad_argument(self.op, f"{name} must be one of {', '.join(choices)}, "
                                        f"not {value!r}")
        return value

    def cpus(self, name, default=REQUIRED, allow_all=False):
        """A normalised CPU list ("0-2,5"), or "all" when allowed, or None when absent."""
        value = self._value(name, default)
        if value is None or (allow_all and value == "all"):
            return value
        try:
            cpus = parse_cpulist(value) if isinstance(value, str) else None
        except ValueError:
            cpus = None
        if not cpus or cpus[-1] > MAX_CPU:
            raise bad_argument(self.op, f"{name} must be a CPU list like 0-3,5"
                                        f"{' or all' if allow_all else ''}, not {value!r}")
        return format_cpulist(cpus)

    def labels(self, name):
        """{key: value} of short strings: keys an identifier, values printable text (no
        control characters: they end up in terminals and reports)."""
        value = self._value(name, {})
        if not isinstance(value, dict) or len(value) > MAX_LABELS:
            raise bad_argument(self.op, f"{name} must be a table of at most {MAX_LABELS} labels")
        for key, text in value.items():
            if not (isinstance(key, str) and _LABEL_KEY.match(key) and isinstance(text, str)
                    and len(text) <= MAX_LABEL_VALUE and text.isprintable()):
                raise bad_argument(self.op, f"label {key!r}={text!r}: keys are a letter, then "
                                            "letters, digits, _.- (max 32); values printable "
                                            f"text (max {MAX_LABEL_VALUE})")
        return dict(value)
