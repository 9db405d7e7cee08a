"""A helper process of an op (the core, or the container runtime running it).

Spawned with ``os.posix_spawn`` so the progress pipe lands exactly on fd 3 without a
``preexec_fn`` (unsafe in the threaded agent): stdin is /dev/null, stdout and stderr are
collected, and fd 3 is read line by line as it arrives. Nothing inherits the agent's own
stdout, which is the protocol channel under ``--stdio``.
"""

import contextlib
import os
import signal
import threading
import time

PROGRESS_FD = 3
_POLL_S = 0.05


def signal_group(pid, signum):
    """Signal the process group led by ``pid`` (children are spawned as session leaders)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signum)


def _collect(read_fd, chunks):
    with os.fdopen(read_fd, "rb") as stream:
        for block in iter(lambda: stream.read1(65536), b""):
            chunks.append(block)


def _lines(read_fd, on_line):
    with os.fdopen(read_fd, "rb") as stream:
        for line in stream:
            on_line(line.decode("utf-8", "replace").rstrip("\n"))


class Child:
    """One spawned process; ``wait`` honours a cancel event and a deadline."""

    def __init__(self, argv, on_progress_line):
        pipes = [os.pipe() for _ in range(3)]  # stdout, stderr, progress
        actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0)]
        actions += [(os.POSIX_SPAWN_DUP2, write, target)
                    for (_, write), target in zip(pipes, (1, 2, PROGRESS_FD), strict=True)]
        try:
            self.pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions,
                                      setsid=True)
        finally:
            for _, write in pipes:
                os.close(write)
        self.stdout, self.stderr = [], []
        self._readers = [
            threading.Thread(target=_collect, args=(pipes[0][0], self.stdout), daemon=True),
            threading.Thread(target=_collect, args=(pipes[1][0], self.stderr), daemon=True),
            threading.Thread(target=_lines, args=(pipes[2][0], on_progress_line), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        self.exit_status = None

    def kill(self, signum=signal.SIGKILL):
        signal_group(self.pid, signum)

    def _reap(self):
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid:
            self.exit_status = os.waitstatus_to_exitcode(status)
        return pid != 0

    def wait(self, cancelled, interrupt, deadline_s, grace_s=10.0):
        """Wait for the exit; ``interrupt()`` on cancel or past the deadline, SIGKILL after
        ``grace_s`` more. Returns the exit status (negative: killed by that signal)."""
        start = time.monotonic()
        interrupted_at = None
        while not self._reap():
            now = time.monotonic()
            if interrupted_at is None and (cancelled.is_set() or now - start > deadline_s):
                interrupt()
                interrupted_at = now
            elif interrupted_at is not None and now - interrupted_at > grace_s:
                self.kill()
            time.sleep(_POLL_S)
        for reader in self._readers:
            reader.join(timeout=5.0)
        return self.exit_status

    def output(self):
        """(stdout, stderr) as text."""
        return (b"".join(self.stdout).decode("utf-8", "replace"),
                b"".join(self.stderr).decode("utf-8", "replace"))
