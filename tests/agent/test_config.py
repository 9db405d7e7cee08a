"""agent.toml: defaults, the shipped example, and every error reported at once."""

from pathlib import Path

import pytest
from rtvirt_agent.config import LOAD_PROFILES, default_config, load_config, parse_config
from rtvirt_agent.wire.errors import UsageError

EXAMPLE = Path(__file__).parents[2] / "agent" / "agent.toml"


def test_shipped_example_equals_the_defaults():
    assert load_config(EXAMPLE) == default_config()


def test_defaults_keep_blocksys_disabled():
    config = default_config()
    assert config.blocksys_enabled is False
    assert config.load_profiles == LOAD_PROFILES


def test_values_are_read(tmp_path):
    path = tmp_path / "agent.toml"
    path.write_text('version = 1\nresults_dir = "/data/r"\n[blocksys]\nenabled = true\n'
                    '[limits]\nmax_duration_s = 60\n[load]\nprofiles = ["cpu"]\n')
    config = load_config(path)
    assert config.results_dir == Path("/data/r")
    assert config.blocksys_enabled is True
    assert config.max_duration_s == 60.0
    assert config.load_profiles == ("cpu",)
    assert config.with_results_dir("/x").results_dir == Path("/x")


def test_every_error_is_reported_at_once():
    with pytest.raises(UsageError) as caught:
        parse_config({"version": 2, "colour": "red", "blocksys": {"enabled": "yes", "extra": 1},
                      "limits": {"max_duration_s": 0, "max_threads": True},
                      "load": {"profiles": ["cpu", "fork-bomb"]}})
    message = str(caught.value)
    for part in ("'colour'", "'blocksys.extra'", "version must be 1", "blocksys.enabled must be",
                 "max_duration_s = 0", "max_threads must be of type int", "fork-bomb"):
        assert part in message
    assert caught.value.exit_code == 2


def test_missing_or_broken_files_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="cannot read"):
        load_config(tmp_path / "absent.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("version = \n")
    with pytest.raises(UsageError, match="not valid TOML"):
        load_config(broken)
