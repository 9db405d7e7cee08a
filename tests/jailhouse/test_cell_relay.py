"""The root cell's relay (op cell.measure / cells) against a fake bare-metal inmate."""

import pytest
from rtvirt_agent.ops import cell
from rtvirt_agent.protocol.rpc import OpError
from rtvirt_agent.wire.result import parse_result


def test_cells_lists_names_states_and_cpus(handlers, ctx):
    cells = handlers["cells"]({}, ctx)["cells"]
    assert [(c["name"], c["state"], c["cpus"]) for c in cells] == [
        ("rtvirt-qemu-arm64", "running", "0-1"), ("rtvirt-baremetal", "running", "3"),
        ("rtvirt-linux", "shut down", "2")]


def test_measure_relays_every_sample_and_stores_the_record(handlers, ctx, inmate):
    reply = handlers["cell.measure"]({"cell": "rtvirt-baremetal", "loops": 3000,
                                      "interval_us": 100, "histogram_us": 200,
                                      "labels": {"scenario": "jailhouse-blocksys"}}, ctx)
    assert (reply["samples"], reply["samples_missing"], reply["samples_lost"]) == (3000, 0, 0)
    (command,) = inmate.commands
    assert (command.cpu, command.loops, command.interval_us, command.histogram_us) == \
        (3, 3000, 100, 200)
    result = parse_result(handlers["results.get"]({"id": reply["result_id"]}, ctx)["data"])
    assert result["labels"] == {"run": str(command.run_id), "scenario": "jailhouse-blocksys",
                                "cell": "rtvirt-baremetal"}
    assert result["threads"][0]["max_ns"] == 3600
    assert "C:    3000" in reply["text"] and "Max:       3" in reply["text"]
    (last,) = ctx.events[-1]["threads"]
    assert (last["cycles"], last["missed"], last["max_ns"]) == (3000, 2, 3600)


def test_duration_becomes_loops(handlers, ctx, inmate):
    handlers["cell.measure"]({"cell": "rtvirt-baremetal", "duration_s": 0.5,
                              "interval_us": 500}, ctx)
    assert inmate.commands[0].loops == 1000


@pytest.mark.parametrize("name, code, listed", [
    ("nosuch", "not-found", "rtvirt-linux (shut down)"),
    ("rtvirt-linux", "cell-not-running", "rtvirt-baremetal (running)"),
])
def test_a_missing_or_stopped_cell_is_named_with_every_cell(handlers, ctx, name, code, listed):
    with pytest.raises(OpError) as error:
        handlers["cell.measure"]({"cell": name}, ctx)
    assert error.value.code == code and listed in error.value.message


def test_an_inmate_that_stopped_writing_is_reported_not_waited_for(handlers, ctx, inmate,
                                                                    monkeypatch):
    monkeypatch.setattr(cell, "STALE_S", 0.3)
    inmate.beating = False
    inmate._stop.set()
    with pytest.raises(OpError) as error:
        handlers["cell.measure"]({"cell": "rtvirt-baremetal", "loops": 10}, ctx)
    assert error.value.code == "cell-stopped"


def test_sequence_numbers_going_back_are_a_peer_fault_of_the_inmate(handlers, ctx, inmate):
    inmate.sequence = lambda cycle: cycle if cycle < 200 else cycle - 100
    with pytest.raises(OpError) as error:
        handlers["cell.measure"]({"cell": "rtvirt-baremetal", "loops": 3000,
                                  "interval_us": 100}, ctx)
    assert error.value.code == "cell-link"
    assert "rtvirt-baremetal: peer fault:" in error.value.message
    assert "sequence numbers out of order" in error.value.message


def test_a_link_nobody_initialised_is_a_clear_error(handlers, ctx):
    with pytest.raises(OpError) as error:
        handlers["cell.measure"]({"cell": "rtvirt-baremetal"}, ctx)
    assert error.value.code == "cell-link" and "not an rtvirt ivshmem region" in \
        error.value.message


def test_arguments_outside_what_the_inmate_accepts_are_refused(handlers, ctx, inmate):
    for args in ({"interval_us": 10}, {"histogram_us": 50_000}, {"loops": 0}, {"cpu": 1}):
        with pytest.raises(OpError) as error:
            handlers["cell.measure"]({"cell": "rtvirt-baremetal", **args}, ctx)
        assert error.value.code == "bad-argument"
    assert inmate.commands == []


def test_without_jailhouse_the_error_says_so(handlers, ctx, sysroot):
    import shutil
    shutil.rmtree(sysroot / "sys/devices/jailhouse")
    with pytest.raises(OpError) as error:
        handlers["cells"]({}, ctx)
    assert error.value.code == "jailhouse-not-enabled"


def test_progress_counts_missed_periods_from_the_period_starts():
    stats = cell.SampleStats(cpu=3, interval_us=1000)
    # period starts 0, 1, 4 and 5 ms (two missed), latencies 20..50 us; sample 4 lost
    stats.add([(0, 20_000, 20_000, 3), (1, 1_030_000, 30_000, 3), (2, 4_040_000, 40_000, 3)])
    stats.add([(4, 6_050_000, 50_000, 3)])
    (thread,) = stats.event()["threads"]
    assert (thread["cycles"], thread["missed"], thread["max_ns"]) == (4, 2, 50_000)
    assert stats.missing == 1


def test_a_second_run_on_a_measuring_cell_is_refused(handlers, ctx, inmate, monkeypatch):
    monkeypatch.setattr(cell, "_busy", {"rtvirt-baremetal"})
    with pytest.raises(OpError) as error:
        handlers["cell.measure"]({"cell": "rtvirt-baremetal", "loops": 10}, ctx)
    assert error.value.code == "busy" and inmate.commands == []
