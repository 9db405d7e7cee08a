"""``rtvirt results`` list/show/compare/delete on real records of the core, and the output
formats every table command shares (plain when piped, json, csv, NO_COLOR)."""

import csv
import io
import json

import jsonschema
import pytest
from rtvirt.store import Store
from rtvirt_agent.wire.result import build_result, parse_result

from .conftest import REPO


@pytest.fixture
def stored(tmp_path, make_record):
    """Two real records in the CLI's store: ids by name."""
    with Store(tmp_path / "store.sqlite") as store:
        return {name: store.add(make_record(name), "exec:test")[0] for name in ("a", "b")}


def slower(data, factor):
    """The same record with every latency figure multiplied (a made-up regression)."""
    record = parse_result(data)
    for thread in record["threads"]:
        for key in ("max_ns", "p99_9_ns", "p99_99_ns"):
            thread[key] = int(thread[key] * factor)
    record["labels"] = {**record["labels"], "name": f"x{factor}"}
    return build_result(record)


def test_list_is_plain_and_untruncated_when_piped(rtvirt, stored):
    done = rtvirt("results", "list")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "2 stored result(s)"
    assert lines[1].split() == ["id", "stored", "board", "target", "labels", "threads",
                                "duration", "s", "max", "us"]
    assert all(line.isascii() for line in lines) and "\x1b" not in done.stdout
    assert {line.split()[0] for line in lines[2:]} == {rid[:12] for rid in stored.values()}


def test_list_filters_by_label_and_prints_json_and_csv(rtvirt, stored):
    rows = json.loads(rtvirt("results", "list", "--label", "name=a", "--format", "json").stdout)
    assert [row["id"] for row in rows] == [stored["a"]]
    assert rows[0]["threads"] == 1 and rows[0]["max_ns"] > 0 and rows[0]["duration_s"] > 0
    table = list(csv.DictReader(io.StringIO(rtvirt("results", "list", "--format",
                                                    "csv").stdout)))
    assert sorted(row["id"] for row in table) == sorted(stored.values())
    assert rtvirt("results", "list", "--json", "--label", "name=none").stdout.strip() == "[]"


def test_show_has_run_facts_and_the_table_json_has_ns(rtvirt, stored):
    done = rtvirt("results", "show", stored["a"][:8])
    assert done.returncode == 0, done.stderr
    assert "PM QoS" in done.stdout and "command  " in done.stdout and "p99.99 us" in done.stdout
    whole = json.loads(rtvirt("results", "show", stored["a"], "--json").stdout)
    assert whole["id"] == stored["a"] and whole["format"] == "rtvirt-result"
    schema = json.loads((REPO / "docs" / "result.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(whole)
    threads = json.loads(rtvirt("results", "show", stored["a"], "--format", "json").stdout)
    assert threads[0]["max_ns"] == whole["threads"][0]["max_ns"]


def test_show_and_t_lines_print_the_same_max(rtvirt, stored, tmp_path):
    """One rounding rule: whole µs, truncated, as in cyclictest's T: lines."""
    with Store(tmp_path / "store.sqlite") as store:
        record = parse_result(store.get(stored["a"]))
    shown = json.loads(rtvirt("results", "list", "--label", "name=a", "--json").stdout)[0]
    plain = rtvirt("results", "show", stored["a"]).stdout.splitlines()[-1].split()
    assert int(plain[9]) == record["threads"][0]["max_ns"] // 1000 == shown["max_ns"] // 1000


def test_compare_exits_1_on_a_regression(rtvirt, stored, tmp_path):
    with Store(tmp_path / "store.sqlite") as store:
        worse, _ = store.add(slower(store.get(stored["a"]), 3), "exec:test")
    same = rtvirt("results", "compare", stored["a"], stored["a"])
    assert same.returncode == 0, same.stdout + same.stderr
    bad = rtvirt("results", "compare", stored["a"], worse, "--max-regression", "50")
    assert bad.returncode == 1 and "REGRESSION" in bad.stdout
    allowed = rtvirt("results", "compare", stored["a"], worse, "--max-regression", "1000")
    assert allowed.returncode == 0, allowed.stdout
    assert rtvirt("results", "compare", stored["a"], worse, "--max-regression",
                  "-1").returncode == 2


def test_delete_from_store(rtvirt, stored):
    assert rtvirt("results", "delete", stored["a"][:10]).returncode == 0
    rows = json.loads(rtvirt("results", "list", "--json").stdout)
    assert [row["id"] for row in rows] == [stored["b"]]
    assert rtvirt("results", "delete", "ffff").returncode == 2
    assert rtvirt("results", "delete", stored["b"], "--on-target").returncode == 2


def test_delete_on_the_target_too(rtvirt, agent_uri):
    assert rtvirt("measure", "-l10", "-q", target=agent_uri).returncode == 0
    rid = json.loads(rtvirt("results", "list", "--json").stdout)[0]["id"]
    done = rtvirt("results", "delete", rid, "--on-target", target=agent_uri)
    assert done.returncode == 0, done.stderr
    assert "1 deleted on the target" in done.stderr
    fetched = rtvirt("results", "fetch", target=agent_uri)
    assert "0 result(s) on the target" in fetched.stderr
