"""Fixtures of the ivshmem tests: regions backed by files under /dev/shm (as QEMU's are)."""

import os
import uuid
from pathlib import Path

import pytest
from rtvirt_agent.ivshmem.region import Region, initialise

REGION_BYTES = 1 << 20


def shm_dir():
    return Path("/dev/shm") if os.access("/dev/shm", os.W_OK) else None


@pytest.fixture
def region_path(tmp_path):
    """A zeroed 1 MiB file under /dev/shm (removed afterwards)."""
    base = shm_dir() or tmp_path
    path = base / f"rtvirt-test-{uuid.uuid4().hex[:12]}"
    with open(path, "wb") as file:
        file.truncate(REGION_BYTES)
    yield path
    path.unlink(missing_ok=True)


@pytest.fixture
def target_region(region_path):
    """The region initialised by the target side; yields (region, layout)."""
    region = Region(region_path)
    layout = initialise(region)
    yield region, layout
    region.close()


@pytest.fixture(scope="session")
def core(tmp_path_factory):
    """rtvirt-measure built from agent/core into a temporary directory."""
    from tests.core.conftest import make_core

    out = tmp_path_factory.mktemp("core-ivshmem")
    done = make_core(out, "all")
    assert done.returncode == 0, f"make failed:\n{done.stdout}\n{done.stderr}"
    return out / "rtvirt-measure"
