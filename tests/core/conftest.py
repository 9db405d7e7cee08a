"""Fixtures for the measurement core: a fresh build of agent/core, helpers to run it."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CORE_DIR = Path(__file__).resolve().parents[2] / "agent" / "core"


def make_core(out_dir, *args, env=None):
    """Run make in agent/core with O=out_dir; returns the CompletedProcess (output captured)."""
    return subprocess.run(["make", "-C", str(CORE_DIR), f"O={out_dir}", *args],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="session")
def core_build(tmp_path_factory):
    """agent/core built natively (binary and unit-test binary) into a temporary directory."""
    out = tmp_path_factory.mktemp("core-build")
    done = make_core(out, "all", "unit-tests")
    assert done.returncode == 0, f"make failed:\n{done.stdout}\n{done.stderr}"
    return out


@pytest.fixture(scope="session")
def measure(core_build):
    """Path of the freshly built rtvirt-measure."""
    return core_build / "rtvirt-measure"


@pytest.fixture(scope="session")
def rt_available():
    """Whether this machine lets us run SCHED_FIFO threads (root with CAP_SYS_NICE here)."""
    chrt = shutil.which("chrt")
    if not chrt:
        return os.geteuid() == 0
    return subprocess.run([chrt, "-f", "1", "true"], capture_output=True).returncode == 0


@pytest.fixture
def run_measure(measure):
    """Run rtvirt-measure with args; returns the CompletedProcess (text, captured)."""
    def run(*args, timeout=60, **kwargs):
        return subprocess.run([str(measure), *map(str, args)], capture_output=True, text=True,
                              timeout=timeout, **kwargs)
    return run
