"""Runs scenarios on a connected target: disturbances, the measurements, fetching the results.

All calls share one ``Client`` per agent; its calls are thread-safe, so a blocksys call and
several measurements (a scenario measuring in two places at once) run in their own threads
while "measure" streams its progress events.
"""

import threading
from dataclasses import dataclass, field

from rtvirt_agent.protocol.rpc import CALL_DEADLINE
from rtvirt_agent.wire.errors import RemoteError, UsageError

from rtvirt.demo.blocks import reached_note
from rtvirt.demo.disturbance import Blocksys
from rtvirt.demo.place import measure_call, place_kind
from rtvirt.report.sources import run_from_bytes


@dataclass
class Outcome:
    """What one scenario gave: its stored runs (one per measurement) with the measure ops'
    replies, or why there are none, and notes on the way."""

    scenario: object
    runs: list = field(default_factory=list)
    replies: list = field(default_factory=list)
    error: str | None = None
    notes: list = field(default_factory=list)


class ScenarioRunner:
    """Runs scenarios on one target and puts every result into the host store.

    ``clients`` maps places other than "host" to the client of the agent that runs
    disturbances there; measurements always go through the target's own agent, which relays
    to cells and guests itself.
    """

    def __init__(self, client, store, target_uri, labels=None, clients=None):
        self.client, self.store, self.target_uri = client, store, target_uri
        self.labels = dict(labels or {})
        self.clients = {"host": client, **(clients or {})}
        self.cancelled = threading.Event()
        self._in_flight, self._lock = set(), threading.Lock()

    def cancel(self):
        """End the running scenario early (thread-safe; Ctrl-C while measuring calls it): its
        measurements are cancelled on the target, which keeps and returns their partial
        results, and no further scenario starts."""
        self.cancelled.set()
        with self._lock:
            running = list(self._in_flight)
        for req_id in running:
            self._cancel_request(req_id)

    def _cancel_request(self, req_id):
        """The agent answers a cancel of a request that ended meanwhile all the same."""
        self.client.call("cancel", {"req_id": req_id})

    def _started(self, req_id):
        with self._lock:
            self._in_flight.add(req_id)
        if self.cancelled.is_set():  # cancel() came before this request went out
            self._cancel_request(req_id)

    def client_for(self, where):
        if place_kind(where) == "vm":   # the host's agent relays to its guests (vm.call)
            return self.client
        try:
            return self.clients[where]
        except KeyError:
            raise UsageError(f"no agent to disturb {where!r} through: known "
                             f"{', '.join(self.clients)}") from None

    def run(self, scenario, duration_s, on_event=None):
        """One scenario; a refused or failed op ends it with ``error`` set, not an exception,
        so the remaining scenarios still run (a connection loss still raises). Results
        measured while a disturbance failed are left on the target: their labels would lie.
        ``on_event(measurement, event)`` gets each measurement's progress events."""
        outcome = Outcome(scenario)
        if self.cancelled.is_set():
            outcome.error = "not started: the demo was interrupted"
            return outcome
        started, replies = [], []
        try:
            for disturbance in scenario.disturbances:
                disturbance.start(self.client_for(disturbance.where), duration_s)
                started.append(disturbance)
            replies = self.measure_all(scenario, duration_s, on_event)
        except RemoteError as err:
            outcome.error = str(err)
        finally:
            outcome.notes.extend(disturbance.stop(self.client_for(disturbance.where))
                                 for disturbance in started)
        if replies and any(disturbance.failure for disturbance in started):
            ids = ", ".join(reply["result_id"][:12] for reply in replies)
            outcome.error = f"the disturbance failed (see below); result(s) {ids} stay on " \
                            "the target, unused"
        elif replies:
            self.collect(outcome, replies)
        if self.cancelled.is_set():
            outcome.notes.append("interrupted: the measurement was cancelled on the target, "
                                 "its partial result kept")
        return outcome

    def measure_all(self, scenario, duration_s, on_event):
        """The replies of the scenario's measurements, run at the same time; the first error
        raised (a RemoteError after every measurement has ended). Ctrl-C meanwhile cancels
        them on the target, which keeps and returns what they measured."""
        replies, errors = [None] * len(scenario.measurements), []
        finished = [threading.Event() for _ in scenario.measurements]

        def measure(index, measurement):
            try:
                replies[index] = self.measure_one(scenario, measurement, duration_s, on_event)
            except Exception as err:  # re-raised below, in the caller's thread
                errors.append(err)
            finally:
                finished[index].set()

        for item in enumerate(scenario.measurements):
            threading.Thread(target=measure, args=item, name=f"demo-measure-{item[0]}",
                             daemon=True).start()
        try:
            _wait_all(finished)
        except KeyboardInterrupt:
            self.cancel()
            _wait_all(finished)
        if errors:
            raise next((err for err in errors if not isinstance(err, RemoteError)), errors[0])
        return replies

    def measure_one(self, scenario, measurement, duration_s, on_event):
        """One measurement's reply; its request id is known to ``cancel`` while it runs."""
        op, request, timeout = measure_call(measurement.where, measurement.args, duration_s,
                                            scenario.result_labels(measurement, self.labels))
        forward = None if on_event is None else (lambda event: on_event(measurement, event))
        sent = []

        def started(req_id):
            sent.append(req_id)
            self._started(req_id)

        try:
            return self.client.call(op, request, on_event=forward, on_start=started,
                                    timeout=timeout, deadline=timeout + CALL_DEADLINE)
        finally:
            with self._lock:
                self._in_flight.difference_update(sent)

    def collect(self, outcome, replies):
        """Fetch every result into the store; notes on exit status and blocks reached."""
        blocks = [d for d in outcome.scenario.disturbances if isinstance(d, Blocksys)]
        for reply in replies:
            run = self.fetch(reply["result_id"])
            outcome.runs.append(run)
            outcome.replies.append(reply)
            if reply.get("exit_status"):
                outcome.notes.append(f"{run.scenario}: measurement core exit status "
                                     f"{reply['exit_status']}")
            if "samples" in reply:  # relayed from a bare-metal inmate
                outcome.notes.append(f"{run.scenario}: {reply['samples']} samples relayed by "
                                     f"the root cell, {reply['samples_lost']} lost")
            outcome.notes.extend(reached_note(run, block.duration_us) for block in blocks)

    def fetch(self, result_id):
        """Copy a result from the target into the store; the run it holds."""
        data = self.client.call("results.get", {"id": result_id})["data"]
        self.store.add(data, self.target_uri)
        return run_from_bytes(data)


def _wait_all(events):
    for event in events:
        event.wait()
