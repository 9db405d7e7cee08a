"""Shared test configuration: tests without another marker are ``unit`` tests; fixtures for
the measurement core and a real local agent (``rtvirt-agent --stdio`` via the exec: target)."""

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings


def pytest_collection_modifyitems(items):
    for item in items:
        if not any(item.iter_markers(name) for name in ("e2e", "slow")):
            item.add_marker(pytest.mark.unit)


# Timing is not what property tests check: CI shares two cores with QEMU boots, so a slow
# example must not fail a test. The number of examples stays as each test sets it.
settings.register_profile("rtvirt", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("rtvirt")


REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def core_binary(tmp_path_factory):
    """agent/core's rtvirt-measure, freshly built into a temporary directory."""
    out = tmp_path_factory.mktemp("core")
    built = subprocess.run(["make", "-s", "-C", str(REPO / "agent" / "core"), f"O={out}"],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    return out / "rtvirt-measure"


@pytest.fixture
def agent_uri(tmp_path, core_binary):
    """The exec: URI of a real local agent using that core, its results under tmp_path."""
    config = tmp_path / "agent.toml"
    config.write_text(f'version = 1\nresults_dir = "{tmp_path / "target-results"}"\n'
                      f'core = "{core_binary}"\n')
    command = [sys.executable, "-m", "rtvirt_agent.main", "--stdio", "--config", str(config)]
    return "exec:" + shlex.join(command)
