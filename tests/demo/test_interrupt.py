"""Ctrl-C during a demo: the running scenario is cancelled on the target, which keeps its
partial result; no further scenario starts. Against a real local agent and core."""

import io
import signal
import threading

import pytest
from rich.console import Console
from rtvirt.demo.engine import ScenarioRunner
from rtvirt.demo.scenario import Scenario
from rtvirt.demo.show import run_scenarios
from rtvirt_agent.wire.result import parse_result

LONG_S = 600  # far longer than any test may wait: only a cancel ends it


def stop_reason(store, run):
    return parse_result(store.get(run.result_id))["stop_reason"]


def test_cancel_ends_the_running_scenario_and_keeps_its_partial_result(agent, store):
    client, _ = agent
    runner = ScenarioRunner(client, store, "exec:test")
    measuring = threading.Event()

    def cancel_once_measuring():
        if measuring.wait(60):
            runner.cancel()

    canceller = threading.Thread(target=cancel_once_measuring)
    canceller.start()
    outcome = runner.run(Scenario("idle", "x"), LONG_S,
                         on_event=lambda _measurement, _event: measuring.set())
    canceller.join()
    assert measuring.is_set(), "no progress event from the measurement"
    assert outcome.error is None, outcome.error
    (run,) = outcome.runs
    assert stop_reason(store, run) == "signal"
    assert any(note.startswith("interrupted") for note in outcome.notes)
    later = runner.run(Scenario("container", "x"), 1)
    assert later.runs == [] and "interrupted" in later.error


class CtrlCOnFirstEvent(ScenarioRunner):
    """Presses Ctrl-C once the first measurement reports: SIGINT to the main thread, which
    waits for the measurement (a real signal: it interrupts that wait as a terminal's does)."""

    def run(self, scenario, duration_s, on_event=None):
        pressed = []

        def first_event(measurement, event):
            if not pressed:
                pressed.append(True)
                signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
            on_event(measurement, event)

        return super().run(scenario, duration_s, on_event=first_event)


@pytest.mark.usefixtures("sigint_handled")
def test_ctrl_c_in_the_demo_cancels_on_the_target_and_runs_nothing_more(agent, store):
    client, _ = agent
    runner = CtrlCOnFirstEvent(client, store, "exec:test")
    output = io.StringIO()
    outcomes = run_scenarios(Console(file=output, width=120), runner,
                             [Scenario("idle", "x"), Scenario("container", "x")], LONG_S,
                             emulated=False)
    assert [outcome.scenario.name for outcome in outcomes] == ["idle"]
    (run,) = outcomes[0].runs
    assert stop_reason(store, run) == "signal"
    assert "interrupted: 1 scenario(s) not run" in output.getvalue()
