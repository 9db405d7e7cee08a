from rtvirt.diagnose import diagnose

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
