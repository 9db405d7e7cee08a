"""Kernel arguments as an embedded bootconfig, so every boot loader passes them on.

``isolcpus``, ``nohz_full``, ``rcu_nocbs`` and ``irqaffinity`` are ``__setup`` parameters, which
the kernel also takes from the ``kernel`` keys of a bootconfig (early parameters it would not).
"""


def isolation_bootconfig(args):
    """bootconfig text for ``key=value`` kernel arguments (``kernel.isolcpus = "2-3"``)."""
    lines = ["# rtvirt CPU isolation (RTVIRT_ISOLATED_CPUS), applied at every boot"]
    for arg in args.split():
        key, _, value = arg.partition("=")
        lines.append(f'kernel.{key} = "{value}"')
    return "\n".join(lines) + "\n"


def isolation_kconfig(args, bootconfig_path):
    """Kernel config fragment embedding ``bootconfig_path``; no bootconfig when no arguments.

    A relative path is taken from the kernel build directory, where kbuild runs.
    """
    if not args.split():
        return "# rtvirt: RTVIRT_ISOLATED_CPUS is empty, no isolation arguments\n"
    return (
        "CONFIG_BOOT_CONFIG=y\n"
        "CONFIG_BOOT_CONFIG_FORCE=y\n"
        "CONFIG_BOOT_CONFIG_EMBED=y\n"
        f'CONFIG_BOOT_CONFIG_EMBED_FILE="{bootconfig_path}"\n'
    )
