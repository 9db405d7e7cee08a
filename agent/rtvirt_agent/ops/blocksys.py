"""BLOCKSYS: provoke a latency of a precise size on chosen CPUs through /dev/blocksys.

Refused unless agent.toml enables it: it stalls CPUs with interrupts off on purpose. One
``write()`` of "<N>us cpus=<list>|all" blocks until done; the device's key=value statistics
then say how long the block really took (docs/blocksys.md).
"""

import errno
import os
import time

from rtvirt_agent.protocol.rpc import OpError

from .args import ArgReader

_ERRNO_CODES = {
    errno.ENOENT: ("blocksys-not-loaded", "load the module: modprobe blocksys"),
    errno.ENODEV: ("blocksys-not-loaded", "load the module: modprobe blocksys"),
    errno.ENXIO: ("blocksys-not-loaded", "load the module: modprobe blocksys"),
    errno.EINVAL: ("bad-argument", "malformed command or an offline CPU"),
    errno.ERANGE: ("bad-argument", "duration above the module's max_us parameter"),
    errno.EBUSY: ("busy", "another block is running"),
    errno.EPERM: ("permission-denied", "the agent needs CAP_SYS_ADMIN"),
    errno.EACCES: ("permission-denied", "the agent cannot open the device"),
}


def parse_stats(text):
    """The device's "key=value" lines as a dict; decimal values become ints."""
    stats = {}
    for line in text.splitlines():
        key, equals, value = line.partition("=")
        if equals:
            stats[key.strip()] = int(value) if value.strip().isdigit() else value.strip()
    return stats


class BlocksysDevice:
    """/dev/blocksys (or the configured path)."""

    def __init__(self, path):
        self.path = path

    def block(self, command):
        """Write one command (blocks until done) and return the statistics that follow."""
        try:
            fd = os.open(self.path, os.O_WRONLY)
            try:
                os.write(fd, command.encode())
            finally:
                os.close(fd)
            with open(self.path) as device:
                return parse_stats(device.read())
        except OSError as error:
            code, hint = _ERRNO_CODES.get(error.errno, ("blocksys-failed", "see the kernel log"))
            raise OpError(code, f"{self.path}: {command!r}: {error.strerror} ({hint})") from None


def blocksys(agent, args, ctx):
    config = agent.config
    reader = ArgReader("blocksys", args)
    duration_us = reader.get("duration_us", high=config.max_blocksys_us)
    cpus = reader.get("cpus")
    repeat = reader.get("repeat")
    period_s = reader.get("period_ms") / 1000
    if not config.blocksys_enabled:
        raise OpError("blocksys-disabled", "BLOCKSYS is disabled on this target: set "
                                           "[blocksys] enabled = true in agent.toml")
    device = agent.blocksys_device(config.blocksys_device)
    command = f"{duration_us}us cpus={cpus}"
    actuals, stats = [], {}
    next_start = time.monotonic()
    for index in range(repeat):
        if ctx.cancelled.wait(max(0.0, next_start - time.monotonic())):
            break
        next_start += period_s
        stats = device.block(command)
        actuals.append(stats.get("last_actual_ns"))
        if repeat > 1:
            ctx.emit({"index": index, "actual_ns": actuals[-1]})
    return {"requested_ns": stats.get("last_requested_ns", duration_us * 1000),
            "actual_ns": stats.get("last_actual_ns"),
            "actual_max_ns": max((ns for ns in actuals if ns is not None), default=None),
            "count": len(actuals), "cancelled": ctx.cancelled.is_set()}


def handlers(agent):
    return {"blocksys": lambda args, ctx: blocksys(agent, args, ctx)}
