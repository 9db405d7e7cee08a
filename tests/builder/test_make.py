"""The one builder (Makefile targets with O=) and `make clean`, run for real in a fresh clone."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run(*command, cwd, timeout=600):
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def headers():
    """KDIR of Debian's 6.1 and 6.12 amd64 PREEMPT_RT headers (cached by `make blocksys`)."""
    return {series: run(REPO / "tools/kernel-headers", "amd64", series, cwd=REPO).split()[-1]
            for series in ("6.1", "6.12")}


@pytest.fixture
def clone(tmp_path):
    """A fresh clone of this repository's committed tree."""
    run("git", "clone", "-q", REPO, tmp_path / "rtvirt", cwd=tmp_path)
    return tmp_path / "rtvirt"


def ignored(tree):
    """What `git status --ignored` lists as ignored in ``tree``."""
    status = run("git", "status", "--ignored", "--porcelain", cwd=tree)
    return sorted(line[3:] for line in status.splitlines() if line.startswith("!! "))


def build_everything(tree, kdir):
    """Every kind of output a developer's session leaves: the builder's targets, the
    components' own Makefiles run by hand, pip's egg-info, pytest's, ruff's and Python's caches."""
    run("make", "-s", "core-amd64", "blocksys-check-amd64", "blocksys-6.1-amd64",
        f"KDIR={kdir}", cwd=tree)
    run("make", "-s", "-C", "agent/core", cwd=tree)
    run("make", "-s", "-C", "agent/blocksys", f"KDIR={kdir}", cwd=tree)
    # `make venv` without the dependencies (those take minutes): the editable installs
    run(sys.executable, "-m", "venv", ".venv", cwd=tree)
    run(".venv/bin/python", "-m", "pip", "install", "-q", "--no-deps", "-e", "agent", "-e",
        "host-tools", cwd=tree)
    run(sys.executable, "-m", "pytest", "-q", "tests/yocto/test_layer_lib.py", cwd=tree)
    tools = Path(sys.executable).parent
    run(tools / "ruff", "check", "-q", "tests/yocto", cwd=tree)
    subprocess.run([tools / "lint-imports"], cwd=tree, capture_output=True, timeout=600)
    (tree / "bench/results/core.json").write_text("{}\n")


@pytest.mark.slow
def test_clean_leaves_a_fresh_clone_and_keeps_the_venv_if_asked(clone, headers):
    build_everything(clone, headers["6.1"])
    left = ignored(clone)
    for output in ("build/", "agent/core/build/", "agent/rtvirt_agent.egg-info/",
                   "host-tools/rtvirt.egg-info/", ".pytest_cache/", ".ruff_cache/",
                   ".import_linter_cache/", ".venv/",
                   "bench/results/core.json", "agent/blocksys/blocksys.ko"):
        assert output in left, left
    run("make", "-s", "clean", "KEEP_VENV=1", cwd=clone)
    assert ignored(clone) == [".venv/"]
    run("make", "-s", "clean", cwd=clone)
    assert ignored(clone) == []
    assert run("git", "status", "--porcelain", cwd=clone) == ""


def test_blocksys_is_built_again_only_for_other_headers(tmp_path, headers):
    module = tmp_path / "blocksys/6.1-amd64/blocksys.ko"

    def build(series):
        run("make", "-s", "-C", REPO, "blocksys-6.1-amd64", f"O={tmp_path}",
            f"KDIR={headers[series]}", cwd=REPO)
        return module.stat().st_mtime_ns, module.stat().st_ino

    first = build("6.1")
    assert build("6.1") == first
    assert build("6.12") != first
    vermagic = run(shutil.which("modinfo") or "/sbin/modinfo", "-F", "vermagic", module,
                   cwd=tmp_path)
    assert vermagic.startswith(Path(headers["6.12"]).name.removeprefix("linux-headers-"))


def test_builder_outputs_go_under_O_and_the_architecture_table_answers(tmp_path):
    run("make", "-s", "-C", REPO, "core-arm64", "blocksys-check-arm64", f"O={tmp_path}",
        cwd=REPO)
    for binary in ("core/arm64/rtvirt-measure", "blocksys/blocksys-check-arm64"):
        assert (tmp_path / binary).read_bytes()[18] == 183  # e_machine EM_AARCH64
    assert run("make", "-s", "-C", REPO, "kbuild-vars-arm64", cwd=REPO).split() == [
        "ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-"]
