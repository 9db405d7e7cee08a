"""A scenario: one named measurement and the disturbances that run alongside it."""

from dataclasses import dataclass, field

# The measure op's arguments (docs/agent.md) as the demo uses them: one SCHED_FIFO 99 thread
# per CPU, 1 ms interval (gentle enough for an emulated CPU), 400 µs histogram as in the seed.
MEASURE_DEFAULTS = {
    "affinity": None, "threads": None, "smp": True, "priority": 99, "interval_us": 1000,
    "distance_us": 0, "loops": None, "histogram_us": 400, "mlock": True, "pm_qos": True,
    "container": False,
}


@dataclass(frozen=True)
class Scenario:
    """``measure`` overrides MEASURE_DEFAULTS; ``disturbances`` start before the measurement
    and stop after it (see rtvirt.demo.disturbance)."""

    name: str
    summary: str
    measure: dict = field(default_factory=dict)
    disturbances: tuple = ()

    def measure_args(self, duration_s, labels):
        """The complete "measure" request for a run of ``duration_s`` seconds."""
        all_labels = {**labels, "scenario": self.name}
        for disturbance in self.disturbances:
            all_labels.update(disturbance.labels)
        return {**MEASURE_DEFAULTS, **self.measure, "duration_s": float(duration_s),
                "labels": all_labels}

    @property
    def needs_blocksys(self):
        return any(disturbance.needs_blocksys for disturbance in self.disturbances)
