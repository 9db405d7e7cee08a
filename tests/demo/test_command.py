"""``rtvirt demo`` end to end against a local agent (the lab's own run is in test_lab_demo)."""

import pytest
from rtvirt.cli import main
from rtvirt.commands.demo import target_and_labels
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
