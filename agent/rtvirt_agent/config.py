"""The agent's configuration, /etc/rtvirt/agent.toml: validated on load, every error at once.

The file is optional: without it the agent runs with the defaults below (BLOCKSYS disabled).
An explicitly named file that is missing, unreadable or wrong is a ``UsageError`` listing
every problem found, so a technician fixes the file in one go.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .wire.errors import UsageError

DEFAULT_PATH = Path("/etc/rtvirt/agent.toml")
CONFIG_VERSION = 1
LOAD_PROFILES = ("llc-stress", "cpu", "memory", "cache")


@dataclass(frozen=True)
class Key:
    """One configuration key: dotted TOML name, dataclass field, type, default, range."""

    name: str
    field: str
    kind: type
    default: object
    low: float | None = None
    high: float | None = None


KEYS = (
    Key("results_dir", "results_dir", str, "/var/lib/rtvirt/results"),
    Key("core", "core", str, ""),
    Key("blocksys.enabled", "blocksys_enabled", bool, False),
    Key("blocksys.device", "blocksys_device", str, "/dev/blocksys"),
    Key("load.profiles", "load_profiles", list, list(LOAD_PROFILES)),
    Key("load.stress_ng", "stress_ng", str, ""),
    Key("container.runtime", "container_runtime", str, ""),
    Key("limits.max_duration_s", "max_duration_s", float, 3600.0, 1, 7 * 86400),
    Key("limits.max_load_duration_s", "max_load_duration_s", float, 3600.0, 1, 7 * 86400),
    Key("limits.max_blocksys_us", "max_blocksys_us", int, 100000, 1, 10_000_000),
    Key("limits.max_threads", "max_threads", int, 1024, 1, 65536),
)


@dataclass(frozen=True)
class AgentConfig:
    """Validated settings; empty strings for core/stress_ng/runtime mean "search PATH"."""

    results_dir: Path
    core: str
    blocksys_enabled: bool
    blocksys_device: str
    load_profiles: tuple
    stress_ng: str
    container_runtime: str
    max_duration_s: float
    max_load_duration_s: float
    max_blocksys_us: int
    max_threads: int

    def with_results_dir(self, results_dir):
        values = {key.field: getattr(self, key.field) for key in KEYS}
        return AgentConfig(**{**values, "results_dir": Path(results_dir)})


def _lookup(table, dotted):
    """(True, value) if the dotted key is in the table, else (False, None)."""
    node = table
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _unknown_keys(table, prefix=""):
    known = {key.name for key in KEYS} | {"version"}
    sections = {name.rpartition(".")[0] for name in known} - {""}
    for name, value in table.items():
        dotted = f"{prefix}{name}"
        if dotted in sections and isinstance(value, dict):
            yield from _unknown_keys(value, f"{dotted}.")
        elif dotted not in known:
            yield dotted


def _check_value(key, value):
    """An error message for a bad value, or None."""
    if key.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, key.kind) or (key.kind is int and isinstance(value, bool)):
        return f"{key.name} must be of type {key.kind.__name__}, not {type(value).__name__}"
    if key.low is not None and not key.low <= value <= key.high:
        return f"{key.name} = {value} is outside {key.low:g}..{key.high:g}"
    if key.name == "load.profiles":
        bad = [profile for profile in value if profile not in LOAD_PROFILES]
        if bad:
            return f"load.profiles: unknown {bad}; known: {', '.join(LOAD_PROFILES)}"
    return None


def parse_config(table, source="agent.toml"):
    """An ``AgentConfig`` from a parsed TOML table; raises UsageError naming every problem."""
    errors = [f"unknown key {name!r}" for name in _unknown_keys(table)]
    version = table.get("version")
    if version != CONFIG_VERSION:
        errors.append(f"version must be {CONFIG_VERSION} (found {version!r})")
    values = {}
    for key in KEYS:
        present, value = _lookup(table, key.name)
        if not present:
            value = key.default
        error = _check_value(key, value)
        if error:
            errors.append(error)
        values[key.field] = value
    if errors:
        raise UsageError(f"{source}: " + "; ".join(errors))
    values["results_dir"] = Path(values["results_dir"])
    values["load_profiles"] = tuple(values["load_profiles"])
    values["max_duration_s"] = float(values["max_duration_s"])
    values["max_load_duration_s"] = float(values["max_load_duration_s"])
    return AgentConfig(**values)


def default_config():
    return parse_config({"version": CONFIG_VERSION})


def load_config(path=None):
    """The configuration from ``path``; None means DEFAULT_PATH, which may be absent."""
    if path is None and not DEFAULT_PATH.exists():
        return default_config()
    path = Path(path or DEFAULT_PATH)
    try:
        table = tomllib.loads(path.read_text())
    except OSError as error:
        raise UsageError(f"{path}: cannot read the agent configuration: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: not valid TOML: {error}") from None
    return parse_config(table, str(path))
