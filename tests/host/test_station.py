"""A station: several boards qualified at once over shaped 115200-baud lines (real agents on
pty pairs), one JUnit suite per board, a board that drops off is an error for it alone."""

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from rtvirt.lab.local_boards import LocalBoards


@pytest.fixture
def boards(tmp_path, core_binary):
    def make(count):
        station = LocalBoards(tmp_path / "boards", core_binary, count)
        made.append(station)
        return station
    made = []
    yield make
    for station in made:
        station.__exit__(None, None, None)


def qualify_argv(tmp_path, limits, uris, parallel=None):
    (tmp_path / "limits.toml").write_text(limits)
    argv = [sys.executable, "-m", "rtvirt.cli", "--db", str(tmp_path / "s.sqlite"), "qualify",
            "--limits", str(tmp_path / "limits.toml"), "--junit", str(tmp_path / "j.xml"),
            "--parallel", str(parallel or len(uris))]
    for uri in uris:
        argv += ["--board", uri]
    return argv


def suites(tmp_path):
    return {suite.get("name"): suite for suite in ET.parse(tmp_path / "j.xml").getroot()}


def test_three_boards_at_once_each_get_a_suite_and_a_line(tmp_path, boards, passing_limits):
    station = boards(3)
    done = subprocess.run(qualify_argv(tmp_path, passing_limits(), station.uris),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    found = suites(tmp_path)
    assert set(found) == set(station.uris)
    for uri, suite in found.items():
        assert suite.get("failures") == suite.get("errors") == "0"
        assert int(suite.get("tests")) >= 1
        assert f"{uri}: measuring  idle" in done.stderr
        assert f"{uri}: done  PASS" in done.stderr


def test_a_board_that_drops_off_is_an_error_for_that_board_only(tmp_path, boards,
                                                               passing_limits):
    station = boards(3)
    lost = station.boards[1]
    qualify = subprocess.Popen(qualify_argv(tmp_path, passing_limits(5), station.uris),
                               stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    progress = []
    for line in qualify.stderr:  # the plain station view: one line per change of state
        progress.append(line)
        if line.startswith(f"{lost.uri}: measuring"):
            lost.cut()
            break
    rest, _ = qualify.communicate(timeout=300)
    assert qualify.returncode == 3, "".join(progress) + (rest or "")
    found = suites(tmp_path)
    assert found[lost.uri].get("errors") == "1"
    assert found[lost.uri].find("testcase/error") is not None
    for board in (station.boards[0], station.boards[2]):
        assert found[board.uri].get("errors") == found[board.uri].get("failures") == "0"
        assert int(found[board.uri].get("tests")) >= 1
