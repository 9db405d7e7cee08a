"""Bad input gives a typed message and a documented exit code, never a traceback (issue 14
items 8 and 14). Each case runs the real ``rtvirt`` command in a subprocess."""

import json
import sqlite3
import subprocess
import sys

import pytest
from rtvirt.store import Store
from rtvirt_agent.wire.result import build_result

from tests.report.conftest import make_record as make_report_record


def refused(done, code, *words):
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == code, done.stdout + done.stderr
    for word in words:
        assert word.lower() in done.stderr.lower(), done.stderr


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 256 KiB tmpfs mounted for the test (needs root; a full disk for real)."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs",
                              str(mount_point)], capture_output=True)
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=True)


@pytest.fixture
def rtvirt_at(tmp_path):
    """Run rtvirt with ``--db DB``."""

    def run(db, *args, target=None):
        argv = [sys.executable, "-m", "rtvirt.cli", "--db", str(db)]
        argv += ["--target", target] if target else []
        return subprocess.run(argv + list(args), capture_output=True, text=True, timeout=120)
    return run


@pytest.mark.parametrize("content", [b"not a database at all\n" * 100,
                                     b"SQLite format 3\0" + bytes(200)])
def test_a_store_that_is_not_a_database(rtvirt_at, tmp_path, content):
    db = tmp_path / "bad.sqlite"
    db.write_bytes(content)
    refused(rtvirt_at(db, "results", "list"), 4, str(db), "not an rtvirt result store")


def test_a_truncated_store(rtvirt_at, tmp_path):
    db = tmp_path / "s.sqlite"
    assert rtvirt_at(db, "results", "list").returncode == 0
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("CREATE TABLE filler (x BLOB)")
        connection.executemany("INSERT INTO filler VALUES (?)", [(bytes(3000),)] * 20)
    db.write_bytes(db.read_bytes()[:6000])
    refused(rtvirt_at(db, "results", "list"), 4, str(db))


def test_a_directory_as_store(rtvirt_at, tmp_path):
    refused(rtvirt_at(tmp_path, "results", "list"), 2, str(tmp_path), "directory")


def test_a_read_only_data_directory(rtvirt_at, tmp_path, small_tmpfs):
    db = small_tmpfs / "s.sqlite"
    assert rtvirt_at(db, "results", "list").returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    refused(rtvirt_at(db, "results", "list"), 4, str(db), "read-only")
    refused(rtvirt_at(small_tmpfs / "new.sqlite", "results", "list"), 4, "read-only")


def test_a_full_data_directory(rtvirt_at, tmp_path, small_tmpfs, record):
    db = small_tmpfs / "s.sqlite"
    (small_tmpfs / "ballast").write_bytes(bytes(200 * 1024))
    source = tmp_path / "r.rtr"
    source.write_bytes(record)
    done = rtvirt_at(db, "report", str(source), "-o", str(small_tmpfs / "report"))
    refused(done, 4, "No space left on device")


def test_export_into_a_missing_folder(rtvirt, tmp_path, record):
    with Store(tmp_path / "store.sqlite") as store:
        rid, _ = store.add(record, "exec:x")
    out = tmp_path / "missing" / "r.json"
    refused(rtvirt("results", "export", rid[:8], "-o", str(out)), 2, str(out))


def test_measure_output_into_a_missing_folder_keeps_the_result(rtvirt, agent_uri, tmp_path):
    out = tmp_path / "missing" / "r.json"
    done = rtvirt("measure", "-t1", "-l20", "-q", "-o", str(out), target=agent_uri)
    refused(done, 2, str(out))
    assert len(json.loads(rtvirt("results", "list", "--json").stdout)) == 1


def test_an_unterminated_exec_command_line(rtvirt):
    refused(rtvirt("hello", target='exec:"unterminated'), 2, "exec:")


@pytest.mark.parametrize("cpus", ["abc", "0-4000000000", "5-1"])
def test_diagnose_rt_cpus(rtvirt, cpus):
    refused(rtvirt("diagnose", "--rt-cpus", cpus, target="exec:true"), 2, "--rt-cpus")


@pytest.mark.parametrize("scenario", ["$\\frac{1}{$", "x" * 1000, "a/../../b"])
def test_report_with_hostile_scenario_labels(rtvirt, tmp_path, scenario):
    source = tmp_path / "r.rtr"
    source.write_bytes(build_result(make_report_record(scenario=scenario)))
    done = rtvirt("report", str(source), "-o", str(tmp_path / "report"))
    assert done.returncode == 0, done.stderr
    pngs = list((tmp_path / "report").glob("*.png"))
    assert len(pngs) == 1 and pngs[0].stat().st_size > 1000


@pytest.mark.parametrize("wildcard", ["%", "_", "_%"])
def test_result_ids_are_prefixes_not_patterns(rtvirt, tmp_path, record, wildcard):
    with Store(tmp_path / "store.sqlite") as store:
        store.add(record, "exec:x")
    refused(rtvirt("results", "show", wildcard), 2, "no stored result")
