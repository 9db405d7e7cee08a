import xml.etree.ElementTree as ET

import pytest
from rtvirt.qualify.limits import parse_limits
from rtvirt_agent.wire.errors import UsageError

LIMITS = """
version = 1
[limits]
max_us = 1000000
missed = 1000000
[limits.cpu.0]
avg_us = 0
"""


def test_every_limits_error_is_reported_at_once():
    with pytest.raises(UsageError) as caught:
        parse_limits('version = 2\n[limits]\nmax_us = -1\nfoo = 3\n[measure]\nbar = 1\n', "l.toml")
    message = str(caught.value)
    for part in ("version must be 1", "max_us must be a number", "unknown limit 'foo'",
                 "unknown key 'bar'"):
        assert part in message


def test_per_cpu_limits_override_common_ones():
    limits = parse_limits(LIMITS, "l.toml")
    assert limits.for_cpu(0) == {"max_us": 1000000, "missed": 1000000, "avg_us": 0}
    assert limits.for_cpu(1) == {"max_us": 1000000, "missed": 1000000}


def test_qualify_fails_on_exceeded_limit_and_writes_junit(rtvirt, tmp_path, record):
    (tmp_path / "r.rtr").write_bytes(record)
    (tmp_path / "limits.toml").write_text(LIMITS)
    done = rtvirt("qualify", "--limits", str(tmp_path / "limits.toml"), "--junit",
                  str(tmp_path / "j.xml"), str(tmp_path / "r.rtr"))
    assert done.returncode == 1, done.stderr
    suite = ET.parse(tmp_path / "j.xml").getroot()
    assert suite.get("failures") == "1"
    assert [case.get("name") for case in suite if case.find("failure") is not None] == \
        ["cpu0.avg_us"]


def test_qualify_passes_generous_limits(rtvirt, tmp_path, record):
    (tmp_path / "r.rtr").write_bytes(record)
    (tmp_path / "limits.toml").write_text("version = 1\n[limits]\nmax_us = 1e9\n")
    done = rtvirt("qualify", "--limits", str(tmp_path / "limits.toml"), str(tmp_path / "r.rtr"))
    assert done.returncode == 0, done.stderr
    assert "within limits" in done.stdout


def test_a_cell_in_the_measure_table_is_measured_through_the_root_cells_agent(
        rtvirt, tmp_path, agent_uri):
    """The op is cell.measure: an agent without Jailhouse says so (exit 4), naming the cell
    mechanism rather than measuring the root cell by mistake."""
    (tmp_path / "limits.toml").write_text(
        'version = 1\n[limits]\nmax_us = 1e9\n[measure]\ncell = "rtvirt-linux-rt"\n'
        'duration_s = 1\n')
    done = rtvirt("qualify", "--limits", str(tmp_path / "limits.toml"), target=agent_uri)
    assert done.returncode == 4
    assert "jailhouse-not-enabled" in done.stderr


def test_the_cell_must_be_a_name():
    with pytest.raises(UsageError, match=r"\[measure\]: cell has the wrong type"):
        parse_limits('version = 1\n[limits]\nmax_us = 1\n[measure]\ncell = 2\n', "l.toml")
