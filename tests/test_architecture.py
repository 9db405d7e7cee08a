"""The import rules of docs/architecture.md hold: lint-imports checks the contracts that
pyproject.toml's [tool.importlinter] declares."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(pythonpath=None):
    env = dict(os.environ, **({"PYTHONPATH": str(pythonpath)} if pythonpath else {}))
    return subprocess.run([LINT_IMPORTS, "--no-cache", "--config", REPO / "pyproject.toml"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def test_the_tree_keeps_every_import_contract():
    run = lint_imports()
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_wire_module_importing_an_op_breaks_a_contract(tmp_path):
    shutil.copytree(REPO / "agent" / "rtvirt_agent", tmp_path / "rtvirt_agent")
    shutil.copytree(REPO / "host-tools" / "rtvirt", tmp_path / "rtvirt")
    (tmp_path / "rtvirt_agent" / "wire" / "stray.py").write_text(
        "from rtvirt_agent.ops import measure  # noqa: F401\n")
    run = lint_imports(pythonpath=tmp_path)
    assert run.returncode != 0
    assert "rtvirt_agent.wire.stray -> rtvirt_agent.ops" in run.stdout
