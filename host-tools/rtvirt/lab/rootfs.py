"""The target's root filesystem: Debian packages unpacked with mmdebstrap, packed as a cpio.

mmdebstrap runs in its ``extract`` variant: packages are unpacked, no maintainer script runs.
That works for a foreign architecture without qemu-user/binfmt (often unavailable in
containers) and is all an initramfs needs; the few things maintainer scripts would have made
(users, compiled Python modules) are made here. The apt sources are this machine's own
bookworm entries, so no mirror is ever written down.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from rtvirt_agent.wire.errors import RtvirtError

from rtvirt.lab.cache import cached

SUITE = "bookworm"
PACKAGES = (
    "base-files", "base-passwd", "bash", "busybox-static", "coreutils", "crun", "dash",
    "findutils", "gzip", "grep", "kmod", "mount", "pciutils", "procps", "python3",
    "python3-construct", "python3-serial", "rt-tests", "sed", "stress-ng", "util-linux",
)
# What an initramfs that nobody logs into does not need (about a third of the tree).
PRUNED = ("usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale",
          "usr/share/lintian", "usr/share/bash-completion", "usr/share/perl", "usr/include",
          "var/cache/apt", "var/lib/apt/lists")
PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
GROUP = "root:x:0:\nnogroup:x:65534:\n"
SOURCES_DIR = Path("/etc/apt/sources.list.d")
SOURCES_LIST = Path("/etc/apt/sources.list")


def apt_sources():
    """This machine's Debian ``bookworm*`` entries in deb822 form (other repositories dropped)."""
    stanzas = []
    for path in sorted(SOURCES_DIR.glob("*.sources")):
        for stanza in re.split(r"\n\s*\n", path.read_text()):
            if re.search(rf"^Suites:.*\b{SUITE}\b", stanza, re.M) and "Types: deb" in stanza:
                stanzas.append(stanza.strip())
    if SOURCES_LIST.exists():
        for line in SOURCES_LIST.read_text().splitlines():
            fields = line.split()
            if len(fields) >= 4 and fields[0] == "deb" and fields[2].startswith(SUITE):
                stanzas.append(f"Types: deb\nURIs: {fields[1]}\nSuites: {fields[2]}\n"
                               f"Components: {' '.join(fields[3:])}")
    if not stanzas:
        raise RtvirtError("no Debian bookworm entry in this machine's apt sources "
                          "(/etc/apt/sources.list.d/*.sources): mmdebstrap needs one")
    return "\n\n".join(stanzas) + "\n"


def build_rootfs(arch, extra_packages=()):
    """Path of ``base.cpio``, the packed root filesystem for ``arch`` with ``PACKAGES`` and
    ``extra_packages`` (a board's own, e.g. QEMU for a KVM host), cached."""
    packages = PACKAGES + tuple(extra_packages)
    inputs = {"arch": arch, "packages": " ".join(packages), "pruned": " ".join(PRUNED),
              "sources": apt_sources(), "mmdebstrap": _tool_version("mmdebstrap"),
              "users": PASSWD + GROUP}
    return cached(f"rootfs-{arch}", inputs,
                  lambda out: _build(arch, packages, inputs["sources"], out))


def _tool_version(tool):
    if not shutil.which(tool):
        raise RtvirtError(f"{tool} is not installed: run `tools/apt-install {tool}` (or make apt)")
    return subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.strip()


def _build(arch, packages, sources, out):
    tree = out / "tree"
    (out / "sources").write_text(sources)
    print(f"lab: mmdebstrap {SUITE} {arch} ({len(packages)} packages)", file=sys.stderr)
    subprocess.run(["mmdebstrap", "--quiet", "--variant=extract", f"--arch={arch}",
                    f"--include={','.join(packages)}", SUITE, str(tree), str(out / "sources")],
                   check=True)
    (out / "sources").unlink()
    for relative in PRUNED:
        shutil.rmtree(tree / relative, ignore_errors=True)
    (tree / "etc" / "passwd").write_text(PASSWD)
    (tree / "etc" / "group").write_text(GROUP)
    python = max(path.name for path in (tree / "usr/lib").glob("python3.*"))
    compile_python(tree, python, (f"usr/lib/{python}", "usr/lib/python3"))
    pack_cpio(tree, out / "base.cpio")
    shutil.rmtree(tree)


def compile_python(tree, python, subdirs):
    """Byte-compile ``subdirs`` of ``tree``, so a target under TCG does not do it each boot.

    ``python`` is the target's interpreter name (``python3.11``); compiling needs a host
    interpreter of that exact version (same bytecode), else it is left to the target.
    """
    host_python = shutil.which(python)
    if not host_python:
        return
    subprocess.run([host_python, "-m", "compileall", "-q", "-j", "0",
                    "--invalidation-mode", "unchecked-hash", "-s", str(tree), "-p", "/",
                    *(str(tree / subdir) for subdir in subdirs)],
                   check=True, stdout=subprocess.DEVNULL)


def pack_cpio(tree, archive):
    """Write ``tree`` as a newc cpio archive (the initramfs format) to ``archive``."""
    names = subprocess.run(["find", ".", "-mindepth", "1", "-print0"], cwd=tree, check=True,
                           capture_output=True).stdout
    with open(archive, "wb") as output:
        subprocess.run(["cpio", "--null", "--create", "--format=newc", "--quiet"], cwd=tree,
                       input=names, stdout=output, check=True)
