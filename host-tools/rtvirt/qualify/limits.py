"""The limits file (TOML, ``version = 1``; docs/qualify.md): what ``rtvirt qualify`` measures,
in which scenarios, the limits each must stay within and the gates on the target's set-up.

The whole file is checked at load against one description (``limits.schema.json``); every
problem is reported at once, naming the file and the key, as one UsageError (exit 2).
"""

import dataclasses
import tomllib

from rtvirt_agent.wire.errors import UsageError

from rtvirt.qualify.schema import problems

LIMIT_NAMES = {"max_us": "max", "p99_9_us": "p99.9", "p99_99_us": "p99.99", "avg_us": "avg",
               "missed": "missed", "overflow": "overflow"}
DEFAULT_MEASURE = {"affinity": "all", "priority": 99, "interval_us": 200, "histogram_us": 400,
                   "duration_s": 60}
DEFAULT_GATES = {"diagnose": [], "severity": "fail"}


@dataclasses.dataclass(frozen=True)
class Bounds:
    """Limits as layers of ``(common, per_cpu)``: a later layer wins (a scenario's own limits
    over the file's), and within a layer a CPU's own limits win over the common ones."""

    layers: tuple

    @classmethod
    def from_table(cls, table):
        per_cpu = {int(cpu): dict(values) for cpu, values in table.get("cpu", {}).items()}
        return cls((({k: v for k, v in table.items() if k != "cpu"}, per_cpu),))

    def for_cpu(self, cpu):
        """The limits one CPU is judged by."""
        merged = {}
        for common, per_cpu in self.layers:
            merged.update(common)
            merged.update(per_cpu.get(cpu, {}))
        return merged

    def replaced_by(self, other):
        return Bounds(self.layers + other.layers)

    def __bool__(self):
        return any(common or any(per_cpu.values()) for common, per_cpu in self.layers)


@dataclasses.dataclass(frozen=True)
class Plan:
    """One scenario to qualify in: how it measures, what disturbs it, its limits."""

    name: str
    bounds: Bounds
    measure: dict
    settings: dict


@dataclasses.dataclass(frozen=True)
class Limits:
    source: str
    bounds: Bounds
    plans: tuple
    gates: dict

    def bounds_for(self, scenario):
        """The limits of the named scenario, or the file's common ones."""
        return next((plan.bounds for plan in self.plans if plan.name == scenario), self.bounds)


def _place_problems(plan):
    """What the schema cannot say about where ``plan`` measures: the cell or VM it names."""
    named = {"cell": "cell" in plan.settings or "cell" in plan.measure,
             "vm": "vm" in plan.settings}
    if plan.name in named and not named[plan.name]:
        return [f'scenario.{plan.name}: name the {plan.name} ({plan.name} = "NAME")']
    if all(named.values()):
        return [f"scenario.{plan.name}: measure in a cell or in a vm, not both"]
    return []


def _plans(document, bounds, errors):
    measure = {**DEFAULT_MEASURE, **document.get("measure", {})}
    tables = document.get("scenario") or {"cell" if "cell" in measure else "idle": {}}
    plans = []
    for name, table in tables.items():
        plan = Plan(name, bounds.replaced_by(Bounds.from_table(table.get("limits", {}))),
                    {**measure, **table.get("measure", {})},
                    {k: v for k, v in table.items() if k not in ("limits", "measure")})
        errors += _place_problems(plan)
        if not plan.bounds:
            errors.append(f"scenario.{name}: no limit set (in [limits] or its own limits)")
        plans.append(plan)
    return tuple(plans)


def decode(data, source):
    """The TOML document of the bytes ``data`` read from ``source``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UsageError(f"{source}: not UTF-8 text (byte {err.start})") from err
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise UsageError(f"{source}: not valid TOML: {err}") from err
    except RecursionError as err:
        raise UsageError(f"{source}: values nested too deeply") from err


def parse_limits(data, source):
    """``Limits`` from the file content ``data`` (bytes or text)."""
    document = decode(data.encode() if isinstance(data, str) else data, source)
    errors = problems(document)
    if not errors:
        bounds = Bounds.from_table(document.get("limits", {}))
        limits = Limits(source, bounds, _plans(document, bounds, errors),
                        {**DEFAULT_GATES, **document.get("gates", {})})
    if errors:
        raise UsageError(f"{source}: {len(errors)} problem(s):\n  " + "\n  ".join(errors))
    return limits


def load_limits(path):
    try:
        with open(path, "rb") as limits_file:
            data = limits_file.read()
    except OSError as err:
        raise UsageError(f"cannot read limits file {path}: {err.strerror}") from err
    return parse_limits(data, path)
