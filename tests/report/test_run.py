def test_classes_rebin_narrow_buckets_to_one_microsecond(cpu_run):
    cpu = cpu_run(0, histogram=(1, 2, 3, 4), bucket_ns=500)
    assert cpu.latency_classes_us() == {0: 3, 1: 7}


def test_classes_include_kept_overflow_samples(cpu_run):
    cpu = cpu_run(0, histogram=(0, 4), overflow_ns=(4_000_300, 4_000_900, 7_500))
    assert cpu.latency_classes_us() == {1: 4, 4000: 2, 7: 1}


def test_overflow_not_kept_counts_what_the_cap_dropped(cpu_run):
    cpu = cpu_run(0, histogram=(0,) * 400, overflow_ns=(500_000,), overflow_total=5)
    assert cpu.overflow_not_kept == 4
    assert cpu.histogram_range_us == 400


def test_emulated_from_lab_label_or_agent_virtualization_label(make_run):
    assert make_run(emulated=True).emulated
    assert make_run(labels={"virtualization": "qemu-tcg"}).emulated
    assert not make_run(labels={"virtualization": "kvm"}).emulated


def test_tags_name_emulation_and_missing_pm_qos(make_run):
    run = make_run(emulated=True, pm_qos_held=False)
    assert run.tags == ["emulated (TCG)", "PM QoS not held"]
    assert make_run(pm_qos_held=True).tags == []


def test_scenario_falls_back_to_short_id(make_run):
    run = make_run()
    unlabelled = type(run)(result_id="ab" * 32, cpus=run.cpus)
    assert unlabelled.scenario == "ab" * 6
    assert unlabelled.kernel == "unknown kernel"


def test_from_result_reads_the_record(make_run, make_cpu):
    run = make_run("llc-stress", cpus=[make_cpu(2, max_ns=7000, missed=3), make_cpu(1)],
                   pm_qos_held=False)
    assert [cpu.cpu for cpu in run.cpus] == [1, 2]
    cpu = run.cpus[1]
    assert (cpu.min_ns, cpu.avg_ns, cpu.max_ns, cpu.missed, cpu.p999_ns) == (
        1000, 2000, 7000, 3, 2900)
    assert cpu.latency_classes_us() == {1: 5, 2: 10, 3: 2}
    assert (run.scenario, run.kernel, run.duration_s, run.pm_qos_held) == (
        "llc-stress", "6.1.0-56-rt-amd64", 10.0, False)
    assert run.params["interval_us"] == 1000 and run.duration_text == "10 s"
    assert len(run.result_id) == 64
