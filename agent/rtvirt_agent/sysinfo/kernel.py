"""Kernel facts: release, version string, PREEMPT_RT, command line, RT scheduler knobs."""

import re
import zlib

_RT_IN_VERSION = re.compile(r"\bPREEMPT[_ ]RT\b")
_RT_CONFIG = re.compile(r"^CONFIG_PREEMPT_RT(_FULL)?=y$", re.MULTILINE)
_CLOCKSOURCE = "/sys/devices/system/clocksource/clocksource0"
# the options diagnose needs: whether nohz_full=, rcu_nocbs=, isolcpus= and preempt= can work
CONFIG_OPTIONS = ("CONFIG_PREEMPT_RT", "CONFIG_PREEMPT_DYNAMIC", "CONFIG_NO_HZ_FULL",
                  "CONFIG_RCU_NOCB_CPU", "CONFIG_CPU_ISOLATION")


def parse_cmdline(text):
    """Kernel parameters as {name: value or None}; a later duplicate overrides an earlier one."""
    params = {}
    for word in (text or "").split():
        name, equals, value = word.partition("=")
        params[name] = value if equals else None
    return params


def kernel_config(root, release):
    """The kernel's .config text from /proc/config.gz or /boot/config-RELEASE, else None."""
    packed = root.read_bytes("/proc/config.gz")
    if packed is not None:
        try:
            return zlib.decompress(packed, wbits=16 + zlib.MAX_WBITS).decode("utf-8", "replace")
        except zlib.error:
            pass
    if release:
        return root.read(f"/boot/config-{release}")
    return None


def config_options(config):
    """``{option: "y" | "m" | value | "n"}`` of CONFIG_OPTIONS ("n": not set), or None when
    the kernel's config cannot be read."""
    if config is None:
        return None
    values = dict(re.findall(r"^(CONFIG_\w+)=(.*)$", config, re.MULTILINE))
    return {option: values.get(option, "n") for option in CONFIG_OPTIONS}


def preempt_rt(root, release, version):
    """Whether PREEMPT_RT is active and which source said so: uname, sysfs or config.

    ``uname -v`` names PREEMPT_RT on every RT kernel we know; /sys/kernel/realtime exists only
    with the out-of-tree patch set; the kernel config is the last resort. When only the
    version string is known and it does not mention RT, that is the answer.
    """
    if version and _RT_IN_VERSION.search(version):
        return {"active": True, "source": "uname"}
    if root.read("/sys/kernel/realtime") == "1":
        return {"active": True, "source": "sysfs"}
    config = kernel_config(root, release)
    if config is not None:
        return {"active": bool(_RT_CONFIG.search(config)), "source": "config"}
    if version:
        return {"active": False, "source": "uname"}
    return {"active": None, "source": None}


def kernel_facts(root):
    release = root.read("/proc/sys/kernel/osrelease")
    version = root.read("/proc/sys/kernel/version")
    timer_migration = root.read_int("/proc/sys/kernel/timer_migration")
    available = root.read(f"{_CLOCKSOURCE}/available_clocksource")
    return {
        "kernel_release": release,
        "kernel_version": version,
        "preempt_rt": preempt_rt(root, release, version),
        "kernel_config": config_options(kernel_config(root, release)),
        "cmdline": root.read("/proc/cmdline"),
        "sched_rt_runtime_us": root.read_int("/proc/sys/kernel/sched_rt_runtime_us"),
        "timer_migration": None if timer_migration is None else bool(timer_migration),
        "clocksource": root.read(f"{_CLOCKSOURCE}/current_clocksource"),
        "clocksources_available": available.split() if available else None,
    }
