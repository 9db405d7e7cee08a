"""The demo's Jailhouse scenarios ask the root cell's relay only for what an inmate honours:
their requests go through the real cell.measure handler to a fake bare-metal inmate."""

import pytest
from rtvirt.demo.jailhouse import jailhouse_scenarios
from rtvirt.demo.place import measure_call
from rtvirt_agent.wire.result import parse_result

SCENARIOS = {scenario.name: scenario for scenario in jailhouse_scenarios(emulated=True)}


def request(name, duration_s):
    scenario = SCENARIOS[name]
    (measurement,) = scenario.measurements
    return measure_call(measurement.where, measurement.args, duration_s,
                        scenario.result_labels(measurement, {"emulation": "tcg"}))


@pytest.mark.parametrize("name", ["jailhouse-baremetal-idle", "jailhouse-baremetal-blocksys"])
def test_bare_metal_scenarios_are_accepted_and_labelled(name, handlers, ctx, inmate):
    op, args, _ = request(name, 0.25)
    assert op == "cell.measure"
    reply = handlers[op](args, ctx)
    (command,) = inmate.commands
    assert (command.cpu, command.loops, command.interval_us, command.histogram_us) == \
        (3, 250, 1000, 20_000)
    labels = parse_result(handlers["results.get"]({"id": reply["result_id"]}, ctx)["data"])[
        "labels"]
    assert labels["scenario"] == name and labels["cell"] == "rtvirt-baremetal"
    assert labels["where"] == "cell:rtvirt-baremetal"


def test_root_and_linux_scenarios_measure_at_fifo_99_where_the_seed_did():
    _, root, _ = request("jailhouse-root-idle", 10)
    _, linux, _ = request("jailhouse-linux-blocksys", 10)
    assert (root["smp"], root["priority"], root["histogram_us"]) == (True, 99, 200_000)
    assert (linux["cell"], linux["affinity"], linux["priority"]) == ("rtvirt-linux-rt", "0", 99)
    assert SCENARIOS["jailhouse-linux-blocksys"].disturbances[0].cpus == "all"
