"""Which board, which image: the facts that tie a result to one physical board and build.

The serial number comes from the first source that has one: the device tree's
``serial-number`` (U-Boot sets it on i.MX boards), DMI's product or board serial (PCs; root
only), the SoC's unique id (``/sys/devices/soc0/serial_number``, e.g. the i.MX8MP UID). The
image's build id is ``BUILD_ID`` of /etc/os-release, else Yocto's /etc/version (the build's
date stamp); its name is os-release's PRETTY_NAME.
"""

from .machine import machine_model

_DT = ("/proc/device-tree", "/sys/firmware/devicetree/base")
_DMI = "/sys/devices/virtual/dmi/id"
_SOC = "/sys/devices/soc0"
MAX_VALUE = 64  # identity facts become result labels: their values' limit (ops/args.py)
DMI_PLACEHOLDERS = {"", "0", "none", "default string", "to be filled by o.e.m.",
                    "not specified", "system serial number", "0123456789"}


def clean(text):
    """A fact as a short single printable line, or None."""
    if text is None:
        return None
    line = "".join(char for char in text.strip() if char.isprintable())[:MAX_VALUE].strip()
    return line or None


def _device_tree(root, name):
    return next((clean(root.read(f"{base}/{name}")) for base in _DT
                 if clean(root.read(f"{base}/{name}"))), None)


def board_serial(root):
    candidates = [_device_tree(root, "serial-number")]
    candidates += [clean(root.read(f"{_DMI}/{name}")) for name in ("product_serial",
                                                                   "board_serial")]
    candidates.append(clean(root.read(f"{_SOC}/serial_number")))
    return next((value for value in candidates
                 if value and value.lower() not in DMI_PLACEHOLDERS), None)


def os_release(root):
    """/etc/os-release as a dict (shell-style KEY=value, quotes removed)."""
    fields = {}
    text = root.read("/etc/os-release") or root.read("/usr/lib/os-release") or ""
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip().isidentifier():
            fields[key.strip()] = value.strip().strip("\"'")
    return fields


def image_build_id(root, release):
    version = (root.read("/etc/version") or "").splitlines()
    return clean(release.get("BUILD_ID")) or (clean(version[0]) if version else None)


def identity_facts(root):
    release = os_release(root)
    return {
        "board_serial": board_serial(root),
        "soc_id": clean(root.read(f"{_SOC}/soc_id")),
        "soc_serial": clean(root.read(f"{_SOC}/serial_number")),
        "image": clean(release.get("PRETTY_NAME")),
        "image_build_id": image_build_id(root, release),
    }


def identity_labels(root):
    """The result labels that carry the board's identity (only those it knows)."""
    facts = {**identity_facts(root), "board_model": clean(machine_model(root))}
    return {key: facts[key] for key in ("board_serial", "board_model", "image_build_id")
            if facts[key]}
