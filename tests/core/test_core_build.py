"""agent/core builds the ways its users build it: arm64 cross, static, make install with the
variables a Yocto recipe sets."""

import json
import os
import shutil
import subprocess

import pytest
from rtvirt_agent.wire.result import parse_result, result_to_json

from .conftest import make_core

CROSS = "aarch64-linux-gnu-"


def need(tool):
    if not shutil.which(tool):
        if os.environ.get("CI"):
            pytest.fail(f"{tool} missing: 'make core' installs it (mk/core.mk)")
        pytest.skip(f"{tool} not installed (make core installs it)")


def file_says(path):
    return subprocess.run(["file", "-b", str(path)], capture_output=True, text=True).stdout


def test_arm64_cross_build(tmp_path):
    need(f"{CROSS}gcc")
    need("file")
    done = make_core(tmp_path, f"CROSS_COMPILE={CROSS}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "-Werror" in done.stdout
    assert "ARM aarch64" in file_says(tmp_path / "rtvirt-measure")


def test_static_build(tmp_path):
    need("file")
    done = make_core(tmp_path, "STATIC=1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "statically linked" in file_says(tmp_path / "rtvirt-measure")
    help_run = subprocess.run([str(tmp_path / "rtvirt-measure"), "--version"],
                              capture_output=True, text=True)
    assert help_run.returncode == 0


def test_install_honours_recipe_variables(tmp_path):
    """What a Yocto recipe does: CC and CFLAGS from the environment, DESTDIR and bindir."""
    env = {**os.environ, "CC": "gcc", "CFLAGS": "-O2 -pipe -DRTVIRT_RECIPE_BUILD",
           "LDFLAGS": "-Wl,-O1"}
    dest = tmp_path / "image"
    done = make_core(tmp_path / "out", "install", f"DESTDIR={dest}", "PREFIX=/usr", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "-DRTVIRT_RECIPE_BUILD" in done.stdout and "-Wl,-O1" in done.stdout
    installed = dest / "usr" / "bin" / "rtvirt-measure"
    assert installed.exists() and os.access(installed, os.X_OK)


def test_arm64_binary_writes_the_same_record(tmp_path):
    """Where qemu-user is installed: the static arm64 build runs and its record parses."""
    qemu = shutil.which("qemu-aarch64-static") or shutil.which("qemu-aarch64")
    if not qemu or not shutil.which(f"{CROSS}gcc"):
        pytest.skip("needs qemu-user and the aarch64 cross compiler")
    done = make_core(tmp_path, f"CROSS_COMPILE={CROSS}", "STATIC=1")
    assert done.returncode == 0, done.stdout + done.stderr
    rec, js = tmp_path / "r.bin", tmp_path / "r.json"
    ran = subprocess.run([qemu, str(tmp_path / "rtvirt-measure"), "-t2", "-l20", "-i1000",
                          "-q", "--result", str(rec), "--json", str(js)],
                         capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    record = parse_result(rec.read_bytes())
    assert result_to_json(record) == json.loads(js.read_text())
    assert record["sysinfo"]["machine"] == "aarch64"
    assert [t["cycles"] for t in record["threads"]] == [20, 20]
