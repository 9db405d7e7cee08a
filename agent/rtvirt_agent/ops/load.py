"""LOAD: named stress-ng profiles pinned to CPUs, running in the background.

A load stops at its duration (stress-ng --timeout, with SIGINT and SIGKILL as backstops), on
"load.stop", on cancel of its request when it was started with "wait": true, and when the
agent exits.
Only the profile table below decides what stress-ng is asked to do.
"""

import functools
import logging
import math
import os
import signal
import threading
from dataclasses import dataclass, field

from rtvirt_agent.protocol.rpc import OpError
from rtvirt_agent.runner.child import Child, find_program
from rtvirt_agent.wire.cpulist import parse_cpulist

from .args import ArgReader, bad_argument

PROFILES = {
    # the seed's LLC stress: malloc workers allocating and freeing up to 32 blocks of 512 KiB
    # each, a working set around the size of a last-level cache
    "llc-stress": lambda workers: ["--malloc", str(workers), "--malloc-bytes", "512k",
                                   "--malloc-max", "32"],
    "cpu": lambda workers: ["--cpu", str(workers)],
    "memory": lambda workers: ["--vm", str(workers), "--vm-bytes", "128M"],
    "cache": lambda workers: ["--cache", str(workers)],
}
_OVERRUN_S = 10.0
_STOP_GRACE_S = 5.0
_KEEP_FINISHED = 64
log = logging.getLogger(__name__)


@dataclass
class RunningLoad:
    load_id: int
    profile: str
    child: Child
    stop_requested: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)

    def watch(self, limit_s):
        """Until stress-ng ends: SIGINT to its group on stop or past ``limit_s``, SIGKILL
        after the grace period."""
        interrupt = functools.partial(self.child.kill, signal.SIGINT)
        self.child.wait(self.stop_requested, interrupt, limit_s, grace_s=_STOP_GRACE_S)
        self.finished.set()

    def stop(self):
        self.stop_requested.set()
        self.finished.wait()
        return {"load_id": self.load_id, "profile": self.profile,
                "exit_status": self.child.exit_status, "stderr": self.child.output()[1][-2000:]}


class LoadManager:
    """The loads of this agent process, by id."""

    def __init__(self):
        self._lock = threading.Lock()
        self._loads = {}
        self._next_id = 1

    def start(self, argv, profile, duration_s):
        child = Child(argv)
        with self._lock:
            load = RunningLoad(self._next_id, profile, child)
            self._next_id += 1
            finished = [key for key, old in self._loads.items() if old.finished.is_set()]
            for key in finished[:-_KEEP_FINISHED or None]:
                del self._loads[key]
            self._loads[load.load_id] = load
        log.info("load %d: %s", load.load_id, " ".join(argv))
        threading.Thread(target=load.watch, args=(duration_s + _OVERRUN_S,),
                         name=f"load-{load.load_id}", daemon=True).start()
        return load

    def get(self, load_id):
        with self._lock:
            return self._loads.get(load_id)

    def stop_all(self):
        with self._lock:
            loads = list(self._loads.values())
        for load in loads:
            load.stop()


def find_stress_ng(config):
    path = find_program(config.stress_ng or "stress-ng")
    if path is None:
        raise OpError("stress-ng-not-installed",
                      "stress-ng is not installed on the target: install it (Debian: apt-get "
                      "install stress-ng; Yocto: rtvirt-image-dev) or set load.stress_ng in "
                      "agent.toml")
    return path


def load_argv(config, reader):
    """(stress-ng argv, profile, duration) from validated arguments."""
    profile = reader.get("profile", choices=config.load_profiles)
    cpus = reader.get("cpus")
    duration_s = reader.get("duration_s", high=config.max_load_duration_s)
    usable = os.sched_getaffinity(0)
    missing = [cpu for cpu in parse_cpulist(cpus) if cpu not in usable]
    if missing:
        raise bad_argument("load", f"CPU(s) {missing} are not online or not usable by the agent")
    workers = reader.get("workers") or len(parse_cpulist(cpus))
    argv = [find_stress_ng(config), *PROFILES[profile](workers), "--taskset", cpus,
            "--timeout", f"{math.ceil(duration_s)}s"]
    return argv, profile, duration_s


def handlers(agent):
    def load(args, ctx):
        reader = ArgReader("load", args)
        argv, profile, duration_s = load_argv(agent.config, reader)
        wait = reader.get("wait")
        running = agent.loads.start(argv, profile, duration_s)
        if not wait:
            return {"load_id": running.load_id}
        ctx.emit({"load_id": running.load_id})
        while not running.finished.wait(0.2):
            if ctx.cancelled.is_set():
                break
        return running.stop()

    def load_stop(args, ctx):
        load_id = ArgReader("load.stop", args).get("load_id")
        running = agent.loads.get(load_id)
        if running is None:
            raise OpError("not-found", f"no load {load_id} on this agent")
        return running.stop()

    return {"load": load, "load.stop": load_stop}
