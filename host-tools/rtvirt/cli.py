"""``rtvirt`` entry point: builds the parser from the command modules and maps errors to exit codes.

Each module in ``rtvirt.commands`` is one subcommand (the kas way): it defines ``NAME``,
``HELP``, ``setup_parser(parser)`` and ``run(args) -> int``. Only ``main()`` turns exceptions
into exit codes: an ``RtvirtError`` prints its message and exits with its ``exit_code``;
anything else is a bug and keeps its traceback (exit 1).
"""

import argparse
import contextlib
import importlib
import os
import pkgutil
import sys

from rtvirt_agent.protocol.rpc import CALL_DEADLINE
from rtvirt_agent.wire.errors import RtvirtError
from rtvirt_agent.wire.shapes import Number

from rtvirt import __version__, commands
from rtvirt.flags import shape_value
from rtvirt.terminal import printable

SECONDS = Number(0.001, 1e6)


def command_modules():
    """Every subcommand module, in name order."""
    names = sorted(m.name for m in pkgutil.iter_modules(commands.__path__))
    return [importlib.import_module(f"rtvirt.commands.{name}") for name in names]


def build_parser():
    parser = argparse.ArgumentParser(
        prog="rtvirt", description="Real-time latency qualification for PREEMPT_RT Linux.")
    parser.add_argument("--version", action="version", version=f"rtvirt {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also show a local agent's INFO log lines (exec: and local targets)")
    parser.add_argument("--target", default=os.environ.get("RTVIRT_TARGET"),
                        help="target URI: serial:DEV?baud=N, exec:COMMAND, ivshmem:PATH, "
                             "lab:BOARD (default: $RTVIRT_TARGET)")
    parser.add_argument("--deadline", type=shape_value("seconds", SECONDS), default=CALL_DEADLINE,
                        metavar="S",
                        help=f"give up on a call the agent has not answered after S seconds "
                             f"(default {CALL_DEADLINE:g}; measure: its length plus S)")
    parser.add_argument("--db", default=os.environ.get("RTVIRT_DB"),
                        help="result store (SQLite; default: in the user's data directory)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in command_modules():
        # A command that needs -h for itself (measure: cyclictest's histogram) sets ADD_HELP.
        sub_parser = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP,
                                    add_help=getattr(module, "ADD_HELP", True))
        module.setup_parser(sub_parser)
        sub_parser.set_defaults(run=module.run)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    with agent_log_level("INFO" if args.verbose else "WARNING"):
        try:
            return args.run(args)
        except RtvirtError as err:
            print(f"rtvirt: {printable(err)}", file=sys.stderr)
            return err.exit_code
        except KeyboardInterrupt:
            print("rtvirt: interrupted", file=sys.stderr)
            return 130


@contextlib.contextmanager
def agent_log_level(level):
    """$RTVIRT_AGENT_LOG_LEVEL for the agents this command starts (exec: and local targets;
    rtvirt_agent.main.log_level) unless the user set it; restored afterwards."""
    before = os.environ.get("RTVIRT_AGENT_LOG_LEVEL")
    os.environ["RTVIRT_AGENT_LOG_LEVEL"] = before or level
    try:
        yield
    finally:
        if before is None:
            del os.environ["RTVIRT_AGENT_LOG_LEVEL"]


if __name__ == "__main__":
    sys.exit(main())
