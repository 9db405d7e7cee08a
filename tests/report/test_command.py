import json

import pytest
from rtvirt.cli import main
from rtvirt.report.sources import load_runs, run_from_file
from rtvirt.store import Store
from rtvirt_agent.wire.errors import ResultFormatError, UsageError
from rtvirt_agent.wire.result import build_result, parse_result, result_to_json


@pytest.fixture(name="records")
def records_fixture(make_record, make_cpu):
    return [build_result(make_record("idle")),
            build_result(make_record("blocksys-all", cpus=[make_cpu(0, max_ns=4_100_000)])),
            build_result(make_record("container", pm_qos_held=False))]


def test_report_from_store_prefix_binary_file_and_json_file(tmp_path, records, capsys):
    db = tmp_path / "results.sqlite"
    with Store(db) as store:
        stored_id, _ = store.add(records[0], "exec:test")
    binary = tmp_path / "run.rtr"
    binary.write_bytes(records[1])
    exported = tmp_path / "run.json"
    exported.write_text(json.dumps(result_to_json(parse_result(records[2]))))
    out = tmp_path / "report"
    status = main(["--db", str(db), "report", stored_id[:10], str(binary), str(exported),
                   "-o", str(out)])
    assert status == 0
    printed = capsys.readouterr().out
    assert f"report: {out / 'index.html'}" in printed
    page = (out / "index.html").read_text()
    assert [name for name in ("idle", "blocksys-all", "container") if f">{name}" in page] == [
        "idle", "blocksys-all", "container"]
    assert len(list(out.glob("*.png"))) == 3
    assert "4100" in printed  # the comparison table went to the terminal too


def test_unknown_result_is_a_usage_error(tmp_path):
    with Store(tmp_path / "db.sqlite") as store, \
            pytest.raises(UsageError, match="no stored result"):
        load_runs(["deadbeef"], store)


def test_corrupt_result_file_is_a_format_error(tmp_path, records):
    damaged = tmp_path / "bad.rtr"
    damaged.write_bytes(records[0][:-1] + bytes([records[0][-1] ^ 0xFF]))
    with pytest.raises(ResultFormatError, match="CRC"):
        run_from_file(damaged)
    broken_json = tmp_path / "bad.json"
    broken_json.write_text("{not json")
    with pytest.raises(ResultFormatError, match="not a JSON result"):
        run_from_file(broken_json)


def test_cli_exit_codes_for_bad_references(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "db.sqlite"), "report", "cafe", "-o",
                 str(tmp_path / "out")]) == 2
    bad = tmp_path / "x.rtr"
    bad.write_bytes(b"RTVR")
    assert main(["--db", str(tmp_path / "db.sqlite"), "report", str(bad), "-o",
                 str(tmp_path / "out")]) == 4
    assert "truncated" in capsys.readouterr().err
