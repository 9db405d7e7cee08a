import re

import pytest
from rich.console import Console
from rtvirt.commands.diagnose import findings_table
from rtvirt.diagnose import diagnose
from rtvirt_agent.wire.errors import UsageError

TUNED = {
    "kernel_release": "6.12.57-rt", "preempt_rt": {"active": True, "source": "uname"},
    "cpus_online": "0-3", "cpus_isolated": "2-3", "nohz_full": "2-3", "rcu_nocbs": "2-3",
    "irq_default_affinity": "0-1", "irqs_on_isolated": [],
    "cpufreq_governors": {"0": "performance"},
    "smt": False, "sched_rt_runtime_us": -1, "timer_migration": False, "clocksource": "tsc",
    "cpu_dma_latency_openable": True, "virtualization": "bare-metal",
}


def topics(findings, severity):
    return sorted(f.topic for f in findings if f.severity == severity)


def test_a_tuned_rt_box_has_no_findings():
    assert diagnose(TUNED) == []


def test_non_rt_kernel_fails():
    facts = dict(TUNED, preempt_rt={"active": False, "source": "config"})
    findings = diagnose(facts)
    assert topics(findings, "fail") == ["kernel"]
    assert "config" in findings[0].message


def test_isolation_gaps_and_irqs_are_named():
    facts = dict(TUNED, nohz_full="2", irq_default_affinity="0-3",
                 irqs_on_isolated=[{"irq": 24, "desc": "eth0", "affinity": "0-3"}])
    messages = " | ".join(f.message for f in diagnose(facts))
    assert "RT CPUs 3 are not in nohz_full" in messages
    assert "default IRQ affinity includes RT CPUs 2-3" in messages
    assert "24 (eth0)" in messages


def test_container_without_pm_qos_is_explained():
    facts = dict(TUNED, cpu_dma_latency_openable=False, cpu_dma_latency_error="EPERM",
                 virtualization="container")
    findings = diagnose(facts)
    assert topics(findings, "warn") == ["power"]
    assert "EPERM" in findings[0].message
    assert topics(findings, "info") == ["virtualization"]


def test_explicit_rt_cpus_override_isolated_ones():
    facts = dict(TUNED, cpus_isolated="", nohz_full=None, rcu_nocbs=None)
    assert topics(diagnose(facts), "warn") == ["isolation"]
    assert topics(diagnose(facts, rt_cpus="1"), "warn") == ["irqs", "isolation", "isolation"]


def test_diagnose_command_on_this_machine(rtvirt, agent_uri):
    done = rtvirt("diagnose", "--json", target=agent_uri)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr


def test_isolation_fix_names_cpus_from_the_topology():
    facts = dict(TUNED, cpus_isolated="", nohz_full=None, rcu_nocbs=None)
    [finding] = [f for f in diagnose(facts) if f.topic == "isolation"]
    assert finding.fix == ("e.g. RT CPUs 2,3: boot with isolcpus=2,3 nohz_full=2,3 "
                           "rcu_nocbs=2,3 irqaffinity=0,1")
    [irq] = [f for f in diagnose(facts, rt_cpus="1,3") if f.topic == "irqs"]
    assert irq.fix == "boot with irqaffinity=0,2"


def test_an_argument_the_kernel_cannot_apply_asks_for_a_new_kernel():
    config = {"CONFIG_NO_HZ_FULL": "n", "CONFIG_RCU_NOCB_CPU": "y", "CONFIG_CPU_ISOLATION": "y",
              "CONFIG_PREEMPT_RT": "y", "CONFIG_PREEMPT_DYNAMIC": "n"}
    facts = dict(TUNED, nohz_full=None, kernel_config=config)
    [finding] = [f for f in diagnose(facts) if f.topic == "isolation"]
    assert "cannot apply nohz_full=: CONFIG_NO_HZ_FULL is not set" in finding.message
    assert finding.fix == ("rebuild the kernel with CONFIG_NO_HZ_FULL=y, then boot with "
                           "nohz_full=2,3")
    none = dict(facts, cpus_isolated="")
    [proposal] = [f for f in diagnose(none) if f.topic == "isolation"]
    assert "nohz_full" not in proposal.fix.split(";")[0]
    assert proposal.fix.endswith("rebuild the kernel with CONFIG_NO_HZ_FULL=y")


def test_preempt_dynamic_names_preempt_full():
    facts = dict(TUNED, preempt_rt={"active": False, "source": "config"}, cmdline="quiet",
                 kernel_config={"CONFIG_PREEMPT_DYNAMIC": "y"})
    fixes = [f.fix for f in diagnose(facts) if f.topic == "kernel"]
    assert "boot with preempt=full until a PREEMPT_RT kernel is in place" in fixes
    done = dict(facts, cmdline="quiet preempt=full")
    assert len([f for f in diagnose(done) if f.topic == "kernel"]) == 1


@pytest.mark.parametrize(("rt_cpus", "message"), [
    ("2-5", "CPU(s) 4-5 are not online on this target (online: 0-3)"),
    ("0-3", "leaves no housekeeping CPU"),
])
def test_rt_cpus_are_checked_against_the_topology(rt_cpus, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        diagnose(TUNED, rt_cpus=rt_cpus)


def test_a_narrow_table_never_breaks_a_boot_argument():
    facts = dict(TUNED, cpus_online="0-15", cpus_isolated="", nohz_full=None, rcu_nocbs=None)
    console = Console(width=70, record=True)
    console.print(findings_table(diagnose(facts), facts))
    text = console.export_text()
    for argument in ("isolcpus=8-15", "nohz_full=8-15", "rcu_nocbs=8-15", "irqaffinity=0-7"):
        assert argument in text
