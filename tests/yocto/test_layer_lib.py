"""The Python the layer runs at parse and build time (meta-rtvirt/lib/rtvirt_layer)."""

import tomllib
import xml.etree.ElementTree as ElementTree

import pytest
from rtvirt_agent.config import parse_config
from rtvirt_layer.agentconf import agent_toml
from rtvirt_layer.bootconfig import isolation_bootconfig, isolation_kconfig
from rtvirt_layer.cpulist import (
    CpuListError,
    format_cpulist,
    isolation_args,
    parse_cpu_count,
    parse_cpulist,
)
from rtvirt_layer.kvmdomain import cputune, domain_xml

from .conftest import LAYER

TEMPLATE = (LAYER / "dynamic-layers/virtualization-layer/recipes-rtvirt/rtvirt-kvm-domain"
            / "files/rtvirt-guest.xml.in")


@pytest.mark.parametrize("text, cpus", [
    ("0", {0}), ("2-3", {2, 3}), ("1,3", {1, 3}), ("0-1, 4-5", {0, 1, 4, 5}), ("3-3", {3})])
def test_parse_cpulist(text, cpus):
    assert parse_cpulist(text) == cpus


@pytest.mark.parametrize("text", ["", "a", "2-", "-2", "3-1", "1,,2", "1 2", "0x2", "1-2-3"])
def test_parse_cpulist_rejects(text):
    with pytest.raises(CpuListError):
        parse_cpulist(text)


@pytest.mark.parametrize("cpus, text", [
    ({0}, "0"), ({0, 1, 3}, "0-1,3"), ({5, 1, 2, 3}, "1-3,5"), ({0, 2, 4}, "0,2,4")])
def test_format_cpulist(cpus, text):
    assert format_cpulist(cpus) == text


@pytest.mark.parametrize("text", ["0", "-1", "four", ""])
def test_parse_cpu_count_rejects(text):
    with pytest.raises(CpuListError):
        parse_cpu_count(text)


def test_isolation_args_isolate_and_route_interrupts_to_the_others():
    assert isolation_args("2-3", 4) == (
        "isolcpus=domain,managed_irq,2-3 nohz_full=2-3 rcu_nocbs=2-3 irqaffinity=0-1")
    assert isolation_args("1,3", 4).endswith("irqaffinity=0,2")


def test_isolation_args_empty_list_means_no_isolation():
    assert isolation_args(" ", 4) == ""


@pytest.mark.parametrize("text, message", [
    ("2-4", "CPUs 4 do not exist: the machine has CPUs 0-3"),
    ("0-3", "leaves none for housekeeping"),
    ("x", "is not a CPU list")])
def test_isolation_args_reject_lists_that_do_not_fit(text, message):
    with pytest.raises(CpuListError, match=message):
        isolation_args(text, 4)


def test_bootconfig_carries_each_argument_as_a_kernel_key():
    text = isolation_bootconfig(isolation_args("2-3", 4))
    assert 'kernel.isolcpus = "domain,managed_irq,2-3"' in text
    assert 'kernel.irqaffinity = "0-1"' in text
    assert len([line for line in text.splitlines() if line.startswith("kernel.")]) == 4


def test_kconfig_embeds_and_forces_the_bootconfig():
    fragment = isolation_kconfig("nohz_full=3", "iso.bconf")
    assert 'CONFIG_BOOT_CONFIG_EMBED_FILE="iso.bconf"' in fragment
    assert "CONFIG_BOOT_CONFIG_FORCE=y" in fragment


def test_kconfig_without_arguments_sets_nothing():
    assert "CONFIG_" not in isolation_kconfig("", "/build/iso.bconf").replace("# ", "")


@pytest.mark.parametrize("enabled", [True, False])
def test_agent_toml_is_accepted_by_the_agent(enabled):
    config = parse_config(tomllib.loads(agent_toml(enabled)))
    assert config.blocksys_enabled is enabled


def test_cputune_pins_one_vcpu_per_isolated_cpu_at_fifo_1():
    tune, vcpus = cputune("2-3", 4)
    assert vcpus == 2
    assert "<vcpupin vcpu='0' cpuset='2'/>" in tune
    assert "<vcpupin vcpu='1' cpuset='3'/>" in tune
    assert "<emulatorpin cpuset='0-1'/>" in tune
    assert "<vcpusched vcpus='0-1' scheduler='fifo' priority='1'/>" in tune


def test_cputune_needs_isolated_cpus():
    with pytest.raises(CpuListError):
        cputune("", 4)


@pytest.mark.parametrize("arch, machine", [("x86_64", "q35"), ("aarch64", "virt")])
def test_domain_xml_is_complete_and_well_formed(arch, machine):
    xml = domain_xml(TEMPLATE.read_text(), "1-3", 4, arch)
    assert "@" not in xml
    domain = ElementTree.fromstring(xml)
    assert domain.find("vcpu").text == "3"
    assert len(domain.findall("cputune/vcpupin")) == 3
    assert domain.find("os/type").get("machine") == machine
    assert domain.find("devices/emulator").text == f"/usr/bin/qemu-system-{arch}"


def test_domain_xml_rejects_unknown_architecture():
    with pytest.raises(CpuListError):
        domain_xml(TEMPLATE.read_text(), "1", 2, "mips")


def test_the_vms_file_the_recipe_installs_is_one_the_agent_reads(tmp_path):
    from rtvirt_agent.ops.vm import load_vms
    from rtvirt_layer.kvmdomain import AGENT_SOCKET, LIBVIRT_PIDFILE, vms_toml
    (tmp_path / "etc/rtvirt").mkdir(parents=True)
    (tmp_path / "etc/rtvirt/vms.toml").write_text(vms_toml())
    assert load_vms(str(tmp_path)) == {"rtvirt-guest": {
        "agent": AGENT_SOCKET, "pidfile": LIBVIRT_PIDFILE, "qmp": None, "answer_s": 10.0}}
    domain = ElementTree.fromstring(domain_xml(TEMPLATE.read_text(), "2-3", 4, "x86_64"))
    assert domain.find("devices/console[@type='unix']/source").get("path") == AGENT_SOCKET
