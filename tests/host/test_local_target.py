"""The newcomer's path: ``--target local:`` runs the agent on this machine with the built
core, no QEMU; ``rtvirt --version``."""

import os
import subprocess
import sys

from rtvirt import __version__


def rtvirt_local(tmp_path, core_binary, *args):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"),
           "PATH": f"{core_binary.parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run([sys.executable, "-m", "rtvirt.cli", "--db", str(tmp_path / "s.db"),
                           *args], capture_output=True, text=True, timeout=120, env=env)


def test_measure_on_the_local_target(tmp_path, core_binary):
    done = rtvirt_local(tmp_path, core_binary, "--target", "local:", "measure", "-l50", "-q")
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stdout.splitlines() if line.startswith("T: 0")]
    assert list((tmp_path / "data" / "rtvirt" / "local-target" / "results").iterdir())
    hello = rtvirt_local(tmp_path, core_binary, "--target", "local", "hello")
    assert hello.returncode == 0 and "rtvirt-measure" in hello.stdout, hello.stderr


def test_local_takes_no_arguments_and_version_is_printed(tmp_path, core_binary):
    bad = rtvirt_local(tmp_path, core_binary, "--target", "local:board", "hello")
    assert bad.returncode == 2 and "takes no arguments" in bad.stderr
    version = rtvirt_local(tmp_path, core_binary, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"rtvirt {__version__}"
