"""The limits file (TOML, ``version = 1``), validated on load with every error reported at once.

```toml
version = 1
[limits]              # applies to every CPU
max_us = 100          # worst case
p99_9_us = 40         # 99.9th percentile
avg_us = 20
missed = 0            # missed periods
overflow = 0          # samples above the histogram range
[limits.cpu.2]        # tighter limits for one CPU (keys as above)
max_us = 30
[measure]             # how 'rtvirt qualify' measures when no result is given
affinity = "all"      # or a CPU list
priority = 99
interval_us = 200
histogram_us = 400
duration_s = 60
cell = "rtvirt-linux-rt"  # optional: inside this Jailhouse cell (docs/inmate.md)
```
"""

import dataclasses
import tomllib

from rtvirt_agent.wire.errors import UsageError

LIMIT_KEYS = {"max_us": "max", "p99_9_us": "p99.9", "avg_us": "avg", "missed": "missed",
              "overflow": "overflow"}
MEASURE_KEYS = {"affinity": str, "priority": int, "interval_us": int, "histogram_us": int,
                "duration_s": (int, float), "distance_us": int, "cell": str}
DEFAULT_MEASURE = {"affinity": "all", "priority": 99, "interval_us": 200, "histogram_us": 400,
                   "duration_s": 60}


@dataclasses.dataclass(frozen=True)
class Limits:
    common: dict
    per_cpu: dict
    measure: dict

    def for_cpu(self, cpu):
        """The limits one CPU is judged by: the common ones, overridden per CPU."""
        return {**self.common, **self.per_cpu.get(cpu, {})}


def _limit_table(table, where, errors):
    limits = {}
    for key, value in table.items():
        if key == "cpu" and where == "[limits]":
            continue
        if key not in LIMIT_KEYS:
            errors.append(f"{where}: unknown limit {key!r} (known: {', '.join(LIMIT_KEYS)})")
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            errors.append(f"{where}: {key} must be a number ≥ 0, not {value!r}")
        else:
            limits[key] = value
    return limits


def _per_cpu(table, errors):
    per_cpu = {}
    for cpu_text, cpu_table in table.get("cpu", {}).items():
        if not cpu_text.isdigit() or not isinstance(cpu_table, dict):
            errors.append(f"[limits.cpu.{cpu_text}]: expected a CPU number with a table")
            continue
        per_cpu[int(cpu_text)] = _limit_table(cpu_table, f"[limits.cpu.{cpu_text}]", errors)
    return per_cpu


def _measure(table, errors):
    measure = dict(DEFAULT_MEASURE)
    for key, value in table.items():
        kind = MEASURE_KEYS.get(key)
        if kind is None:
            errors.append(f"[measure]: unknown key {key!r} (known: {', '.join(MEASURE_KEYS)})")
        elif isinstance(value, bool) or not isinstance(value, kind):
            errors.append(f"[measure]: {key} has the wrong type ({value!r})")
        else:
            measure[key] = value
    return measure


def parse_limits(text, source):
    """``Limits`` from TOML text; a UsageError lists every problem of ``source``."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise UsageError(f"{source}: not valid TOML: {err}") from err
    errors = []
    if document.get("version") != 1:
        errors.append(f"version must be 1, not {document.get('version')!r}")
    for key in set(document) - {"version", "limits", "measure"}:
        errors.append(f"unknown section {key!r}")
    table = document.get("limits", {})
    limits = Limits(_limit_table(table, "[limits]", errors), _per_cpu(table, errors),
                    _measure(document.get("measure", {}), errors))
    if not limits.common and not limits.per_cpu:
        errors.append("[limits] sets no limit")
    if errors:
        raise UsageError(f"{source}: " + "; ".join(errors))
    return limits


def load_limits(path):
    try:
        with open(path, encoding="utf-8") as limits_file:
            return parse_limits(limits_file.read(), path)
    except OSError as err:
        raise UsageError(f"cannot read limits file {path}: {err.strerror}") from err
