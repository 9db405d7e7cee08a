"""The rtvirt command against a real agent process (exec: transport) and its exit codes."""

import json
import os
import subprocess
import sys

import pytest
from rtvirt.cyclictest_json import cyclictest_json
from rtvirt_agent.wire.result import FORMAT_NAME, parse_result


def test_hello_names_agent_and_core(rtvirt, agent_uri, core_binary):
    done = rtvirt("hello", target=agent_uri)
    assert done.returncode == 0, done.stderr
    assert "agent 0.1.0" in done.stdout
    assert str(core_binary) in done.stdout


def test_measure_stores_once_and_fetch_adds_nothing_new(rtvirt, agent_uri, tmp_path):
    done = rtvirt("measure", "-t2", "-i1000", "-l200", "-q", "--label", "scenario=unit",
                  "-o", str(tmp_path / "r.json"), target=agent_uri)
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stdout.splitlines() if line.startswith("T:")][1]
    exported = json.loads((tmp_path / "r.json").read_text())
    assert exported["format"] == FORMAT_NAME
    assert exported["labels"] == {"scenario": "unit"}
    # cyclictest 2.x: the first thread done ends the run (docs/result-format.md)
    assert max(t["cycles"] for t in exported["threads"]) == 200

    fetched = rtvirt("results", "fetch", target=agent_uri)
    assert fetched.returncode == 0, fetched.stderr
    assert "1 result(s) on the target, 0 new" in fetched.stderr


def test_export_binary_round_trips(rtvirt, agent_uri, tmp_path):
    assert rtvirt("measure", "-t1", "-l20", "-q", target=agent_uri).returncode == 0
    listing = rtvirt("results", "fetch", "--delete", target=agent_uri)
    assert listing.returncode == 0, listing.stderr
    rows = json.loads(rtvirt("results", "list", "--json").stdout)
    assert len(rows) == 1
    rid = rows[0]["id"][:10]
    out = tmp_path / "r.rtr"
    assert rtvirt("results", "export", rid, "--format", "binary", "-o", str(out)).returncode == 0
    assert out.read_bytes()[:4] == b"RTVR"
    assert rtvirt("results", "show", rid).returncode == 0
    again = rtvirt("results", "fetch", target=agent_uri)
    assert "0 result(s) on the target" in again.stderr


def test_exit_codes(rtvirt, tmp_path):
    assert rtvirt("hello", target="tcp:board").returncode == 2
    assert rtvirt("measure", "-D", "soon", target="exec:true").returncode == 2
    gone = rtvirt("hello", target="exec:true", timeout=60)
    assert gone.returncode == 3, gone.stderr
    assert "rtvirt:" in gone.stderr and "Traceback" not in gone.stderr
    assert rtvirt("results", "show", "abc").returncode == 2


def test_measure_takes_cyclictest_command_lines(rtvirt, agent_uri, tmp_path):
    """-a and -t without values, -n, -b, --json FILE in cyclictest's layout; no -p: P: 0."""
    out = tmp_path / "ct.json"
    done = rtvirt("measure", "-a", "-t", "-n", "-i500", "-l100", "-b", "100000", "-q",
                  "--json", str(out), target=agent_uri)
    assert done.returncode == 0, done.stderr
    t_lines = [line for line in done.stdout.splitlines() if line.startswith("T:")]
    assert len(t_lines) == len(os.sched_getaffinity(0))
    assert all(" P: 0 " in line for line in t_lines)
    doc = json.loads(out.read_text())
    assert doc["num_threads"] == len(t_lines) and doc["return_code"] == 0
    assert sorted(int(t["cpu"]) for t in doc["thread"].values()) == sorted(
        os.sched_getaffinity(0))


def test_core_json_and_host_conversion_agree(core_binary, tmp_path):
    """rtvirt-measure --json and the host's conversion of the same run's record."""
    ct, rec = tmp_path / "ct.json", tmp_path / "r.rtr"
    done = subprocess.run([str(core_binary), "-t2", "-i500", "-l50", "-h100", "-q",
                           f"--json={ct}", f"--result={rec}"], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "TZ": "UTC"})
    assert done.returncode == 0, done.stderr
    ours = cyclictest_json(parse_result(rec.read_bytes()), 0)
    theirs = json.loads(ct.read_text())
    for mine, ref in zip(ours["thread"].values(), theirs["thread"].values(), strict=True):
        # cyclictest averages truncated us, the record keeps the ns average
        assert 0 <= mine.pop("avg") - ref.pop("avg") < 1
    assert ours == theirs


def test_flags_beyond_the_op_description_are_usage_errors_before_connecting(rtvirt, tmp_path):
    """Issue 14 item 10: the CLI's checks come from wire.opspec; the target is not started."""
    contacted = tmp_path / "contacted"
    for flags, named in ((("-p", "200"), "-p/--priority"), (("-i", "1"), "-i/--interval"),
                         (("-a", "0-4000000000"), "-a/--affinity"), (("-t", "5000"), "-t"),
                         (("-D", "30d"), "-D/--duration"), (("--label", "1=x"), "--label")):
        done = rtvirt("measure", *flags, target=f"exec:touch {contacted}")
        assert done.returncode == 2, done.stderr
        assert named in done.stderr and "usage:" in done.stderr, done.stderr
    assert not contacted.exists()


def test_a_cpu_the_target_lacks_is_a_usage_error_naming_the_flag(rtvirt, agent_uri):
    done = rtvirt("measure", "-a", "1023", "-l", "10", "-q", target=agent_uri)
    assert done.returncode == 2, done.stderr
    assert "-a/--affinity" in done.stderr and "not online" in done.stderr, done.stderr


def test_the_command_line_loads_no_agent_machinery():
    """The host's parser takes its checks from the shared wire package, not the agent's
    entry point (which would load every op at each start of rtvirt)."""
    probe = ("import sys; from rtvirt.cli import build_parser; build_parser(); "
             "print(sorted(m for m in sys.modules if m.startswith(('rtvirt_agent.ops', "
             "'rtvirt_agent.main'))))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert loaded.stdout.strip() == "[]"


@pytest.mark.parametrize("deadline", ["0", "-1", "abc", "nan"])
def test_a_deadline_that_is_not_a_positive_number_is_a_usage_error(rtvirt, deadline):
    done = rtvirt("--deadline", deadline, "hello", target="exec:true")
    assert done.returncode == 2 and "argument --deadline: must be a number" in done.stderr
