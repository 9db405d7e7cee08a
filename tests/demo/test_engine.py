"""The scenario engine against a real local agent and the real measurement core."""

from rtvirt.demo.disturbance import Blocksys
from rtvirt.demo.engine import ScenarioRunner
from rtvirt.demo.scenario import Scenario
from rtvirt.demo.seed import seed_scenarios


def online_cpus(client):
    from rtvirt_agent.sysinfo.cpulist import parse_cpulist
    return parse_cpulist(client.call("sysinfo")["cpus_online"])


def test_idle_scenario_measures_every_cpu_and_stores_the_result(agent, store):
    client, _ = agent
    events = []
    runner = ScenarioRunner(client, store, "exec:test", {"demo": "seed", "board": "local"})
    outcome = runner.run(Scenario("idle", "idle"), 2, on_event=events.append)
    assert outcome.error is None, outcome.error
    run = outcome.run
    assert [cpu.cpu for cpu in run.cpus] == online_cpus(client)
    assert run.labels == {"demo": "seed", "board": "local", "scenario": "idle"}
    assert all(cpu.cycles > 500 for cpu in run.cpus)  # 2 s at 1 ms
    assert run.pm_qos_held is True
    assert [row["id"] for row in store.list()] == [run.result_id]
    assert any(event.get("threads") for event in events)


def test_llc_stress_loads_cpu0_and_measures_only_the_others(agent, store):
    client, _ = agent
    cpus = online_cpus(client)
    scenario = {s.name: s for s in seed_scenarios(cpus)}["llc-stress"]
    outcome = ScenarioRunner(client, store, "exec:test").run(scenario, 3)
    assert outcome.error is None, outcome.error
    assert [cpu.cpu for cpu in outcome.run.cpus] == (cpus[1:] or cpus[:1])
    assert outcome.run.params["interval_us"] == 3000
    assert outcome.run.labels["load"] == "llc-stress"
    assert any(note.startswith("load llc-stress on CPU 0") for note in outcome.notes)


def test_refused_disturbance_ends_the_scenario_without_storing(agent, store):
    client, hello = agent
    assert not hello["blocksys_enabled"]  # the local agent's agent.toml leaves it off
    scenario = Scenario("blocksys-all", "x", disturbances=(Blocksys(1000, "all", 200),))
    outcome = ScenarioRunner(client, store, "exec:test").run(scenario, 3)
    assert outcome.run is None
    assert "disturbance failed" in outcome.error
    assert any("blocksys-disabled" in note for note in outcome.notes)
    assert store.list() == []


def test_refused_measurement_is_an_outcome_not_an_exception(agent, store):
    client, _ = agent
    outcome = ScenarioRunner(client, store, "exec:test").run(
        Scenario("bad", "x", measure={"priority": 100}), 1)
    assert outcome.run is None and "bad-argument" in outcome.error
