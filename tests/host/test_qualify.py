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


def test_per_cpu_limits_override_common_ones():
    limits = parse_limits(LIMITS, "l.toml")
    assert limits.bounds.for_cpu(0) == {"max_us": 1000000, "missed": 1000000, "avg_us": 0}
    assert limits.bounds.for_cpu(1) == {"max_us": 1000000, "missed": 1000000}


def test_qualify_fails_on_exceeded_limit_and_writes_junit(rtvirt, tmp_path, record):
    (tmp_path / "r.rtr").write_bytes(record)
    (tmp_path / "limits.toml").write_text(LIMITS)
    done = rtvirt("qualify", "--limits", str(tmp_path / "limits.toml"), "--junit",
                  str(tmp_path / "j.xml"), str(tmp_path / "r.rtr"))
    assert done.returncode == 1, done.stderr
    suite = ET.parse(tmp_path / "j.xml").getroot()
    assert suite.get("failures") == "1" and suite.tag == "testsuites"
    assert [case.get("name") for case in suite.iter("testcase")
            if case.find("failure") is not None] == ["cpu0.avg_us"]


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
    with pytest.raises(UsageError, match=r"measure.cell: must be a string, not 2"):
        parse_limits('version = 1\n[limits]\nmax_us = 1\n[measure]\ncell = 2\n', "l.toml")


QUALIFY = """
version = 1
[limits]
max_us = 1e9
[measure]
duration_s = 1
interval_us = 1000
affinity = "0"
[gates]
diagnose = ["kernel"]
[scenario.idle]
[scenario.load]
load_cpus = "0"
[scenario.load.limits]
avg_us = 0
"""


def test_a_fresh_qualification_runs_gates_and_every_scenario(rtvirt, tmp_path, agent_uri):
    """Real agent, real core, real stress-ng: one JUnit suite for the board, with its
    properties, a gate case and cases per scenario; the load scenario's own limit fails."""
    (tmp_path / "limits.toml").write_text(QUALIFY)
    done = rtvirt("qualify", "--limits", str(tmp_path / "limits.toml"), "--junit",
                  str(tmp_path / "j.xml"), target=agent_uri)
    assert done.returncode == 1, done.stderr
    assert f"{agent_uri}: measuring  idle" in done.stderr
    assert f"{agent_uri}: measuring  load" in done.stderr
    suite = ET.parse(tmp_path / "j.xml").getroot().find("testsuite")
    assert suite.get("name") == agent_uri and suite.get("hostname") and suite.get("timestamp")
    assert float(suite.get("time")) > 0
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["target"] == agent_uri and properties["kernel_release"]
    cases = {(case.get("classname"), case.get("name")): case for case in suite.iter("testcase")}
    assert ("gates", "diagnose.kernel") in cases
    assert cases[("load", "cpu0.avg_us")].find("failure") is not None
    assert cases[("idle", "cpu0.max_us")].find("failure") is None
    assert ("idle", "cpu0.avg_us") not in cases


@pytest.mark.parametrize("target", ["serial:/dev/rtvirt-no-such-port", "exec:true"])
def test_an_unreachable_board_still_gets_a_junit_report_with_an_error(rtvirt, tmp_path,
                                                                        target):
    (tmp_path / "limits.toml").write_text(LIMITS)
    done = rtvirt("qualify", "--limits", str(tmp_path / "limits.toml"), "--junit",
                  str(tmp_path / "j.xml"), target=target)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    root = ET.parse(tmp_path / "j.xml").getroot()
    assert root.get("errors") == "1" and root.get("failures") == "0"
    error = root.find("testsuite/testcase/error")
    assert error is not None and error.get("message")
