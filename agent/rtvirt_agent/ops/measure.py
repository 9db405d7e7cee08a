"""MEASURE: run the core ``rtvirt-measure``, stream its progress, store its result.

The core's command line is built here from validated arguments only. Cancel sends SIGINT to
the core, which stops, still writes its result, and the result is stored and returned.
"""

import functools
import logging
import math
import os
import re
import signal

from rtvirt_agent.protocol.rpc import OpError
from rtvirt_agent.runner import container
from rtvirt_agent.runner.child import PROGRESS_FD, Child, find_program
from rtvirt_agent.runner.progress_relay import ProgressRelay
from rtvirt_agent.sysinfo.fs import SysRoot
from rtvirt_agent.sysinfo.identity import identity_labels
from rtvirt_agent.wire.cpulist import format_cpulist, parse_cpulist
from rtvirt_agent.wire.errors import ResultFormatError
from rtvirt_agent.wire.result import parse_result

from .args import ArgReader, bad_argument

_DEADLINE_SLACK_S = 60.0
# the core's printout travels with the reply; a 1 s histogram range would be ~1M lines, and
# the result record holds the same numbers anyway
MAX_TEXT = 64 * 1024
PROGRESS_INTERVAL_MS = 500  # 2 snapshots/s: a live view without crowding a 115200 baud line
_EXIT_CODES = {2: "bad-argument", 3: "rt-setup-failed"}
HISTOGRAM_ROW = re.compile(r"^\d{6} ")


def reply_text(stdout, mode):
    """The core's printout for the reply: "full", or "summary" without the histogram rows
    (one line per µs class; the record carries the same counts), cut at MAX_TEXT."""
    if mode == "summary":
        stdout = "".join(line for line in stdout.splitlines(keepends=True)
                         if not HISTOGRAM_ROW.match(line))
    text = stdout if len(stdout) <= MAX_TEXT else stdout[:stdout.rfind("\n", 0, MAX_TEXT) + 1]
    return text, len(text) < len(stdout)
log = logging.getLogger(__name__)


def find_core(config):
    """The path of rtvirt-measure (agent.toml "core", else PATH), or None."""
    return find_program(config.core or "rtvirt-measure")


def core_arguments(config, reader, identity=None):
    """(core flags, labels, run-time bound in s) from the request's validated arguments."""
    flags = []
    affinity = reader.get("affinity")   # "all": cyclictest's bare -a
    threads = reader.get("threads", high=config.max_threads)  # 0: cyclictest's bare -t
    if affinity is not None:
        flags.append(f"--affinity={affinity}")
    if threads is not None:
        flags.append(f"--threads={threads}" if threads else "--threads")
    if reader.get("smp"):
        flags.append("-S")
    flags += ["-p", str(reader.get("priority"))]
    if reader.get("priospread"):
        flags.append("--priospread")
    interval_us = reader.get("interval_us")
    flags += ["-i", str(interval_us)]
    distance_us = reader.get("distance_us")
    if distance_us is not None:  # absent: the core's default (500, or 0 with -S / -h)
        flags += ["-d", str(distance_us)]
    loops = reader.get("loops")
    duration_s = reader.get("duration_s", high=config.max_duration_s)
    if loops is not None:
        if loops * interval_us / 1e6 > config.max_duration_s:
            raise bad_argument("measure", f"{loops} loops of {interval_us} us exceed "
                                          f"limits.max_duration_s ({config.max_duration_s:g} s)")
        flags += ["-l", str(loops)]
    bound_s = math.ceil(duration_s or config.max_duration_s)
    flags += ["-D", str(bound_s)]
    histogram_us = reader.get("histogram_us")
    if histogram_us is not None:
        flags += ["-h", str(histogram_us)]
    break_us = reader.get("break_us")
    if break_us is not None:
        flags += ["-b", str(break_us)]
    if reader.get("mlock"):
        flags.append("-m")
    labels = {**reader.get("labels"), **(identity or {})}  # what the board knows of itself wins
    flags += [f"--label={key}={value}" for key, value in sorted(labels.items())]
    flags += ["-q", f"--progress-fd={PROGRESS_FD}", f"--progress-interval={PROGRESS_INTERVAL_MS}"]
    return flags, labels, bound_s


def _require_core(config):
    core = find_core(config)
    if core is None:
        raise OpError("core-not-installed",
                      "rtvirt-measure is not installed on the target: build it with "
                      "'make -C agent/core' and install it on PATH (Yocto: the rtvirt-measure "
                      "recipe), or set core = PATH in agent.toml")
    return core


def _run(agent, ctx, core, flags, bound_s, use_container, work_dir):
    """Run the core (natively or in a container) writing work_dir/RESULT_NAME;
    returns (exit status, stdout, stderr)."""
    relay = ProgressRelay(ctx.emit)
    if use_container:
        run = container.ContainerRun(agent.config, core, work_dir)
        argv = run.argv(flags)
    else:
        run = None
        # the core stops (and writes its result) if this agent dies: kill -9, OOM killer
        argv = [core, *flags, f"--parent-pid={os.getpid()}",
                f"--result={os.path.join(work_dir, container.RESULT_NAME)}"]
    log.info("measure: %s", " ".join(argv))
    child = Child(argv, relay.line)
    interrupt = run.interrupt if run else functools.partial(child.kill, signal.SIGINT)
    try:
        status = child.wait(ctx.cancelled, interrupt, bound_s + _DEADLINE_SLACK_S)
    finally:
        if run is not None:
            run.cleanup()
    stdout, stderr = child.output()
    return status, stdout, stderr


def check_online(sysroot, affinity):
    """bad-argument when ``affinity`` names a CPU this target does not have online."""
    online = sysroot.read("/sys/devices/system/cpu/online")
    if affinity in (None, "all") or not online:
        return
    missing = sorted(set(parse_cpulist(affinity)) - set(parse_cpulist(online)))
    if missing:
        raise bad_argument("measure", f"affinity: CPU(s) {format_cpulist(missing)} not online "
                                      f"on this target (online: {online})")


def measure(agent, args, ctx):
    reader = ArgReader("measure", args)
    sysroot = SysRoot(agent.sysroot)
    check_online(sysroot, reader.get("affinity"))
    flags, labels, bound_s = core_arguments(agent.config, reader, identity_labels(sysroot))
    if not reader.get("pm_qos"):
        flags.append("--no-pm-qos")
    use_container = reader.get("container")
    text_mode = reader.get("text")
    if reader.get("stream"):
        if not agent.ivshmem or use_container:
            raise OpError("not-supported", "streaming samples needs the agent on an ivshmem "
                                           "region (rtvirt-agent --ivshmem DEV), natively")
        flags.append(f"--ivshmem={agent.ivshmem}")
        slots = reader.get("stream_slots")
        if slots is not None:
            flags.append(f"--ivshmem-slots={slots}")
    core = _require_core(agent.config)
    if ctx.cancelled.is_set():
        raise OpError("cancelled", "measure was cancelled before the core started")
    with agent.store.work_dir(f"measure-{ctx.req_id}") as work:
        status, stdout, stderr = _run(agent, ctx, core, flags, bound_s, use_container, work)
        try:
            with open(os.path.join(work, container.RESULT_NAME), "rb") as result_file:
                data = result_file.read()
        except FileNotFoundError:
            code = _EXIT_CODES.get(status, "measure-failed")
            raise OpError(code, f"rtvirt-measure exited with status {status} without a "
                                f"result: {stderr.strip()[-1500:] or 'no message'}") from None
    try:
        parse_result(data)
    except ResultFormatError as error:
        raise OpError("measure-failed", f"rtvirt-measure (status {status}) left a damaged "
                                        f"result: {error}") from None
    result_id = agent.store.put(data, labels)
    log.info("measure: status %s, result %s (%d bytes)", status, result_id, len(data))
    text, truncated = reply_text(stdout, text_mode)
    return {"result_id": result_id, "size": len(data), "exit_status": status, "text": text,
            "text_truncated": truncated}


def handlers(agent):
    return {"measure": lambda args, ctx: measure(agent, args, ctx)}
