"""CPU facts: online, isolated, nohz_full and rcu_nocbs CPUs, SMT, IRQ affinities."""

from rtvirt_agent.wire.cpulist import format_cpulist, parse_cpulist, parse_cpumask

from .kernel import parse_cmdline

_CPU = "/sys/devices/system/cpu"
_ISOLCPUS_FLAGS = {"nohz", "domain", "managed_irq"}


def _cpulist_or_none(text):
    """A normalised CPU list, "" for an empty one, None when absent or unparsable."""
    if text is None:
        return None
    if text in ("", "(null)"):
        return ""
    try:
        return format_cpulist(parse_cpulist(text))
    except ValueError:
        return None


def _isolcpus_from_cmdline(value):
    """The CPU list of ``isolcpus=[flag,...,]LIST`` (flags: nohz, domain, managed_irq)."""
    if value is None:
        return None
    words = [word for word in value.split(",") if word not in _ISOLCPUS_FLAGS]
    return _cpulist_or_none(",".join(words))


def _isolated_cpus(root, params):
    """/sys/devices/system/cpu/isolated shows only ``isolcpus=domain`` isolation; when it is
    empty the CPU list of ``isolcpus=`` (e.g. ``isolcpus=nohz,managed_irq,2-3``) is reported."""
    from_sysfs = _cpulist_or_none(root.read(f"{_CPU}/isolated"))
    if from_sysfs:
        return from_sysfs
    from_cmdline = _isolcpus_from_cmdline(params.get("isolcpus"))
    return from_cmdline if from_cmdline is not None else from_sysfs


def _interrupt_descriptions(root):
    """{irq number: "chip type actions"} from /proc/interrupts (empty when unreadable)."""
    text = root.read("/proc/interrupts")
    if not text:
        return {}
    lines = text.splitlines()
    ncpus = len(lines[0].split())
    descriptions = {}
    for line in lines[1:]:
        label, _, rest = line.partition(":")
        if label.strip().isdigit():
            descriptions[int(label)] = " ".join(rest.split()[ncpus:])
    return descriptions


def irqs_on_cpus(root, cpus):
    """IRQs whose affinity includes any of ``cpus``: [{"irq", "affinity", "effective", "desc"}]."""
    wanted = set(cpus)
    if not wanted:
        return []
    descriptions = _interrupt_descriptions(root)
    found = []
    irq_numbers = sorted(int(name) for name in root.listdir("/proc/irq") if name.isdigit())
    for irq in irq_numbers:
        affinity = _cpulist_or_none(root.read(f"/proc/irq/{irq}/smp_affinity_list"))
        if not affinity or not wanted & set(parse_cpulist(affinity)):
            continue
        effective = _cpulist_or_none(root.read(f"/proc/irq/{irq}/effective_affinity_list"))
        found.append({"irq": irq, "affinity": affinity, "effective": effective,
                      "desc": descriptions.get(irq)})
    return found


def _default_irq_affinity(root):
    mask = root.read("/proc/irq/default_smp_affinity")
    try:
        return None if mask is None else format_cpulist(parse_cpumask(mask))
    except ValueError:
        return None


def cpu_facts(root):
    """Online, isolated, nohz_full and rcu_nocbs CPU lists, SMT and the IRQs on RT CPUs.

    "irqs_on_isolated" checks the union of isolated and nohz_full CPUs: both mean "CPUs meant
    for real-time work", and an IRQ routed there is a latency source either way.
    """
    params = parse_cmdline(root.read("/proc/cmdline"))
    isolated = _isolated_cpus(root, params)
    # the kernel's effective mask; the file exists only with CONFIG_NO_HZ_FULL
    nohz_full = _cpulist_or_none(root.read(f"{_CPU}/nohz_full"))
    rt_cpus = set(parse_cpulist(isolated or "")) | set(parse_cpulist(nohz_full or ""))
    smt_active = root.read_int(f"{_CPU}/smt/active")
    return {
        "cpus_online": _cpulist_or_none(root.read(f"{_CPU}/online")),
        "cpus_isolated": isolated,
        "nohz_full": nohz_full,
        "rcu_nocbs": _cpulist_or_none(params.get("rcu_nocbs")),
        "irq_default_affinity": _default_irq_affinity(root),
        "irqs_on_isolated": irqs_on_cpus(root, rt_cpus),
        "smt": None if smt_active is None else bool(smt_active),
        "smt_control": root.read(f"{_CPU}/smt/control"),
    }
