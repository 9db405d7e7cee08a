"""rtvirt on labgrid, against a real coordinator and exporter: a place acquired for a command
and released after it, an environment file with rtvirt's driver and strategy powering a board
through labgrid's ExternalPowerDriver, and pytest --lg-env running a qualification."""

import json
import shlex
import subprocess
import sys
from pathlib import Path

from .conftest import client

REPO = Path(__file__).resolve().parents[2]


def rtvirt(tmp_path, target, *args):
    return subprocess.run([sys.executable, "-m", "rtvirt.cli", "--db",
                           str(tmp_path / "s.sqlite"), "--target", target, *args],
                          capture_output=True, text=True, timeout=300)


def test_a_place_is_acquired_for_the_command_and_released(tmp_path, coordinator,
                                                           exported_place, passing_limits):
    target = f"labgrid:place={exported_place}?coordinator={coordinator}"
    hello = rtvirt(tmp_path, target, "hello")
    assert hello.returncode == 0, hello.stderr
    assert hello.stdout.startswith("agent ") and "ops: " in hello.stdout
    shown = client(coordinator, "-p", exported_place, "show").stdout
    assert "acquired: None" in shown
    (tmp_path / "limits.toml").write_text(passing_limits())
    done = rtvirt(tmp_path, target, "qualify", "--limits", str(tmp_path / "limits.toml"))
    assert done.returncode == 0, done.stderr


def test_a_place_someone_else_holds_is_an_error_naming_it(tmp_path, coordinator,
                                                         exported_place):
    client(coordinator, "-p", exported_place, "acquire")
    done = rtvirt(tmp_path, f"labgrid:place={exported_place}?coordinator={coordinator}",
                  "hello")
    assert done.returncode == 3 and "acquire of place board1" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unknown_place_is_exit_3_naming_it(tmp_path, coordinator):
    unknown = rtvirt(tmp_path, f"labgrid:place=nowhere?coordinator={coordinator}", "hello")
    assert unknown.returncode == 3 and "nowhere" in unknown.stderr


def power_commands(tmp_path, board_line, core):
    """cmd_on starts an agent on the board's line in the background, cmd_off stops it."""
    config = tmp_path / "powered-agent.toml"
    config.write_text(f'version = 1\nresults_dir = "{tmp_path / "powered"}"\ncore = "{core}"\n')
    pid = tmp_path / "agent.pid"
    agent = shlex.join([sys.executable, "-m", "rtvirt_agent.main", "--serial",
                        board_line.agent_path, "--config", str(config)])
    background = f"{agent} </dev/null >>{tmp_path}/powered.log 2>&1 & echo $! > {pid}"
    on = f"setsid sh -c {shlex.quote(background)}"
    off = f"sh -c {shlex.quote(f'[ -f {pid} ] && kill $(cat {pid}) && rm {pid} || true')}"
    return on, off


def environment(tmp_path, line, core):
    on, off = power_commands(tmp_path, line, core)
    env = {"targets": {"main": {
        "resources": {"RawSerialPort": {"port": line.host_path, "speed": 115200}},
        "drivers": {"ExternalPowerDriver": {"cmd_on": on, "cmd_off": off, "delay": 0.0},
                    "RtvirtDriver": {}, "RtvirtStrategy": {"boot_timeout": 60.0}}}},
        "imports": ["rtvirt.labgrid"]}
    path = tmp_path / "env.yaml"
    path.write_text(json.dumps(env))  # JSON is YAML
    return path


def test_an_environment_file_powers_the_board_and_reaches_its_agent(tmp_path, core_binary):
    from rtvirt.lab.line_shaper import LineShaper

    with LineShaper(latency=0.001) as line:
        env = environment(tmp_path, line, core_binary)
        done = rtvirt(tmp_path, f"labgrid:{env}", "hello")
        subprocess.run(["sh", "-c", f"kill $(cat {tmp_path}/agent.pid)"], check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("agent ") and "ops: " in done.stdout


QUALIFICATION_TEST = '''
def test_the_board_qualifies(rtvirt_qualify):
    report = rtvirt_qualify(LIMITS)
    assert report.passed, [verdict.describe() for verdict in report.verdicts]

LIMITS = {limits!r}
'''


def test_pytest_with_lg_env_runs_a_qualification(tmp_path, core_binary, passing_limits):
    """Installing rtvirt registers its fixtures: no ``-p`` on the command line."""
    from rtvirt.lab.line_shaper import LineShaper

    (tmp_path / "test_board.py").write_text(QUALIFICATION_TEST.format(limits=passing_limits()))
    with LineShaper(latency=0.001) as line:
        env = environment(tmp_path, line, core_binary)
        done = subprocess.run([sys.executable, "-m", "pytest",
                               "--lg-env", str(env), str(tmp_path / "test_board.py"),
                               "--junitxml", str(tmp_path / "junit.xml"), "-q",
                               "-p", "no:cacheprovider", "--rootdir", str(tmp_path)],
                              capture_output=True, text=True, timeout=300, cwd=tmp_path)
        subprocess.run(["sh", "-c", f"kill $(cat {tmp_path}/agent.pid)"], check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert 'tests="1"' in (tmp_path / "junit.xml").read_text()


def test_the_pytest_plugin_every_run_loads_imports_no_labgrid():
    """pytest loads rtvirt.pytestplugin in every run, where labgrid may not be installed."""
    done = subprocess.run([sys.executable, "-c", "import sys, rtvirt.pytestplugin; "
                           "print(sorted(m for m in sys.modules if m.startswith('labgrid')))"],
                          capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout == "[]\n"


def test_the_published_environment_file_binds_rtvirts_driver_and_strategy():
    import labgrid
    import rtvirt.labgrid

    env = labgrid.Environment(config_file=str(REPO / "examples" / "labgrid-env.yaml"))
    main = env.get_target("main")
    strategy = main.get_driver(rtvirt.labgrid.RtvirtStrategy, activate=False)
    assert strategy.rtvirt.port.name == "agent" and strategy.console is not None
    assert strategy.power is not None and strategy.console_ready == "login: "


def test_a_coordinator_that_is_not_there_is_exit_3_naming_it(tmp_path):
    from .conftest import free_port

    address = f"127.0.0.1:{free_port()}"
    done = rtvirt(tmp_path, f"labgrid:place=board1?coordinator={address}", "hello")
    assert done.returncode == 3 and address in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_environment_file_is_a_usage_error(tmp_path):
    done = rtvirt(tmp_path, f"labgrid:{tmp_path}/absent.yaml", "hello")
    assert done.returncode == 2 and "absent.yaml not found" in done.stderr
