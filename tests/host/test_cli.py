"""The rtvirt command against a real agent process (exec: transport) and its exit codes."""

import json

from rtvirt_agent.wire.result import FORMAT_NAME


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
    assert [t["cycles"] for t in exported["threads"]] == [200, 200]

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
