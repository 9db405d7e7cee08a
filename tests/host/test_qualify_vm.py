"""The limits file's ``vm`` scenario: qualify measures in a KVM guest through the host's agent
(its relay with a real guest agent behind the VM's socket, no QEMU: tests/conftest.py's
vm_sysroot), and the file names the guest it means."""

import os
import threading

import pytest
from rtvirt.demo.scenario import Measurement
from rtvirt.qualify.board import qualify_board
from rtvirt.qualify.limits import parse_limits
from rtvirt.qualify.scenarios import scenario_of
from rtvirt.qualify.station import StationView
from rtvirt.store import Store
from rtvirt_agent.config import default_config
from rtvirt_agent.ops import Agent, build_handlers
from rtvirt_agent.protocol.rpc import Client, Server
from rtvirt_agent.streams import FdStream
from rtvirt_agent.wire.errors import UsageError


@pytest.fixture
def kvm_host(vm_sysroot, tmp_path, core_binary):
    """open_client() of the KVM host's agent (served in this process: the relay reads the VMs
    of vm_sysroot, which a separate agent process could not be pointed at)."""
    config = default_config().with_results_dir(tmp_path / "host")
    handlers, hello = build_handlers(Agent(config, sysroot=str(vm_sysroot)))
    servers = []

    def open_client():
        host_read, agent_write = os.pipe()
        agent_read, host_write = os.pipe()
        server = Server(FdStream(agent_read, agent_write), handlers, hello=hello)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        client = Client(FdStream(host_read, host_write), timeout=10)
        return client, client.connect()
    yield open_client
    for server, thread in servers:
        server.close()
        thread.join(timeout=10)


def test_a_vm_scenario_measures_in_the_guest_and_a_stopped_guest_fails_alone(
        kvm_host, tmp_path, passing_limits):
    limits = parse_limits(passing_limits() + '[scenario.vm]\nvm = "guest"\n'
                          '[scenario.idle]\nvm = "stopped"\n', "limits.toml")
    db = tmp_path / "station.sqlite"
    report = qualify_board("kvm-host", limits, str(db), StationView(["kvm-host"]),
                           open_client=kvm_host)
    failed = [verdict for verdict in report.verdicts if not verdict.passed]
    assert [verdict.scenario for verdict in failed] == ["idle"], failed
    assert "VM stopped is shut off, not running" in failed[0].describe()
    assert any(verdict.scenario == "vm" for verdict in report.verdicts)
    with Store(db) as store:
        (stored,) = store.list()
    assert stored["labels"]["vm"] == "guest" and stored["labels"]["where"] == "vm:guest"


def test_the_vm_scenario_is_the_engines_vm_place(passing_limits):
    limits = parse_limits(passing_limits() + '[scenario.vm]\nvm = "rt-guest"\n'
                          '[scenario.load]\nvm = "rt-guest"\n', "l.toml")
    for plan in limits.plans:
        (measurement,) = scenario_of(plan, housekeeping_cpu=0).measurements
        assert measurement == Measurement("vm:rt-guest", measurement.args)


@pytest.mark.parametrize("table, problem", [
    ("[scenario.vm]\n", 'scenario.vm: name the vm \\(vm = "NAME"\\)'),
    ('[scenario.vm]\nvm = "a b"\n', "scenario.vm.vm"),
    ('[scenario.load]\nvm = "g"\ncell = "c"\n', "scenario.load: measure in a cell or in a vm"),
])
def test_a_vm_scenario_names_one_guest(table, problem, passing_limits):
    with pytest.raises(UsageError, match=problem):
        parse_limits(passing_limits() + table, "l.toml")
