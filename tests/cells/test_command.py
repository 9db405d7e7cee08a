"""``rtvirt cells check``: exit codes, human and JSON output, typed errors for bad files."""

import argparse
import json

import pytest
from rtvirt.cells.builder import ivshmem_device
from rtvirt.commands import cells
from rtvirt_agent.wire.errors import ProtocolError, RemoteError, UsageError

from .cellsets import inmate_config, root_config


def check(*argv):
    parser = argparse.ArgumentParser()
    cells.setup_parser(parser)
    return cells.run(parser.parse_args(["check", *argv]))


@pytest.fixture
def cell_files(tmp_path):
    def write(**blobs):
        paths = []
        for name, blob in blobs.items():
            path = tmp_path / f"{name}.cell"
            path.write_bytes(blob)
            paths.append(str(path))
        return paths
    return write


def test_good_set_exits_0(cell_files, capsys):
    assert check(*cell_files(root=root_config(), inmate=inmate_config())) == 0
    out = capsys.readouterr().out
    assert 'root cell "rtvirt-root", revision 14, arm64, CPUs 0-3' in out
    assert out.rstrip().endswith("OK: 0 errors, 0 warnings in 2 files")


def test_failed_check_exits_1_and_names_cells(cell_files, capsys):
    bad = inmate_config(devices=[ivshmem_device(0, 0, 1, 3, domain=2)])
    assert check(*cell_files(root=root_config(), inmate=bad)) == 1
    out = capsys.readouterr().out
    assert "FAIL [ivshmem] ivshmem link 0002:00:00.0: peer count differs" in out
    assert '"rt-inmate"' in out


def test_json_report(cell_files, capsys):
    assert check(*cell_files(root=root_config(), inmate=inmate_config(cpus={5})), "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == "rtvirt-cells-check" and report["ok"] is False
    assert [f["check"] for f in report["findings"]] == ["cpus"]
    assert report["files"][1]["cpus"] == [5]


def test_malformed_file_is_protocol_error(cell_files):
    (path,) = cell_files(broken=root_config()[:100])
    with pytest.raises(ProtocolError, match="broken.cell: truncated"):
        check(path)


def test_missing_file_and_two_roots_are_usage_errors(cell_files, tmp_path):
    with pytest.raises(UsageError, match="cannot read"):
        check(str(tmp_path / "missing.cell"))
    with pytest.raises(UsageError, match="more than one system configuration"):
        check(*cell_files(a=root_config(), b=root_config()))


def test_list_asks_the_targets_agent_and_says_when_jailhouse_is_off(agent_uri):
    parser = argparse.ArgumentParser()
    cells.setup_parser(parser)
    args = parser.parse_args(["list"])
    args.target = agent_uri
    with pytest.raises(RemoteError, match="jailhouse-not-enabled: Jailhouse is not enabled"):
        cells.run(args)
