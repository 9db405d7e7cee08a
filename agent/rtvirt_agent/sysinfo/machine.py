"""Machine facts: model (device tree or DMI), memory, load average, host name."""

_DMI = "/sys/devices/virtual/dmi/id"


def machine_model(root):
    """The device tree's model, else DMI "vendor product", else None."""
    model = root.read("/proc/device-tree/model") or root.read("/sys/firmware/devicetree/base/model")
    if model:
        return model
    parts = [root.read(f"{_DMI}/sys_vendor"), root.read(f"{_DMI}/product_name")]
    return " ".join(part for part in parts if part) or None


def mem_total_kb(root):
    for line in (root.read("/proc/meminfo") or "").splitlines():
        name, _, value = line.partition(":")
        if name == "MemTotal":
            try:
                return int(value.split()[0])
            except (IndexError, ValueError):
                return None
    return None


def loadavg(root):
    """[1 min, 5 min, 15 min] load averages, or None."""
    try:
        return [float(value) for value in (root.read("/proc/loadavg") or "").split()[:3]] or None
    except ValueError:
        return None


def machine_facts(root):
    return {
        "hostname": root.read("/proc/sys/kernel/hostname"),
        "machine_model": machine_model(root),
        "mem_total_kb": mem_total_kb(root),
        "loadavg": loadavg(root),
    }
