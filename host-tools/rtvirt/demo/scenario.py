"""A scenario is data: where to measure, with which arguments, and what disturbs it meanwhile.

``rtvirt demo``, qualify profiles and the Jailhouse/KVM proofs describe their experiments
with these two classes and hand them to one runner (rtvirt.demo.engine).
"""

from dataclasses import dataclass, field

from rtvirt.demo.place import check_where, place_kind


@dataclass(frozen=True)
class Measurement:
    """One measurement of a scenario: ``where`` it runs (rtvirt.demo.place: "host",
    "container", "cell:NAME", …) and the measure op's arguments beyond that place's
    defaults (docs/agent.md)."""

    where: str = "host"
    args: dict = field(default_factory=dict)

    def __post_init__(self):
        check_where(self.where)


@dataclass(frozen=True)
class Scenario:
    """A named experiment: its measurements run at the same time while its disturbances
    (rtvirt.demo.disturbance) run alongside; ``labels`` go with every result it stores;
    ``group`` says which demo runs it (rtvirt.demo.catalog.GROUPS); ``beside_cells`` are
    Jailhouse cells that must run for the scenario to mean anything, beyond those it
    measures in (the root cell measured beside its inmates); ``beside_vms`` likewise KVM
    guests (the host measured beside its guest)."""

    name: str
    summary: str
    measurements: tuple = (Measurement(),)
    disturbances: tuple = ()
    labels: dict = field(default_factory=dict)
    group: str = "default"
    beside_cells: tuple = ()
    beside_vms: tuple = ()

    def result_name(self, measurement):
        """The ``scenario`` label of ``measurement``'s result: the scenario's name, followed by
        where it measured when the scenario measures in several places at once."""
        if len(self.measurements) == 1:
            return self.name
        return f"{self.name}/{measurement.where}"

    def result_labels(self, measurement, labels):
        """Every label of ``measurement``'s result: the runner's, the scenario's, where it
        measured and what disturbed it."""
        all_labels = {**labels, **self.labels, "scenario": self.result_name(measurement),
                      "where": measurement.where}
        for disturbance in self.disturbances:
            all_labels.update(disturbance.labels)
        return all_labels

    @property
    def needs_blocksys(self):
        return any(disturbance.needs_blocksys for disturbance in self.disturbances)

    def cells(self):
        """Names of the Jailhouse cells this scenario measures in or beside."""
        return {measurement.where.partition(":")[2] for measurement in self.measurements
                if place_kind(measurement.where) == "cell"} | set(self.beside_cells)

    def vms(self):
        """Names of the KVM guests this scenario measures or disturbs in."""
        places = [m.where for m in self.measurements] + [d.where for d in self.disturbances]
        return {where.partition(":")[2] for where in places if place_kind(where) == "vm"} | \
            set(self.beside_vms)

    def unmet(self, facts):
        """Why the target described by ``facts`` (rtvirt.demo.catalog.TargetFacts) cannot run
        this scenario, or None."""
        missing = sorted(self.cells() - set(facts.cells))
        if missing:
            return f"no running Jailhouse cell {', '.join(missing)} on this target"
        missing = sorted(self.vms() - set(facts.vms))
        if missing:
            return f"no running KVM guest {', '.join(missing)} on this target (rtvirt vms list)"
        if self.needs_blocksys and not facts.blocksys:
            return "blocksys is disabled in the agent's agent.toml"
        return None
