"""``exec:COMMAND LINE`` — spawn a process and talk to the agent on its stdin/stdout.

For a local agent in tests and demos (``exec:rtvirt-agent --stdio``) or a remote one through
another channel (``exec:ssh board rtvirt-agent --stdio``). The command line comes from the
user on the host, never from the target. The agent's stderr (its log) goes to ours.
"""

import os
import shlex
import subprocess

from rtvirt_agent.streams import FdStream
from rtvirt_agent.wire.errors import UsageError


class ExecStream(FdStream):
    """An ``FdStream`` over a child's pipes that ends the child when closed."""

    def __init__(self, argv):
        try:
            # its own process group: Ctrl-C in the terminal signals rtvirt's group only, so
            # the agent (or ssh) lives on while rtvirt cancels the run and fetches its result
            self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            process_group=0)
        except OSError as err:
            raise UsageError(f"cannot start {argv[0]!r} for the exec: target: {err.strerror}") \
                from err
        # The stream owns the pipes' descriptors from here on.
        super().__init__(os.dup(self.process.stdout.fileno()),
                         os.dup(self.process.stdin.fileno()))
        self.process.stdout.close()
        self.process.stdin.close()

    def close(self):
        super().close()  # closes the pipes' descriptors; the agent sees EOF and exits
        try:
            self.process.wait(timeout=2)
            return
        except subprocess.TimeoutExpired:
            self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def open_stream(rest):
    try:
        argv = shlex.split(rest)
    except ValueError as err:
        raise UsageError(f"bad exec: target {rest!r}: {err} (quote as in a shell)") from err
    if not argv:
        raise UsageError("exec: target needs a command line, e.g. exec:rtvirt-agent --stdio")
    return ExecStream(argv)
