"""``rtvirt-agent``: answer the rtvirt host over a serial port or stdin/stdout.

Logs go to stderr (the journal under systemd), never onto the protocol channel: with
``--stdio`` the channel is a private copy of fd 1, and fd 1 itself is pointed at stderr so
that nothing else (a stray print, a child process) can write into the protocol.
"""

import argparse
import logging
import os
import signal
import sys

from rtvirt_agent import __version__
from rtvirt_agent.config import DEFAULT_PATH, load_config
from rtvirt_agent.ivshmem.target import TargetStream
from rtvirt_agent.ops import Agent, build_handlers
from rtvirt_agent.protocol.rpc import Server
from rtvirt_agent.streams import FdStream, SerialStream
from rtvirt_agent.wire.errors import RtvirtError, UsageError

log = logging.getLogger("rtvirt-agent")


def build_parser():
    parser = argparse.ArgumentParser(prog="rtvirt-agent", description=__doc__.splitlines()[0])
    channel = parser.add_mutually_exclusive_group(required=True)
    channel.add_argument("--serial", metavar="DEV", help="serial port, e.g. /dev/ttyS1")
    channel.add_argument("--stdio", action="store_true",
                         help="talk over stdin/stdout (e.g. ssh board rtvirt-agent --stdio)")
    channel.add_argument("--ivshmem", metavar="DEV",
                         help="talk through an ivshmem region (PCI BAR resource file, "
                              "docs/ivshmem.md); measure can stream samples into it")
    parser.add_argument("--baud", type=int, default=115200, help="serial baud rate (115200)")
    parser.add_argument("--config", metavar="PATH",
                        help=f"agent configuration (default {DEFAULT_PATH}, optional there)")
    parser.add_argument("--results-dir", metavar="DIR", help="override results_dir")
    parser.add_argument("--idle-exit", metavar="SECONDS", type=positive_seconds,
                        help="exit once no op runs and the host said goodbye or was silent "
                             "this long (an agent started on demand, e.g. on a shared console)")
    parser.add_argument("--version", action="version", version=f"rtvirt-agent {__version__}")
    return parser


def positive_seconds(text):
    """A number of seconds > 0 (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 1e6:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds > 0")
    return value


def open_channel(args):
    """The protocol stream; with --stdio, fd 1 is redirected to stderr first."""
    if args.serial:
        return SerialStream(args.serial, args.baud)
    if args.ivshmem:
        return TargetStream(args.ivshmem)
    channel_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return FdStream(0, channel_fd)


def _stop_on_sigterm():
    """SIGTERM (systemctl stop) unwinds like an EOF, so running loads are stopped."""
    def handler(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, handler)


def _prepare_results_dir(path):
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"results directory {path}: {error.strerror}: run as root or give "
                         "--results-dir (or results_dir in agent.toml)") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise UsageError(f"results directory {path} is not writable for this user: give "
                         "--results-dir (or results_dir in agent.toml)")


def serve(args):
    config = load_config(args.config)
    if args.results_dir:
        config = config.with_results_dir(args.results_dir)
    _prepare_results_dir(config.results_dir)
    agent = Agent(config, ivshmem=args.ivshmem)
    for name in agent.store.remove_leftovers():
        log.info("removed %s, left behind by an agent that died", name)
    handlers, hello = build_handlers(agent)
    stream = open_channel(args)
    log.info("rtvirt-agent %s serving on %s, results in %s", __version__,
             args.serial or args.ivshmem or "stdio", config.results_dir)
    try:
        Server(stream, handlers, hello=hello).serve_forever(idle_exit=args.idle_exit)
    finally:
        agent.loads.stop_all()
        stream.close()
    log.info("channel closed, exiting")


def log_level():
    """$RTVIRT_AGENT_LOG_LEVEL (DEBUG, INFO, WARNING, ERROR), INFO when unset or unknown: the
    host's exec: transport sets WARNING so a local agent's INFO lines stay out of a command's
    stderr unless ``rtvirt -v``."""
    name = os.environ.get("RTVIRT_AGENT_LOG_LEVEL", "INFO").upper()
    return name if name in ("DEBUG", "INFO", "WARNING", "ERROR") else "INFO"


def main(argv=None):
    args = build_parser().parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=log_level(),
                        format="rtvirt-agent: %(levelname)s: %(message)s")
    _stop_on_sigterm()
    try:
        serve(args)
    except RtvirtError as error:
        log.error("%s", error)
        return error.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
