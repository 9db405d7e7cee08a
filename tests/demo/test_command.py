"""``rtvirt demo`` end to end against a local agent (the lab's own run is in test_lab_demo)."""

import json
import subprocess

import pytest
from rtvirt.cli import build_parser, main
from rtvirt.commands.demo import lab_target_to_stop, target_and_labels
from rtvirt.store import Store


def test_demo_runs_scenarios_stores_them_and_writes_the_report(tmp_path, agent_uri, capsys):
    db, out = tmp_path / "host.sqlite", tmp_path / "report"
    status = main(["--db", str(db), "--target", agent_uri, "demo", "--duration", "2",
                   "--scenario", "idle", "--scenario", "blocksys-all", "-o", str(out)])
    assert status == 0
    printed = capsys.readouterr().out
    assert "skipping blocksys-all: blocksys is disabled" in " ".join(printed.split())
    assert f"report: {out / 'index.html'}" in printed
    with Store(db) as store:
        (row,) = store.list()
    assert row["labels"]["scenario"] == "idle" and row["labels"]["demo"] == "seed"
    assert row["labels"]["virtualization"]
    assert len(list(out.glob("*.png"))) == 1


def test_unknown_scenario_lists_the_choices(tmp_path, agent_uri, capsys):
    status = main(["--db", str(tmp_path / "db"), "--target", agent_uri, "demo",
                   "--scenario", "kvm", "-o", str(tmp_path)])
    assert status == 2
    assert "unknown scenario(s) kvm: choose from idle, container" in capsys.readouterr().err


@pytest.mark.parametrize("option, message", [
    (["--board", "rpi"], "invalid choice: 'rpi'"),
    (["--kernel", "5.10"], "invalid choice: '5.10'"),
    (["--duration", "0.5"], "'0.5' is not a duration of at least 1 s"),
    (["--duration", "nan"], "'nan' is not a duration of at least 1 s"),
])
def test_bad_options_are_usage_errors_naming_the_choices(option, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", *option])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_lab_targets_are_labelled_emulated():
    class Args:
        target, board, kernel = None, "imx8mp", None

    uri, labels = target_and_labels(Args)
    assert uri == "lab:imx8mp?kernel=6.12"
    assert labels == {"demo": "seed", "board": "imx8mp", "kernel": "6.12", "emulation": "tcg"}


def demo_args(*argv):
    return build_parser().parse_args(["demo", *argv])


def test_demo_stops_only_a_lab_target_it_boots(monkeypatch, tmp_path):
    monkeypatch.setenv("RTVIRT_LAB_RUN", str(tmp_path))
    assert lab_target_to_stop(demo_args("--board", "arm64")).board.name == "arm64"
    assert lab_target_to_stop(demo_args("--board", "arm64", "--keep")) is None
    assert lab_target_to_stop(build_parser().parse_args(
        ["--target", "exec:agent", "demo"])) is None
    (tmp_path / "arm64").mkdir()
    # a stand-in for a running target: the lab knows QEMU by its argv[0]
    qemu = subprocess.Popen(["qemu-system-stand-in", "60"], executable="sleep")
    try:
        running = {"board": "arm64", "kernel": "6.12", "release": "r", "shared_console": False,
                   "pid": qemu.pid, "console_pty": "", "agent_pty": "", "agent_tty": "",
                   "ivshmem": None, "started_at": 0.0}
        (tmp_path / "arm64" / "state.json").write_text(json.dumps(running))
        assert lab_target_to_stop(demo_args("--board", "arm64")) is None
    finally:
        qemu.kill()
        qemu.wait()
