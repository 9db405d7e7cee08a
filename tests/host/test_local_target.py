"""The newcomer's path: ``--target local:`` runs the agent on this machine with the built
core, no QEMU; ``rtvirt --version``."""

import os
import subprocess
import sys

import pytest
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


def test_a_core_built_in_the_tree_before_its_sources_changed_is_passed_over(tmp_path,
                                                                           monkeypatch):
    from rtvirt.transports import local
    from rtvirt_agent.wire.errors import UsageError

    tree = tmp_path / "tree"
    (tree / "agent" / "core").mkdir(parents=True)
    (tree / "agent" / "core" / "main.c").write_text("int main;\n")
    stale = tree / "agent" / "core" / "build" / "x86_64-linux-gnu" / "rtvirt-measure"
    stale.parent.mkdir(parents=True)
    stale.write_text("")
    os.utime(stale, (1, 1))
    monkeypatch.setattr(local, "source_tree", lambda: tree)
    monkeypatch.setattr(local.platform, "machine", lambda: "x86_64")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(UsageError, match=r"rtvirt-measure is older than agent/core's sources"):
        local.find_core()
    on_path = tmp_path / "empty" / "rtvirt-measure"
    on_path.parent.mkdir()
    on_path.write_text("")
    on_path.chmod(0o755)
    assert local.find_core() == str(on_path)
    os.utime(stale)  # rebuilt now
    assert local.find_core() == stale
