"""``ivshmem:PATH[?stale=S&wait=S]`` — the agent behind a shared-memory region.

PATH is the host side of the region: the /dev/shm file backing QEMU's ivshmem-plain, or in
a Jailhouse root cell the PCI resource file (or uio map) of the ivshmem device. The agent on
the other side runs ``rtvirt-agent --ivshmem DEV``. ``wait`` is how long to wait for an agent
to initialise a still empty region (default 30 s); ``stale`` how long its heartbeat may stand
still before the target counts as stopped (default 5 s). The protocol's frames travel
through the region's mailboxes; docs/ivshmem.md describes the region.
"""

import time
from urllib.parse import parse_qs

from rtvirt_agent.errors import Unreachable, UsageError
from rtvirt_agent.ivshmem.mailbox import ShmStream
from rtvirt_agent.ivshmem.region import Region, check_header, magic_state

DEFAULTS = {"stale": 5.0, "wait": 30.0}


def parse(rest):
    """(path, {"stale": s, "wait": s}) of the part after ``ivshmem:``."""
    path, _, query = rest.partition("?")
    options = dict(DEFAULTS)
    for key, values in parse_qs(query, keep_blank_values=True).items():
        if key not in DEFAULTS:
            raise UsageError(f"ivshmem: unknown option {key!r} (known: stale, wait)")
        try:
            options[key] = float(values[-1])
        except ValueError:
            raise UsageError(f"ivshmem: {key} must be a number of seconds, "
                             f"not {values[-1]!r}") from None
        if options[key] <= 0:
            raise UsageError(f"ivshmem: {key} must be positive")
    return path, options


def open_region(path, wait):
    """The mapped region, once a target has initialised it (it may still be booting)."""
    region = Region(path)
    deadline = time.monotonic() + wait
    while magic_state(region) == "absent":
        if time.monotonic() >= deadline:
            region.close()
            raise Unreachable(f"target stopped responding: nothing initialised the ivshmem "
                              f"region {path} within {wait:g} s (is rtvirt-agent --ivshmem "
                              "running on the target?)")
        time.sleep(0.1)
    try:
        check_header(region)
    except BaseException:
        region.close()
        raise
    return region


def open_stream(rest):
    path, options = parse(rest)
    if not path:
        raise UsageError("ivshmem: target needs a path, e.g. ivshmem:/dev/shm/NAME")
    return ShmStream(open_region(path, options["wait"]), "host", stale_s=options["stale"])
