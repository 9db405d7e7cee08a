"""agent/core builds the ways its users build it: arm64 cross, static, make install with the
variables a Yocto recipe sets."""

import os
import shutil
import subprocess

import pytest

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
