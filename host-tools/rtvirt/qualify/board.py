"""Qualifying one board: connect, gate on its set-up, measure every scenario, judge.

Whatever happens, the board ends with a ``BoardReport``: a board that cannot be reached, times
out or drops off the line gets a ``Failure`` verdict (and so an ``<error>`` in JUnit) rather than
an exception, so a station's other boards carry on and the report is still written.
"""

import dataclasses
import time

from rtvirt_agent.wire.cpulist import parse_cpulist
from rtvirt_agent.wire.errors import RemoteError, RtvirtError

from rtvirt.demo.engine import ScenarioRunner
from rtvirt.diagnose import diagnose
from rtvirt.qualify.scenarios import scenario_of
from rtvirt.qualify.verdict import Failure, gate_checks, judge
from rtvirt.store import Store
from rtvirt.transports import connect


class ScenarioFailed(RtvirtError):
    """A scenario ran but gave no result to judge (a disturbance or the agent failed)."""


IDENTITY = {"hostname": "hostname", "kernel_release": "kernel_release",
            "board_model": "machine_model", "board_serial": "board_serial", "soc_id": "soc_id",
            "image": "image", "image_build_id": "image_build_id"}  # JUnit property: fact


@dataclasses.dataclass
class BoardReport:
    target: str
    started: float = dataclasses.field(default_factory=time.time)
    elapsed_s: float = 0.0
    properties: dict = dataclasses.field(default_factory=dict)
    verdicts: list = dataclasses.field(default_factory=list)
    exit_code: int = 0

    @property
    def passed(self):
        return all(verdict.passed for verdict in self.verdicts)

    def fail(self, scenario, err):
        self.verdicts.append(Failure(scenario, "".join(c for c in str(err) if c.isprintable())))
        self.exit_code = self.exit_code or err.exit_code


def identity(facts):
    """The facts that say which board, image and kernel were qualified (JUnit properties)."""
    return {name: "".join(c for c in str(facts[key]) if c.isprintable())[:200]
            for name, key in IDENTITY.items() if facts.get(key)}


def run_plan(runner, plan, housekeeping_cpu, on_event):
    """The run of one scenario, or a ScenarioFailed saying why there is none."""
    outcome = runner.run(scenario_of(plan, housekeeping_cpu), plan.measure["duration_s"],
                         on_event=lambda _measurement, event: on_event(event))
    if outcome.error:
        raise ScenarioFailed(outcome.error)
    (run,) = outcome.runs
    return run


def qualify_board(target, limits, db, events, open_client=None):
    """Qualify the board at ``target``; ``events`` (a station view) hears of every step.

    ``open_client() -> (client, hello)`` reaches the agent; by default ``target`` is a URI."""
    report = BoardReport(target)
    started = time.monotonic()
    events.state(target, "connecting")
    try:
        _qualify(target, limits, db, events, report,
                 open_client or (lambda: connect(target)))
    except RtvirtError as err:
        report.fail("board", err)
    report.elapsed_s = time.monotonic() - started
    events.done(target, report)
    return report


def _qualify(target, limits, db, events, report, open_client):
    client, _hello = open_client()
    try:
        facts = client.call("sysinfo")
        report.properties.update(identity(facts))
        report.verdicts += gate_checks(diagnose(facts), limits.gates)
        online = parse_cpulist(facts.get("cpus_online") or "0")
        with Store(db) as store:
            runner = ScenarioRunner(client, store, target, labels={"purpose": "qualify"})
            for plan in limits.plans:
                events.measuring(target, plan.name, plan.measure["duration_s"])
                try:
                    run = run_plan(runner, plan, online[0],
                                   lambda event: events.progress(target, event))
                except (RemoteError, ScenarioFailed) as err:
                    report.fail(plan.name, err)
                    continue
                report.verdicts += judge(run, plan.bounds, plan.name)
    finally:
        client.close()
