"""``ivshmem:PATH[?stale=S&wait=S&map=N]`` — the agent behind a shared-memory region.

PATH is the host side of the region: the /dev/shm file backing QEMU's ivshmem-plain, or in
a Jailhouse root cell the uio device of the ivshmem device (``map``: which uio map, default 2,
the read-write section) or a PCI resource file. The agent on the other side runs
``rtvirt-agent --ivshmem DEV``. ``wait`` is how long to wait for an agent to initialise a
still empty region (default 30 s); ``stale`` how long its heartbeat may stand still before
the target counts as stopped (default 5 s). The protocol's frames travel through the
region's mailboxes; docs/ivshmem.md describes the region.
"""

from urllib.parse import parse_qs

from rtvirt_agent.ivshmem.mailbox import ShmStream
from rtvirt_agent.ivshmem.region import open_initialised
from rtvirt_agent.wire.errors import UsageError

DEFAULTS = {"stale": 5.0, "wait": 30.0, "map": None}


def parse(rest):
    """(path, {"stale": s, "wait": s, "map": n or None}) of the part after ``ivshmem:``."""
    path, _, query = rest.partition("?")
    options = dict(DEFAULTS)
    for key, values in parse_qs(query, keep_blank_values=True).items():
        if key not in DEFAULTS:
            raise UsageError(f"ivshmem: unknown option {key!r} (known: stale, wait, map)")
        options[key] = _number(key, values[-1])
    return path, options


def _number(key, text):
    """``map``: a uio map index (0 or more); ``stale``, ``wait``: seconds (more than 0)."""
    try:
        value = int(text) if key == "map" else float(text)
    except ValueError:
        value = -1
    if value < 0 or (key != "map" and value == 0):
        wanted = "a uio map index (0, 1, 2, …)" if key == "map" else \
            "a positive number of seconds"
        raise UsageError(f"ivshmem: {key} must be {wanted}, not {text!r}")
    return value


def open_stream(rest):
    path, options = parse(rest)
    if not path:
        raise UsageError("ivshmem: target needs a path, e.g. ivshmem:/dev/shm/NAME")
    region = open_initialised(path, options["wait"], options["map"])
    return ShmStream(region, "host", stale_s=options["stale"])
