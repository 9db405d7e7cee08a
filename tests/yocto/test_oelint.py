"""oelint-adv finds nothing in the layer with the layer's own configuration."""

import os
import subprocess
import sys
from pathlib import Path

from .conftest import LAYER, layer_files

CONFIG = LAYER / ".oelint.cfg"


def run_oelint(files):
    env = {**os.environ, "OELINT_CONFIG": str(CONFIG)}
    oelint = Path(sys.executable).with_name("oelint-adv")
    return subprocess.run([str(oelint), "--quiet", "--jobs", "1", *map(str, files)],
                          capture_output=True, text=True, env=env, cwd=LAYER, timeout=600)


def test_layer_is_clean():
    result = run_oelint(layer_files("*.bb", "*.bbappend"))
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_config_finds_a_planted_defect(tmp_path):
    recipe = tmp_path / "broken_1.0.bb"
    recipe.write_text('SUMMARY = "no license"\n')
    result = run_oelint([recipe])
    assert "oelint.var.mandatoryvar.LICENSE" in result.stdout + result.stderr


def test_every_suppressed_rule_gives_a_reason():
    lines = CONFIG.read_text().splitlines()
    start = lines.index("suppress =")
    previous = lines[start]
    for line in lines[start + 1:]:
        if line.startswith("    oelint."):
            assert previous.startswith(("#", "    oelint.")), line
        previous = line
