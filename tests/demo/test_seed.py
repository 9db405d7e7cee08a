from rtvirt.demo.disturbance import LEAD_S, Blocksys, Load
from rtvirt.demo.scenario import MEASURE_DEFAULTS, Scenario
from rtvirt.demo.seed import seed_scenarios


def by_name(scenarios):
    return {scenario.name: scenario for scenario in scenarios}


def test_seed_runs_the_studys_experiments_in_order():
    names = [scenario.name for scenario in seed_scenarios([0, 1, 2, 3])]
    assert names == ["idle", "container", "blocksys-cpu1", "blocksys-all", "llc-stress"]


def test_llc_stress_loads_cpu0_and_measures_the_others_like_the_seed():
    scenario = by_name(seed_scenarios([0, 1, 2, 3]))["llc-stress"]
    args = scenario.measure_args(20, {"demo": "seed"})
    assert (args["affinity"], args["threads"], args["smp"]) == ("1-3", 3, False)
    assert (args["interval_us"], args["histogram_us"]) == (3000, 400)
    (load,) = scenario.disturbances
    assert isinstance(load, Load) and (load.profile, load.cpus) == ("llc-stress", "0")
    assert args["labels"] == {"demo": "seed", "scenario": "llc-stress", "load": "llc-stress",
                              "load_cpus": "0"}


def test_measure_args_complete_the_defaults():
    args = Scenario("idle", "x").measure_args(12, {"board": "x86"})
    assert set(args) == set(MEASURE_DEFAULTS) | {"duration_s", "labels"}
    assert args["duration_s"] == 12.0 and args["smp"] and args["pm_qos"]
    assert args["labels"] == {"board": "x86", "scenario": "idle"}


def test_container_scenario_asks_for_a_container():
    assert by_name(seed_scenarios([0, 1]))["container"].measure_args(5, {})["container"] is True


def test_blocksys_scenarios_block_one_cpu_then_all():
    scenarios = by_name(seed_scenarios([0, 1, 2, 3]))
    one, every = scenarios["blocksys-cpu1"], scenarios["blocksys-all"]
    assert one.needs_blocksys and every.needs_blocksys
    assert not scenarios["idle"].needs_blocksys
    assert (one.disturbances[0].cpus, every.disturbances[0].cpus) == ("1", "all")
    assert one.measure_args(10, {})["labels"]["blocksys"] == "4000us on CPUs 1, every 500ms"


def test_single_cpu_target_still_gets_every_scenario():
    scenarios = by_name(seed_scenarios([0]))
    assert "blocksys-cpu0" in scenarios
    assert scenarios["llc-stress"].measure_args(5, {})["affinity"] == "0"


def test_blocksys_repeats_fit_inside_the_measurement():
    blocksys = Blocksys(4000, "all", 500)
    assert blocksys.repeat_for(10) == int((10 - 2 * LEAD_S) * 1000 // 500)
    assert blocksys.repeat_for(1) == 1


def test_emulation_scales_blocks_and_histogram_and_says_so():
    hardware = by_name(seed_scenarios([0, 1, 2, 3]))
    emulated = by_name(seed_scenarios([0, 1, 2, 3], emulated=True))
    assert hardware["blocksys-all"].disturbances[0].duration_us == 4000
    assert emulated["blocksys-all"].disturbances[0].duration_us == 50_000
    assert "scaled for emulation" in emulated["blocksys-all"].summary
    assert "scaled" not in hardware["blocksys-all"].summary
    assert emulated["idle"].measure_args(5, {})["histogram_us"] == 10_000
    assert hardware["idle"].measure_args(5, {})["histogram_us"] == 400
    assert emulated["llc-stress"].measure_args(5, {})["histogram_us"] == 400
