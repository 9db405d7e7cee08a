"""Command-line flags that carry op arguments, checked against the op's one description.

``op_value`` makes an argparse ``type`` from ``rtvirt_agent.wire.opspec``, so a value beyond
its range is a usage error (exit 2) naming the flag while the command line is parsed, before
any target is contacted. ``usage_error`` turns the agent's ``bad-argument`` about an argument
that came from a flag (a limit only the target knows: its CPUs, its agent.toml) into the
same usage error, naming the flag rather than the op's argument.
"""

import argparse
import re

from rtvirt_agent.wire.errors import UsageError
from rtvirt_agent.wire.opspec import OPS
from rtvirt_agent.wire.shapes import Labels, ShapeError


def op_value(op, name, parse=None):
    """An argparse ``type`` for a flag carrying ``op``'s argument ``name``; ``parse`` reads
    the text when the flag has a syntax of its own (e.g. -D 10m)."""
    shape = OPS[op].args[name].shape
    return _argparse_type(name, lambda text: shape.check(parse(text)) if parse
                          else shape.from_text(text))


def shape_value(name, shape):
    """An argparse ``type`` for a flag of the host's own whose value has ``shape``."""
    return _argparse_type(name, shape.from_text)


def _argparse_type(name, read):
    def convert(text):
        try:
            return read(text)
        except ShapeError as error:
            raise argparse.ArgumentTypeError(error.message) from None

    convert.__name__ = name
    return convert


class LabelsAction(argparse.Action):
    """--label KEY=VALUE, repeatable: the labels so far must have the op's label shape."""

    def __call__(self, parser, namespace, values, option_string=None):
        labels = dict(getattr(namespace, self.dest) or {})
        key, sep, value = values.partition("=")
        if not sep or not key:
            raise argparse.ArgumentError(self, f"bad label {values!r}: use KEY=VALUE")
        labels[key] = value
        try:
            Labels().check(labels)
        except ShapeError as error:
            raise argparse.ArgumentError(self, error.message) from None
        setattr(namespace, self.dest, labels)


def usage_error(error, flags):
    """A UsageError naming the flag of the argument the agent's ``bad-argument`` names
    (``flags``: {argument: flag}); None when it names none of them."""
    match = re.match(r"[\w.]+: (\w+)\b", error.message or "")
    if error.code != "bad-argument" or not match or match.group(1) not in flags:
        return None
    return UsageError(f"{flags[match.group(1)]}: the target refused it: {error.message}")
