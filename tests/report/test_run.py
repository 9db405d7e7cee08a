from rtvirt.report.run import CpuRun


def test_classes_rebin_narrow_buckets_to_one_microsecond(make_cpu):
    cpu = make_cpu(0, histogram=(1, 2, 3, 4), bucket_ns=500)
    assert cpu.latency_classes_us() == {0: 3, 1: 7}


def test_classes_include_kept_overflow_samples(make_cpu):
    cpu = make_cpu(0, histogram=(0, 4), overflow_ns=(4_000_300, 4_000_900, 7_500))
    assert cpu.latency_classes_us() == {1: 4, 4000: 2, 7: 1}


def test_overflow_not_kept_counts_what_the_cap_dropped(make_cpu):
    cpu = make_cpu(0, histogram=(0,) * 400, overflow_ns=(500_000,), overflow_total=5)
    assert cpu.overflow_not_kept == 4
    assert cpu.histogram_range_us == 400


def test_emulated_from_sysinfo_or_lab_label(make_run):
    assert make_run(virtualization="qemu-tcg").emulated
    assert make_run(labels={"emulation": "tcg"}).emulated
    assert not make_run(virtualization="kvm").emulated


def test_tags_name_emulation_and_missing_pm_qos(make_run):
    run = make_run(virtualization="qemu-tcg", pm_qos_held=False)
    assert run.tags == ["emulated (TCG)", "PM QoS not held"]
    assert make_run(pm_qos_held=True).tags == []


def test_scenario_falls_back_to_short_id(make_run):
    run = make_run()
    unlabelled = type(run)(result_id="ab" * 32, cpus=run.cpus)
    assert unlabelled.scenario == "ab" * 6


def test_cpu_run_is_immutable(make_cpu):
    cpu = make_cpu(0)
    assert isinstance(cpu, CpuRun)
    try:
        cpu.max_ns = 1
    except AttributeError:
        return
    raise AssertionError("CpuRun must be frozen")
