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
                   "--only", "idle", "blocksys-all", "container", "-o", str(out)])
    assert status == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "skipping blocksys-all: blocksys is disabled" in printed
    assert f"report: {out / 'index.html'}" in printed
    with Store(db) as store:
        rows = {row["labels"]["scenario"]: row for row in store.list()}
    assert sorted(rows) == ["container", "idle"]
    assert rows["idle"]["labels"]["demo"] == "seed" and rows["idle"]["labels"]["virtualization"]
    assert len(list(out.glob("*.png"))) == 2
    # the seed's comparison: Docker filled from this run's results, the others not measured
    assert "The seed's comparison" in printed and "not measured in" in printed
    page = (out / "index.html").read_text()
    assert "comparison of technologies" in page
    assert f'href="#{rows["container"]["id"]}"' in page


def test_unknown_scenario_lists_the_choices(tmp_path, agent_uri, capsys):
    status = main(["--db", str(tmp_path / "db"), "--target", agent_uri, "demo",
                   "--only", "kvm", "-o", str(tmp_path)])
    assert status == 2
    assert "unknown scenario(s) kvm: choose from idle, container" in capsys.readouterr().err


def test_list_names_every_scenario_without_a_target(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("RTVIRT_LAB_RUN", str(tmp_path))
    assert main(["demo", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    listed = {line.split()[0]: line for line in lines if line.startswith("  ")}
    for name in ("idle", "container-blocksys", "concurrent", "host-load",
                 "container-load", "llc-stress", "llc-stress-cpu0-1", "priospread",
                 "jailhouse-root-idle"):
        assert name in listed
    assert "stress-ng --malloc 512k" in listed["llc-stress-cpu0-1"]
    assert list(tmp_path.iterdir()) == []  # nothing was booted


@pytest.mark.parametrize("option, message", [
    (["--board", "rpi"], "invalid choice: 'rpi'"),
    (["--kernel", "5.10"], "invalid choice: '5.10'"),
    (["--duration", "0.5"], "'0.5' is not a duration of at least 1 s"),
    (["--duration", "nan"], "'nan' is not a duration of at least 1 s"),
    (["--all", "--only", "idle"], "not allowed with argument"),
    (["--only"], "expected at least one argument"),
])
def test_bad_options_are_usage_errors_naming_the_choices(option, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", *option])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_lab_targets_are_labelled_emulated():
    uri, labels = target_and_labels(demo_args("--board", "imx8mp"))
    assert uri == "lab:imx8mp?kernel=6.12"
    assert labels == {"demo": "seed", "board": "imx8mp", "kernel": "6.12", "emulation": "tcg"}


def test_jailhouse_demo_boots_the_jailhouse_board_unless_told_otherwise():
    assert target_and_labels(demo_args("--jailhouse"))[0] == "lab:jailhouse-arm64?kernel=6.12"
    assert target_and_labels(demo_args())[0] == "lab:x86?kernel=6.1"


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


def test_a_demo_of_which_nothing_can_run_is_a_usage_error(tmp_path, agent_uri, capsys):
    status = main(["--db", str(tmp_path / "db"), "--target", agent_uri, "demo", "--jailhouse",
                   "-o", str(tmp_path / "report")])
    assert status == 2
    captured = capsys.readouterr()
    assert "skipping jailhouse-root-idle: no running Jailhouse cell rtvirt-baremetal" in \
        " ".join(captured.out.split())
    assert "none of the chosen scenarios can run on this target" in captured.err
    assert not (tmp_path / "report").exists()
