"""Running the core inside an OCI container, the way Docker runs a workload by default.

The point is the seed's container finding: Docker gives a container no /dev/cpu_dma_latency,
so the core cannot hold PM QoS and latencies grow. The bundle built here reproduces that
with the target's own crun or runc: Docker's default capabilities plus SYS_NICE and IPC_LOCK
(as ``docker run --cap-add SYS_NICE --cap-add IPC_LOCK``, needed for SCHED_FIFO and mlock),
Docker's default /dev (no cpu_dma_latency), new pid/mount/ipc/uts/network namespaces, the
target's /usr and friends read-only, and one writable directory for the result.
"""

import json
import os
from pathlib import Path

from rtvirt_agent.protocol.rpc import OpError

from .child import find_program, run_briefly

RESULT_NAME = "result.bin"
CONTAINER_CORE = "/rtvirt-measure"
CONTAINER_OUT = "/out"
RUNTIMES = ("runc", "crun")  # crun 1.8 refuses hybrid cgroup v1/v2 hosts; runc copes
_HOST_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc")
_DOCKER_CAPS = ("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID",
                "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
                "AUDIT_WRITE")
_RT_CAPS = ("SYS_NICE", "IPC_LOCK")
_MASKED = ("/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
           "/proc/timer_list", "/proc/sched_debug", "/proc/scsi", "/sys/firmware")
_READONLY = ("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger")
_KERNEL_MOUNTS = (
    ("/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]),
    ("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
    ("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666",
                                      "mode=0620"]),
    ("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
    ("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]),
    ("/tmp", "tmpfs", "tmpfs", ["nosuid", "nodev", "mode=1777"]),
)


def root_is_ramdisk(mounts="/proc/mounts"):
    """Whether / is the initramfs itself (emulated lab targets): pivot_root cannot leave it."""
    try:
        lines = Path(mounts).read_text().splitlines()
    except OSError:
        return False
    root_types = [fields[2] for fields in map(str.split, lines)
                  if len(fields) > 2 and fields[1] == "/"]
    return bool(root_types) and root_types[-1] in ("rootfs", "ramfs", "tmpfs")


def find_runtime(config):
    """The OCI runtime (agent.toml container.runtime, else runc or crun on PATH)."""
    candidates = [config.container_runtime] if config.container_runtime else RUNTIMES
    for candidate in candidates:
        path = find_program(candidate)
        if path:
            return path
    raise OpError("container-runtime-missing",
                  "no OCI runtime on the target: install crun or runc (Debian: apt-get install "
                  "crun), or set container.runtime in agent.toml")


def _bind(source, destination, *options):
    return {"destination": destination, "type": "bind", "source": str(source),
            "options": ["rbind", "nosuid", "nodev", *options]}


def _root_and_mounts(rootfs, core, work_dir):
    """Fill ``rootfs`` with mount points and symlinks; return the OCI mounts list."""
    mounts = [{"destination": dest, "type": kind, "source": source, "options": options}
              for dest, kind, source, options in _KERNEL_MOUNTS]
    for host_dir in _HOST_DIRS:
        inside = rootfs / host_dir.lstrip("/")
        if os.path.islink(host_dir):
            inside.symlink_to(os.readlink(host_dir))
        elif os.path.isdir(host_dir):
            inside.mkdir()
            mounts.append(_bind(host_dir, host_dir, "ro"))
    for mount_point in ("proc", "dev", "sys", "tmp", "out"):
        (rootfs / mount_point).mkdir(exist_ok=True)
    (rootfs / CONTAINER_CORE.lstrip("/")).touch()
    mounts.append(_bind(core, CONTAINER_CORE, "ro"))
    mounts.append(_bind(work_dir, CONTAINER_OUT, "rw"))
    return mounts


def realtime_budget(proc_cgroup="/proc/self/cgroup", cgroup_root="/sys/fs/cgroup"):
    """{"realtimeRuntime", "realtimePeriod"} of the agent's own cgroup-v1 cpu group, or None.

    With CONFIG_RT_GROUP_SCHED a new cpu cgroup gets no real-time time, so SCHED_FIFO fails
    with EPERM inside the container. Like ``docker run --cpu-rt-runtime``, the container's
    group is given the budget of the group the agent runs in.
    """
    try:
        lines = Path(proc_cgroup).read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "cpu" not in controllers.split(","):
            continue
        group = Path(cgroup_root, controllers) / path.lstrip("/")
        try:
            return {"realtimeRuntime": int((group / "cpu.rt_runtime_us").read_text()),
                    "realtimePeriod": int((group / "cpu.rt_period_us").read_text())}
        except (OSError, ValueError):
            return None
    return None


def oci_config(process_args, mounts, name, rt_budget):
    """The config.json of the bundle (OCI runtime spec 1.0)."""
    caps = [f"CAP_{cap}" for cap in (*_DOCKER_CAPS, *_RT_CAPS)]
    return {
        "ociVersion": "1.0.2",
        "process": {
            "terminal": False,
            "user": {"uid": 0, "gid": 0},
            "args": process_args,
            "env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
            "cwd": "/",
            "capabilities": {"bounding": caps, "effective": caps, "permitted": caps},
            "noNewPrivileges": True,
        },
        "root": {"path": "rootfs", "readonly": True},
        "hostname": name,
        "mounts": mounts,
        "linux": {
            "namespaces": [{"type": kind} for kind in ("pid", "network", "ipc", "uts", "mount")],
            "resources": {"devices": [{"allow": False, "access": "rwm"}],
                          **({"cpu": rt_budget} if rt_budget else {})},
            "maskedPaths": list(_MASKED),
            "readonlyPaths": list(_READONLY),
        },
    }


class ContainerRun:
    """One container run of the core; its bundle lives in the measure's work directory."""

    def __init__(self, config, core, work_dir):
        self.runtime = find_runtime(config)
        self.core = core
        self.work_dir = Path(work_dir)
        self.name = f"rtvirt-measure-{os.urandom(6).hex()}"

    def argv(self, core_flags):
        """Write the bundle; the runtime's command line running the core with ``core_flags``.

        The progress pipe is fd 3 of the runtime and passed on with --preserve-fds 1."""
        bundle = self.work_dir / "bundle"
        rootfs = bundle / "rootfs"
        rootfs.mkdir(parents=True)
        mounts = _root_and_mounts(rootfs, self.core, self.work_dir)
        process_args = [CONTAINER_CORE, *core_flags, f"--result={CONTAINER_OUT}/{RESULT_NAME}"]
        (bundle / "config.json").write_text(json.dumps(oci_config(
            process_args, mounts, self.name, realtime_budget()), indent=1))
        no_pivot = ["--no-pivot"] if root_is_ramdisk() else []
        return [self.runtime, "run", *no_pivot, "--bundle", str(bundle), "--preserve-fds", "1",
                self.name]

    def interrupt(self):
        """SIGINT to the core inside the container (it stops and writes its result)."""
        run_briefly([self.runtime, "kill", self.name, "INT"])

    def cleanup(self):
        run_briefly([self.runtime, "delete", "--force", self.name])
