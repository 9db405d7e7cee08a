"""The helper processes of ops: the core, the container runtime, stress-ng.

All are spawned with ``os.posix_spawn`` so the progress pipe lands exactly on fd 3 without a
``preexec_fn`` (unsafe in the threaded agent): stdin is /dev/null, stdout and stderr are
collected, fd 3 is read line by line as it arrives, and each child leads its own session so
its whole process group can be signalled. Nothing inherits the agent's own stdout, which is
the protocol channel under ``--stdio``. (No subprocess or shutil: the agent's memory budget
is small and they pull in more than they give here.)
"""

import contextlib
import os
import signal
import threading
import time

PROGRESS_FD = 3
_POLL_S = 0.05


def find_program(name):
    """The path of executable ``name`` (a path, or a name looked up on PATH), or None."""
    if os.sep in name:
        return name if os.access(name, os.X_OK) and not os.path.isdir(name) else None
    for directory in os.environ.get("PATH", os.defpath).split(os.pathsep):
        candidate = os.path.join(directory or ".", name)
        if os.access(candidate, os.X_OK) and not os.path.isdir(candidate):
            return candidate
    return None


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
    """One spawned process; ``wait`` honours a stop event and a deadline."""

    def __init__(self, argv, on_progress_line=None):
        self.argv = list(argv)
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
        on_line = on_progress_line or (lambda line: None)
        self._readers = [
            threading.Thread(target=_collect, args=(pipes[0][0], self.stdout), daemon=True),
            threading.Thread(target=_collect, args=(pipes[1][0], self.stderr), daemon=True),
            threading.Thread(target=_lines, args=(pipes[2][0], on_line), daemon=True),
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

    def wait(self, stop, interrupt, deadline_s, grace_s=10.0):
        """Wait for the exit; ``interrupt()`` once ``stop`` is set or past the deadline, SIGKILL
        ``grace_s`` later. Returns the exit status (negative: killed by that signal)."""
        start = time.monotonic()
        interrupted_at = None
        while not self._reap():
            now = time.monotonic()
            if interrupted_at is None and (stop.is_set() or now - start > deadline_s):
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


def run_briefly(argv, timeout_s=30.0):
    """Run a short helper command to its end (killed after ``timeout_s``); its exit status."""
    child = Child(argv)
    return child.wait(threading.Event(), child.kill, timeout_s, grace_s=0.0)
