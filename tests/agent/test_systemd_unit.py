"""The agent's systemd unit: templated on the tty, conflicting with a getty there, valid."""

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

UNIT = Path(__file__).parents[2] / "agent" / "systemd" / "rtvirt-agent@.service"


def _unit():
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(UNIT)
    return parser


def test_unit_owns_the_port_of_its_instance():
    unit = _unit()
    assert unit["Service"]["ExecStart"].split()[1:] == ["--serial", "/dev/%I"]
    assert unit["Unit"]["Conflicts"] == "serial-getty@%i.service"
    assert "serial-getty@%i.service" in unit["Unit"]["After"]
    assert unit["Service"]["Restart"] == "always"
    assert unit["Service"]["StateDirectory"] == "rtvirt"
    assert unit["Service"]["LimitRTPRIO"] == "99"
    assert unit["Service"]["MemoryMax"].endswith("%")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze missing: make test installs systemd (mk/agent.mk)")
def test_systemd_accepts_the_unit(tmp_path):
    instance = tmp_path / "rtvirt-agent@ttyS1.service"
    instance.write_text(UNIT.read_text().replace("/usr/bin/rtvirt-agent", shutil.which("true")))
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", str(instance)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "rtvirt-agent" not in done.stderr, done.stderr
