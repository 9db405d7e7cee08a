"""Runs scenarios on a connected target: disturbances, the measurement, fetching the result.

The measurement and the disturbances share one ``Client``; its calls are thread-safe, so a
blocksys call runs in a second thread while "measure" streams its progress events.
"""

from dataclasses import dataclass, field

from rtvirt_agent.wire.errors import RemoteError

from rtvirt.report.sources import run_from_bytes

MEASURE_MARGIN_S = 60.0  # start-up, result writing and a slow emulated target


@dataclass
class Outcome:
    """What one scenario gave: the stored run, or why there is none, and notes on the way."""

    scenario: object
    run: object = None
    error: str | None = None
    notes: list = field(default_factory=list)


class ScenarioRunner:
    """Runs scenarios on one target and puts every result into the host store."""

    def __init__(self, client, store, target_uri, labels=None):
        self.client, self.store, self.target_uri = client, store, target_uri
        self.labels = dict(labels or {})

    def run(self, scenario, duration_s, on_event=None):
        """One scenario; a refused or failed op ends it with ``error`` set, not an exception,
        so the remaining scenarios still run (a connection loss still raises). A result
        measured while a disturbance failed is left on the target: its labels would lie."""
        outcome = Outcome(scenario)
        started = []
        try:
            for disturbance in scenario.disturbances:
                disturbance.start(self.client, duration_s)
                started.append(disturbance)
            reply = self.client.call("measure", scenario.measure_args(duration_s, self.labels),
                                     on_event=on_event, timeout=duration_s + MEASURE_MARGIN_S)
        except RemoteError as err:
            outcome.error = str(err)
            reply = None
        finally:
            outcome.notes.extend(disturbance.stop(self.client) for disturbance in started)
        disturbed_as_planned = not any(disturbance.failure for disturbance in started)
        if reply is not None and not disturbed_as_planned:
            outcome.error = (f"the disturbance failed (see below); result "
                             f"{reply['result_id'][:12]} stays on the target, unused")
        elif reply is not None:
            outcome.run = self.fetch(reply["result_id"])
            if reply.get("exit_status"):
                outcome.notes.append(f"measurement core exit status {reply['exit_status']}")
        return outcome

    def fetch(self, result_id):
        """Copy a result from the target into the store; the run it holds."""
        data = self.client.call("results.get", {"id": result_id})["data"]
        self.store.add(data, self.target_uri)
        return run_from_bytes(data)
