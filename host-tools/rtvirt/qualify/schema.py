"""The limits file's one description: ``limits.schema.json`` (JSON Schema 2020-12, also
published as docs/limits.schema.json), and the messages its violations turn into.

A message names the key (``limits.cpu.2.max_us``) and what was wrong. It never quotes a whole
table: a hostile file may nest thousands of tables, and their repr would not fit anyway.
Numbers mean what they mean in JSON: finite. TOML's ``nan`` and ``inf`` are not numbers here.
"""

import functools
import json
import math
from importlib import resources

import jsonschema

SCHEMA_FILE = "limits.schema.json"
SHOWN_CHARS = 40
MAX_DEPTH = 8  # the deepest valid key is scenario.NAME.limits.cpu.N.max_us (6)


@functools.cache
def schema():
    return json.loads(resources.files("rtvirt.qualify").joinpath(SCHEMA_FILE).read_text())


def _finite_number(_checker, value):
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


@functools.cache
def validator():
    base = jsonschema.Draft202012Validator
    checker = base.TYPE_CHECKER.redefine("number", _finite_number)
    return jsonschema.validators.extend(base, type_checker=checker)(schema())


def problems(document):
    """One message per violation of the schema by ``document``, in key order."""
    too_deep = _too_deep(document)
    if too_deep:  # the validator would recurse (and quote) all the way down
        return [f"{'.'.join(too_deep)}: tables nested too deeply"]
    errors = sorted(validator().iter_errors(document), key=lambda e: [str(p) for p in e.path])
    return list(dict.fromkeys(f"{_key(error)}: {_reason(error)}" for error in errors))


def _too_deep(document):
    """The key path of the first value nested deeper than MAX_DEPTH, or None (no recursion)."""
    pending = [((), document)]
    while pending:
        path, value = pending.pop()
        if len(path) > MAX_DEPTH:
            return [part[:SHOWN_CHARS] for part in path[:MAX_DEPTH]] + ["…"]
        children = value.items() if isinstance(value, dict) else (
            enumerate(value) if isinstance(value, list) else ())
        pending.extend(((*path, str(key)), child) for key, child in children)
    return None


def _key(error):
    return ".".join(str(part) for part in error.absolute_path) or "top level"


def shown(value):
    """A short, safe rendering of a value from the file."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


TYPE_NAMES = {"object": "a table", "array": "an array", "string": "a string",
              "integer": "an integer", "number": "a finite number", "boolean": "true or false"}


def _known_keys(subschema):
    keys = set(subschema.get("properties", {}))
    reference = subschema.get("$ref", "")
    if reference.startswith("#/$defs/"):
        keys |= _known_keys(schema()["$defs"][reference.removeprefix("#/$defs/")])
    return keys


def _unknown(error):
    unknown = sorted(set(error.instance) - _known_keys(error.schema))
    names = ", ".join(shown(key) for key in unknown[:5])
    return f"unknown key(s) {names} (known: {', '.join(sorted(_known_keys(error.schema)))})"


REASONS = {
    "type": lambda e: f"must be {TYPE_NAMES[e.validator_value]}, not {shown(e.instance)}",
    "const": lambda e: f"must be {e.validator_value!r}, not {shown(e.instance)}",
    "enum": lambda e: (f"{shown(e.instance)} is not one of "
                       f"{', '.join(map(repr, e.validator_value))}"),
    "minimum": lambda e: f"must be ≥ {e.validator_value}, not {shown(e.instance)}",
    "maximum": lambda e: f"must be ≤ {e.validator_value}, not {shown(e.instance)}",
    "pattern": lambda e: f"{shown(e.instance)} is not {_pattern_name(e.validator_value)}",
    "anyOf": lambda e: f"{shown(e.instance)} is not 'all' or a CPU list (e.g. 0-3,6)",
    "required": lambda e: f"{e.validator_value[0]!r} is missing",
    "uniqueItems": lambda e: "names an entry twice",
    "additionalProperties": _unknown,
    "unevaluatedProperties": _unknown,
}


def _pattern_name(pattern):
    defs = schema()["$defs"]
    names = {defs["cpulist"]["pattern"]: "a CPU list (e.g. 0-3,6)",
             defs["name"]["pattern"]: "a name (letters, digits, '.', '_', '-')"}
    return names.get(pattern, "a CPU number")


def _reason(error):
    reason = REASONS.get(error.validator)
    return reason(error) if reason else f"{shown(error.instance)} is not allowed here"
