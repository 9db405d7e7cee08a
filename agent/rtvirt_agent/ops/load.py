"""LOAD: named stress-ng profiles pinned to CPUs, running in the background.

A load stops at its duration (stress-ng --timeout, with a kill as backstop), on "load.stop",
on cancel of its request when it was started with "wait": true, and when the agent exits.
Only the profile table below decides what stress-ng is asked to do.
"""

import math
import os
import shutil
import signal
import subprocess
import threading
from dataclasses import dataclass, field

from rtvirt_agent.protocol.rpc import OpError
from rtvirt_agent.sysinfo.cpulist import parse_cpulist

from .args import ArgReader, bad_argument
from .child import signal_group

PROFILES = {
    # the seed's LLC stress: malloc workers thrashing more memory than the last-level cache
    "llc-stress": lambda workers: ["--malloc", str(workers), "--malloc-bytes", "64M"],
    "cpu": lambda workers: ["--cpu", str(workers)],
    "memory": lambda workers: ["--vm", str(workers), "--vm-bytes", "128M"],
    "cache": lambda workers: ["--cache", str(workers)],
}
_OVERRUN_S = 10.0
_STOP_GRACE_S = 5.0
_KEEP_FINISHED = 64


@dataclass
class RunningLoad:
    load_id: int
    profile: str
    process: subprocess.Popen
    finished: threading.Event = field(default_factory=threading.Event)
    stderr: str = ""

    def stop(self):
        """SIGINT to stress-ng and its workers; SIGKILL if they outlive the grace period."""
        if not self.finished.is_set():
            signal_group(self.process.pid, signal.SIGINT)
            if not self.finished.wait(_STOP_GRACE_S):
                signal_group(self.process.pid, signal.SIGKILL)
                self.finished.wait()
        return {"load_id": self.load_id, "profile": self.profile,
                "exit_status": self.process.returncode, "stderr": self.stderr[-2000:]}


class LoadManager:
    """The loads of this agent process, by id."""

    def __init__(self):
        self._lock = threading.Lock()
        self._loads = {}
        self._next_id = 1

    def start(self, argv, profile, duration_s):
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, start_new_session=True, text=True)
        with self._lock:
            load = RunningLoad(self._next_id, profile, process)
            self._next_id += 1
            finished = [key for key, old in self._loads.items() if old.finished.is_set()]
            for key in finished[:-_KEEP_FINISHED or None]:
                del self._loads[key]
            self._loads[load.load_id] = load
        threading.Thread(target=self._watch, args=(load, duration_s + _OVERRUN_S),
                         name=f"load-{load.load_id}", daemon=True).start()
        return load

    @staticmethod
    def _watch(load, limit_s):
        try:
            _, load.stderr = load.process.communicate(timeout=limit_s)
        except subprocess.TimeoutExpired:
            signal_group(load.process.pid, signal.SIGKILL)
            _, load.stderr = load.process.communicate()
        load.finished.set()

    def get(self, load_id):
        with self._lock:
            return self._loads.get(load_id)

    def stop_all(self):
        with self._lock:
            loads = list(self._loads.values())
        for load in loads:
            load.stop()


def find_stress_ng(config):
    path = config.stress_ng or shutil.which("stress-ng")
    if not path or not os.access(path, os.X_OK):
        raise OpError("stress-ng-not-installed",
                      "stress-ng is not installed on the target: install it (Debian: apt-get "
                      "install stress-ng; Yocto: rtvirt-image-dev) or set load.stress_ng in "
                      "agent.toml")
    return path


def load_argv(config, reader):
    """(stress-ng argv, profile, duration) from validated arguments."""
    profile = reader.choice("profile", config.load_profiles)
    cpus = reader.cpus("cpus")
    duration_s = reader.number("duration_s", 1, config.max_load_duration_s)
    usable = os.sched_getaffinity(0)
    missing = [cpu for cpu in parse_cpulist(cpus) if cpu not in usable]
    if missing:
        raise bad_argument("load", f"CPU(s) {missing} are not online or not usable by the agent")
    workers = reader.integer("workers", 1, 1024, len(parse_cpulist(cpus)))
    argv = [find_stress_ng(config), *PROFILES[profile](workers), "--taskset", cpus,
            "--timeout", f"{math.ceil(duration_s)}s"]
    return argv, profile, duration_s


def handlers(agent):
    def load(args, ctx):
        reader = ArgReader("load", args, ("profile", "cpus", "duration_s", "workers", "wait"))
        argv, profile, duration_s = load_argv(agent.config, reader)
        wait = reader.boolean("wait", False)
        running = agent.loads.start(argv, profile, duration_s)
        if not wait:
            return {"load_id": running.load_id}
        ctx.emit({"load_id": running.load_id})
        while not running.finished.wait(0.2):
            if ctx.cancelled.is_set():
                break
        return running.stop()

    def load_stop(args, ctx):
        load_id = ArgReader("load.stop", args, ("load_id",)).integer("load_id", 1, 2**31)
        running = agent.loads.get(load_id)
        if running is None:
            raise OpError("not-found", f"no load {load_id} on this agent")
        return running.stop()

    return {"load": load, "load.stop": load_stop}
