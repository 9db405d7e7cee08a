"""The emulated boards: QEMU machine, UARTs, kernel command line and device tree of each."""

from dataclasses import dataclass, field

from rtvirt_agent.wire.errors import UsageError

KERNEL_SERIES = ("6.1", "6.12")


@dataclass(frozen=True)
class Board:
    """One emulated machine. UART indices count QEMU's ``-serial`` options from 0."""

    name: str
    description: str
    arch: str                      # Debian architecture of kernel and root filesystem
    qemu_binary: str
    machine: str                   # QEMU machine type, checked against ``-M help``
    qemu_args: tuple               # machine, CPUs, memory
    tty_names: tuple               # guest device of each UART, in -serial order
    console_uart: int
    agent_uart: int
    default_kernel: str
    pci_modules: tuple = ()        # kernel modules the PCIe host (ivshmem) needs, loaded at boot
    pci_kernels: tuple = KERNEL_SERIES  # kernel series that can drive the board's PCIe
    dtb: str | None = None         # path inside the kernel package's dtb directory
    dtb_deletions: tuple = ()      # (node, property) pairs removed with fdtput -d
    has_pci: bool = True           # attach the ivshmem-plain device
    # kernel series whose device tree enables only the console UART: agent shares it
    console_only_kernels: tuple = field(default=())
    kernels: tuple = KERNEL_SERIES  # kernel series the board boots
    inmate_uart: int | None = None  # a Jailhouse Linux inmate's own UART
    jailhouse: bool = False        # boot files from the Jailhouse lab build (jailhouse.py)
    rootfs_packages: tuple = ()    # Debian packages beyond the lab's root filesystem's own
    vm_isolated: str | None = None  # a KVM host (kvm.py): the CPUs of its guest's vCPUs
    cpu_count: int = 4             # the -smp of qemu_args
    ready_timeout_s: float = 300.0  # default bound on the wait for the agent(s)

    def shares_console(self, kernel, shared_console):
        """Whether agent and kernel console use one UART for ``kernel``."""
        return shared_console or kernel in self.console_only_kernels

    def agent_tty(self, kernel, shared_console):
        shared = self.shares_console(kernel, shared_console)
        return self.tty_names[self.console_uart if shared else self.agent_uart]

    def kernel_modules(self, kernel):
        """Modules to load at boot (before blocksys) with ``kernel``."""
        return self.pci_modules if kernel in self.pci_kernels else ()

    @property
    def vm_host(self):
        """Whether the board is a KVM host starting the lab's guest (kvm.py)."""
        return self.vm_isolated is not None

    @property
    def console_tty(self):
        return self.tty_names[self.console_uart]


BOARDS = {
    "x86": Board(
        name="x86", description="PC q35, 4 vCPUs (qemu-system-x86_64 -M q35)",
        arch="amd64", qemu_binary="qemu-system-x86_64", machine="q35",
        qemu_args=("-M", "q35", "-accel", "tcg", "-cpu", "max", "-smp", "4", "-m", "2G"),
        tty_names=("ttyS0", "ttyS1"), console_uart=0, agent_uart=1, default_kernel="6.1"),
    "imx8mp": Board(
        name="imx8mp", description="NXP i.MX8M Plus EVK (qemu-system-aarch64 -M imx8mp-evk)",
        arch="arm64", qemu_binary="qemu-system-aarch64", machine="imx8mp-evk",
        qemu_args=("-M", "imx8mp-evk", "-smp", "4", "-m", "2G"),
        tty_names=("ttymxc0", "ttymxc1", "ttymxc2"), console_uart=1, agent_uart=0,
        default_kernel="6.12", pci_modules=("reset-imx7", "phy-fsl-imx8m-pcie", "fixed"),
        pci_kernels=("6.12",),  # 6.1 has no i.MX8M PCIe PHY driver
        dtb="freescale/imx8mp-evk.dtb",
        dtb_deletions=(("/soc@0/bus@32c00000/blk-ctrl@32f10000", "interconnects"),
                       ("/soc@0/bus@32c00000/blk-ctrl@32f10000", "interconnect-names")),
        console_only_kernels=("6.1",)),
    "arm64": Board(
        name="arm64", description="arm64 virt, 4 Cortex-A53 (qemu-system-aarch64 -M virt)",
        arch="arm64", qemu_binary="qemu-system-aarch64", machine="virt",
        qemu_args=("-M", "virt", "-cpu", "cortex-a53", "-smp", "4", "-m", "2G"),
        tty_names=("ttyAMA0", "ttyAMA1"), console_uart=0, agent_uart=1, default_kernel="6.12"),
    "jailhouse-arm64": Board(
        name="jailhouse-arm64",
        description="Jailhouse on arm64 virt at EL2: root cell CPUs 0-1 (agent on the "
                    "console), Linux inmate CPU 2 (own UART), bare-metal inmate CPU 3",
        arch="arm64", qemu_binary="qemu-system-aarch64", machine="virt",
        qemu_args=("-M", "virt,gic-version=3,virtualization=on,its=off", "-cpu", "cortex-a57",
                   "-smp", "4", "-m", "1G", "-accel", "tcg"),
        tty_names=("ttyAMA0", "ttyAMA1"), console_uart=0, agent_uart=0, inmate_uart=1,
        default_kernel="6.12", kernels=("6.12",), console_only_kernels=("6.12",),
        has_pci=False, jailhouse=True),
    "kvm-arm64": Board(
        name="kvm-arm64",
        description="PREEMPT_RT KVM host on arm64 virt at EL2 (CPUs 2-3 isolated) running a "
                    "PREEMPT_RT guest, vCPUs pinned there at SCHED_FIFO 1",
        arch="arm64", qemu_binary="qemu-system-aarch64", machine="virt",
        qemu_args=("-M", "virt,gic-version=3,virtualization=on", "-cpu", "max",
                   "-smp", "4", "-m", "3G", "-accel", "tcg"),
        tty_names=("ttyAMA0", "ttyAMA1"), console_uart=0, agent_uart=1,
        default_kernel="6.12", kernels=("6.12",), has_pci=False,
        rootfs_packages=("qemu-system-arm",), vm_isolated="2,3",
        ready_timeout_s=2400.0),  # the guest boots as nested KVM under TCG
}


def get_board(name):
    """The board called ``name``, or a UsageError listing the boards."""
    try:
        return BOARDS[name]
    except KeyError:
        raise UsageError(f"unknown board {name!r}: choose one of {', '.join(BOARDS)}") from None


def check_kernel(series, board=None):
    """``series`` if it is a kernel the lab (or ``board``) offers, else a UsageError listing
    them."""
    offered = board.kernels if board else KERNEL_SERIES
    if series not in offered:
        raise UsageError(f"unknown kernel {series!r}"
                         f"{f' for board {board.name}' if board else ''}: choose one of "
                         f"{', '.join(offered)}")
    return series
