"""The scenario engine against a real local agent and the real measurement core."""

import pytest
from rtvirt.demo.disturbance import Blocksys
from rtvirt.demo.engine import ScenarioRunner
from rtvirt.demo.scenario import Measurement, Scenario
from rtvirt.demo.seed import seed_scenarios
from rtvirt_agent.wire.cpulist import parse_cpulist
from rtvirt_agent.wire.errors import UsageError
from rtvirt_agent.wire.result import parse_result


def online_cpus(client):
    return parse_cpulist(client.call("sysinfo")["cpus_online"])


def test_idle_scenario_measures_every_cpu_and_stores_the_result(agent, store):
    client, _ = agent
    events = []
    runner = ScenarioRunner(client, store, "exec:test", {"demo": "seed", "board": "local"})
    outcome = runner.run(Scenario("idle", "idle"), 2,
                         on_event=lambda measurement, event: events.append((measurement, event)))
    assert outcome.error is None, outcome.error
    (run,) = outcome.runs
    assert [cpu.cpu for cpu in run.cpus] == online_cpus(client)
    assert run.labels == {"demo": "seed", "board": "local", "scenario": "idle", "where": "host"}
    assert all(cpu.cycles > 500 for cpu in run.cpus)  # 2 s at 1 ms
    assert run.pm_qos_held is True
    assert [row["id"] for row in store.list()] == [run.result_id]
    assert any(event.get("threads") for _, event in events)
    assert {measurement.where for measurement, _ in events} == {"host"}


def test_host_and_container_measure_at_the_same_time(agent, store):
    client, _ = agent
    cpus = online_cpus(client)
    scenario = {s.name: s for s in seed_scenarios(cpus)}["concurrent"]
    events = set()
    outcome = ScenarioRunner(client, store, "exec:test").run(
        scenario, 2, on_event=lambda measurement, event: events.add(measurement.where))
    assert outcome.error is None, outcome.error
    host, container = outcome.runs
    assert host.labels["scenario"] == "concurrent/host"
    assert (host.pm_qos_held, container.pm_qos_held) == (True, False)
    half = max(1, len(cpus) // 2)
    assert [cpu.cpu for cpu in host.cpus] == cpus[:half]
    assert [cpu.cpu for cpu in container.cpus] == (cpus[half:] or cpus)
    assert events == {"host", "container"}
    # both ran through the same seconds: each began before the other ended
    spans = [monotonic_span(store.get(run.result_id)) for run in outcome.runs]
    assert spans[0][0] < spans[1][1] and spans[1][0] < spans[0][1]


def monotonic_span(data):
    record = parse_result(data)
    return record["start_monotonic_ns"], record["start_monotonic_ns"] + record["duration_ns"]


def run_seed(client, store, name, duration_s):
    """The target's online CPUs and the outcome of the seed scenario ``name`` on it."""
    cpus = online_cpus(client)
    scenario = {s.name: s for s in seed_scenarios(cpus)}[name]
    outcome = ScenarioRunner(client, store, "exec:test").run(scenario, duration_s)
    assert outcome.error is None, outcome.error
    return cpus, outcome


def test_llc_stress_loads_cpu0_and_measures_every_cpu(agent, store):
    cpus, outcome = run_seed(agent[0], store, "llc-stress", 3)
    (run,) = outcome.runs
    assert [cpu.cpu for cpu in run.cpus] == cpus
    assert (run.params["interval_us"], run.params["priority"]) == (3000, 98)
    assert run.labels["load"] == "llc-stress"
    assert any(note.startswith("load llc-stress on CPU 0") for note in outcome.notes)


def test_refused_disturbance_ends_the_scenario_without_storing(agent, store):
    client, hello = agent
    assert not hello["blocksys_enabled"]  # the local agent's agent.toml leaves it off
    scenario = Scenario("blocksys-all", "x", disturbances=(Blocksys(1000, "all", 200),))
    outcome = ScenarioRunner(client, store, "exec:test").run(scenario, 3)
    assert outcome.runs == []
    assert "disturbance failed" in outcome.error
    assert any("blocksys-disabled" in note for note in outcome.notes)
    assert store.list() == []


def test_refused_measurement_is_an_outcome_not_an_exception(agent, store):
    client, _ = agent
    outcome = ScenarioRunner(client, store, "exec:test").run(
        Scenario("bad", "x", measurements=(Measurement("host", {"priority": 100}),)), 1)
    assert outcome.runs == [] and "bad-argument" in outcome.error


def test_a_cell_measurement_on_a_target_without_jailhouse_is_refused(agent, store):
    client, _ = agent
    outcome = ScenarioRunner(client, store, "exec:test").run(
        Scenario("cell", "x", measurements=(Measurement("cell:rtvirt-baremetal"),)), 1)
    assert outcome.runs == [] and "Jailhouse is not enabled" in outcome.error


def test_a_disturbance_where_no_agent_is_known_is_a_usage_error(agent, store):
    client, _ = agent
    scenario = Scenario("x", "x", disturbances=(Blocksys(1000, "all", 200, where="cell:a"),))
    with pytest.raises(UsageError, match="no agent to disturb 'cell:a' through: known host"):
        ScenarioRunner(client, store, "exec:test").run(scenario, 1)


def test_priospread_runs_twelve_threads_on_one_cpu_from_priority_99_down(agent, store):
    cpus, outcome = run_seed(agent[0], store, "priospread", 1)
    (run,) = outcome.runs
    threads = parse_result(store.get(run.result_id))["threads"]
    assert [thread["cpu"] for thread in threads] == [cpus[0]] * 12
    assert [thread["priority"] for thread in threads] == list(range(99, 87, -1))
