"""Reading an op's arguments through its description (rtvirt_agent.wire.opspec).

Every value that ends up on a command line of a spawned program comes out of ``ArgReader.get``,
checked against the op's one description and, where agent.toml says so, a narrower limit, so
the host can never inject options or shell syntax. A malformed request of any kind (unknown
or non-text names, wrong types, out-of-range values) is a ``bad-argument`` reply.
"""

from rtvirt_agent.protocol.rpc import OpError
from rtvirt_agent.wire.opspec import OPS, REQUIRED
from rtvirt_agent.wire.shapes import ShapeError


def bad_argument(op, message):
    return OpError("bad-argument", f"{op}: {message}")


class ArgReader:
    """Reads the arguments of one request of ``op`` (described by ``spec``, by default the
    op's own); rejects unknown names at once."""

    def __init__(self, op, args, spec=None):
        self.op = op
        self.spec = OPS[op].args if spec is None else spec
        if not isinstance(args, dict | None):
            raise bad_argument(op, "arguments must be a table")
        self.args = dict(args or {})
        names = [name for name in self.args if not isinstance(name, str)]
        if names:
            raise bad_argument(op, f"argument names must be text, not {names[0]!r}")
        unknown = sorted(set(self.args) - set(self.spec))
        if unknown:
            raise bad_argument(op, f"unknown argument(s) {', '.join(unknown)}; "
                                   f"allowed: {', '.join(sorted(self.spec))}")

    def get(self, name, **narrower):
        """The checked value of ``name`` (its default when absent or None); ``narrower`` are
        the agent's own tighter limits (``high=``, ``choices=``)."""
        arg = self.spec[name]
        value = self.args.get(name)
        if value is None:
            if arg.default is REQUIRED:
                raise bad_argument(self.op, f"{name} is required")
            return arg.default
        try:
            return arg.shape.check(value, name, **narrower)
        except ShapeError as error:
            raise bad_argument(self.op, str(error)) from None
