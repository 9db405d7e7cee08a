"""The bare-metal inmate builds against a Jailhouse tree and fits its cell (1 MiB of RAM).

Needs Jailhouse sources: ``RTVIRT_JAILHOUSE_SRC=DIR`` (as tests/cells) or the tree
``make test-jailhouse`` leaves in the cache; skipped without either. It guards the inmate
against changes in the core's sources it compiles (agent/core)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CELL_RAM = 0x100000
STACK_AND_PAGE_TABLES = 0x10000


def jailhouse_tree():
    if os.environ.get("RTVIRT_JAILHOUSE_SRC"):
        return Path(os.environ["RTVIRT_JAILHOUSE_SRC"])
    cache = Path(os.environ.get("RTVIRT_CACHE") or Path.home() / ".cache" / "rtvirt")
    trees = sorted((cache / "jailhouse").glob("jailhouse-*/inmates/lib/arm64/inmate.lds.S"))
    return trees[-1].parents[3] if trees else None


@pytest.mark.skipif(jailhouse_tree() is None or not shutil.which("aarch64-linux-gnu-gcc"),
                    reason="no Jailhouse tree (RTVIRT_JAILHOUSE_SRC) or arm64 cross compiler")
def test_the_inmate_builds_and_fits_its_cell(tmp_path):
    built = subprocess.run(["make", "-s", "-C", str(REPO / "agent/inmate"),
                            f"JAILHOUSE={jailhouse_tree()}", f"O={tmp_path}"],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    image = tmp_path / "rtvirt-inmate.bin"
    assert 0 < image.stat().st_size < CELL_RAM - STACK_AND_PAGE_TABLES
    symbols = subprocess.run(["aarch64-linux-gnu-nm", str(tmp_path / "rtvirt-inmate-linked.o")],
                             capture_output=True, text=True, check=True).stdout
    assert " T inmate_main" in symbols and " T result_encode" in symbols
