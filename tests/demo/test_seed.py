from rtvirt.demo.disturbance import LEAD_S, Blocksys, Load
from rtvirt.demo.place import MEASURE_DEFAULTS, measure_call
from rtvirt.demo.scenario import Measurement, Scenario
from rtvirt.demo.seed import seed_scenarios


def by_name(scenarios):
    return {scenario.name: scenario for scenario in scenarios}


def request(scenario, measurement=0, duration_s=20, labels=None):
    """The measure op and request the runner would send for one of ``scenario``'s
    measurements."""
    chosen = scenario.measurements[measurement]
    op, args, _timeout = measure_call(chosen.where, chosen.args, duration_s,
                                      scenario.result_labels(chosen, labels or {}))
    return op, args


def test_the_default_set_comes_first_then_the_seeds_other_experiments():
    scenarios = seed_scenarios([0, 1, 2, 3])
    assert [(s.name, s.group) for s in scenarios] == [
        ("idle", "default"), ("container", "default"), ("blocksys-cpu1", "default"),
        ("blocksys-all", "default"), ("llc-stress", "default"),
        ("container-blocksys", "seed"), ("concurrent", "seed"),
        ("host-load", "seed"), ("container-load", "seed"), ("llc-stress-cpu0-1", "seed"),
        ("priospread", "seed")]


def test_llc_stress_loads_cpu0_and_measures_every_cpu_like_the_seed():
    scenario = by_name(seed_scenarios([0, 1, 2, 3]))["llc-stress"]
    op, args = request(scenario, labels={"demo": "seed"})
    assert op == "measure"
    assert (args["affinity"], args["smp"], args["priority"], args["mlock"]) == \
        (None, True, 98, True)
    assert (args["interval_us"], args["histogram_us"]) == (3000, 400)
    (load,) = scenario.disturbances
    assert isinstance(load, Load) and (load.profile, load.cpus) == ("llc-stress", "0")
    assert args["labels"] == {"demo": "seed", "scenario": "llc-stress", "where": "host",
                              "load": "llc-stress", "load_cpus": "0"}


def test_the_second_llc_variant_loads_cpus_0_and_1():
    scenario = by_name(seed_scenarios([0, 1, 2, 3]))["llc-stress-cpu0-1"]
    assert scenario.disturbances[0].cpus == "0-1"
    assert request(scenario)[1]["smp"] is True


def test_measure_requests_complete_the_defaults():
    op, args = request(Scenario("idle", "x"), duration_s=12, labels={"board": "x86"})
    assert op == "measure"
    assert set(args) == set(MEASURE_DEFAULTS) | {"duration_s", "labels"}
    assert args["duration_s"] == 12.0 and args["smp"] and args["pm_qos"]
    assert args["labels"] == {"board": "x86", "scenario": "idle", "where": "host"}


def test_container_scenarios_ask_for_a_container():
    scenarios = by_name(seed_scenarios([0, 1]))
    assert request(scenarios["container"])[1]["container"] is True
    blocked = scenarios["container-blocksys"]
    assert request(blocked)[1]["container"] is True
    assert blocked.needs_blocksys and blocked.disturbances[0].cpus == "all"


def test_host_and_container_measure_at_once_on_disjoint_halves():
    scenario = by_name(seed_scenarios(list(range(8))))["concurrent"]
    host, container = (request(scenario, index)[1] for index in (0, 1))
    assert (host["affinity"], host["threads"], host["smp"], host["container"]) == \
        ("0-3", 4, False, False)
    assert (container["affinity"], container["threads"], container["container"]) == \
        ("4-7", 4, True)
    assert (host["labels"]["scenario"], container["labels"]["scenario"]) == \
        ("concurrent/host", "concurrent/container")


def test_load_scenarios_load_every_cpu_on_the_host_and_under_the_container():
    scenarios = by_name(seed_scenarios([0, 1, 2, 3]))
    for name, container in (("host-load", False), ("container-load", True)):
        (load,) = scenarios[name].disturbances
        assert (load.profile, load.cpus, load.where) == ("cpu", "0-3", "host")
        assert request(scenarios[name])[1]["container"] is container


def test_blocksys_scenarios_block_one_cpu_then_all():
    scenarios = by_name(seed_scenarios([0, 1, 2, 3]))
    one, every = scenarios["blocksys-cpu1"], scenarios["blocksys-all"]
    assert one.needs_blocksys and every.needs_blocksys
    assert not scenarios["idle"].needs_blocksys
    assert (one.disturbances[0].cpus, every.disturbances[0].cpus) == ("1", "all")
    assert request(one)[1]["labels"]["blocksys"] == "4000us on CPUs 1, every 500ms"


def test_single_cpu_target_still_gets_every_scenario():
    scenarios = by_name(seed_scenarios([0]))
    assert "blocksys-cpu0" in scenarios
    host, container = (request(scenarios["concurrent"], i)[1] for i in (0, 1))
    assert host["affinity"] == container["affinity"] == "0"


def test_blocksys_repeats_fit_inside_the_measurement():
    blocksys = Blocksys(4000, "all", 500)
    assert blocksys.repeat_for(10) == int((10 - 2 * LEAD_S) * 1000 // 500)
    assert blocksys.repeat_for(1) == 1


def test_emulation_scales_blocks_and_histogram_and_says_so():
    hardware = by_name(seed_scenarios([0, 1, 2, 3]))
    emulated = by_name(seed_scenarios([0, 1, 2, 3], emulated=True))
    for name in ("blocksys-all", "container-blocksys"):
        assert hardware[name].disturbances[0].duration_us == 4000
        assert emulated[name].disturbances[0].duration_us == 50_000
        assert "scaled for emulation" in emulated[name].summary
        assert "scaled" not in hardware[name].summary
    assert request(emulated["idle"])[1]["histogram_us"] == 10_000
    assert request(hardware["idle"])[1]["histogram_us"] == 400
    assert request(emulated["llc-stress"])[1]["histogram_us"] == 400


def test_a_scenario_with_one_measurement_keeps_its_name_as_label():
    scenario = Scenario("x", "y", measurements=(Measurement("container", {}),))
    assert scenario.result_name(scenario.measurements[0]) == "x"


def test_priospread_puts_twelve_threads_on_the_first_cpu_at_descending_priorities():
    scenario = by_name(seed_scenarios([2, 3]))["priospread"]
    args = request(scenario)[1]
    assert (args["affinity"], args["threads"], args["smp"]) == ("2", 12, False)
    assert (args["priority"], args["priospread"]) == (99, True)
    assert "P:99…P:88" in scenario.summary
