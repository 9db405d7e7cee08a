"""The limits file is checked whole at load against its one description (the JSON Schema)."""

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rtvirt.qualify.limits import parse_limits
from rtvirt.qualify.schema import problems, schema
from rtvirt_agent.wire.errors import UsageError

REPO = Path(__file__).resolve().parents[2]
GOOD = "version = 1\n[limits]\nmax_us = 100\n"
DEEP = ".".join(["a"] * 5000)


@pytest.mark.parametrize("text, key, reason", [
    ("version = 1\nlimits = 5\n", "limits", "must be a table"),
    ("version = 1\n[limits]\ncpu = 5\n", "limits.cpu", "must be a table"),
    ("version = 1\nmeasure = 5\n[limits]\nmax_us = 1\n", "measure", "must be a table"),
    ("version = 1\n[limits]\nmax_us = nan\n", "limits.max_us", "finite number"),
    ("version = 1\n[limits]\nmax_us = inf\n", "limits.max_us", "finite number"),
    ("version = true\n[limits]\nmax_us = 1\n", "version", "must be 1"),
    (GOOD + "[measure]\npriority = -5\n", "measure.priority", "≥ 0"),
    (GOOD + "[measure]\nduration_s = nan\n", "measure.duration_s", "finite number"),
    (GOOD + '[measure]\naffinity = "zzz"\n', "measure.affinity", "CPU list"),
    (GOOD + "[limits.cpu.x]\nmax_us = 1\n", "limits.cpu", "CPU number"),
    (GOOD + "[limits.cpu.1]\nmax_us = true\n", "limits.cpu.1.max_us", "finite number"),
    (GOOD + "[scenario.qemu]\n", "scenario", "'qemu' is not one of"),
    (GOOD + "[scenario.load]\nload = \"a b\"\n", "scenario.load.load", "is not a name"),
    (GOOD + "[gates]\ndiagnose = [\"kernel\", \"kernel\"]\n", "gates.diagnose", "twice"),
    (GOOD + "[scenario.blocksys]\nblock_us = 0\n", "scenario.blocksys.block_us", "≥ 1"),
])
def test_a_bad_value_is_named_by_file_and_key(text, key, reason):
    with pytest.raises(UsageError) as caught:
        parse_limits(text, "station.toml")
    message = str(caught.value)
    assert message.startswith("station.toml: ")
    assert f"\n  {key}: " in message and reason in message


def test_every_problem_is_reported_at_once():
    with pytest.raises(UsageError) as caught:
        parse_limits('version = 2\n[limits]\nmax_us = -1\nfoo = 3\n[measure]\nbar = 1\n'
                     'priority = 200\n', "l.toml")
    lines = str(caught.value).splitlines()
    assert lines[0] == "l.toml: 5 problem(s):"
    assert [line.split(":")[0].strip() for line in lines[1:]] == \
        ["limits", "limits.max_us", "measure", "measure.priority", "version"]


@pytest.mark.parametrize("text", [
    f"version = 1\n[{DEEP}]\nx = 1\n",
    f"{GOOD}[limits.cpu.0.{DEEP}]\nx = 1\n",
    f"{GOOD}[measure.affinity.{DEEP}]\nx = 1\n",
    "version = 1\nx = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
    "version = 1\nx = " + "[" * 5000 + "]" * 5000 + "\n",
])
def test_deep_nesting_is_a_usage_error_not_a_crash(text):
    with pytest.raises(UsageError, match="nested too deeply"):
        parse_limits(text, "l.toml")


def test_bytes_that_are_not_utf8_are_named():
    with pytest.raises(UsageError, match=r"l.toml: not UTF-8 text \(byte 10\)"):
        parse_limits(b"version=1\n\xff\xfe", "l.toml")


def test_a_scenarios_own_limits_win_over_the_files_per_cpu_ones():
    limits = parse_limits(GOOD + "[limits.cpu.2]\nmax_us = 30\navg_us = 5\n"
                          "[scenario.idle]\n[scenario.load.limits]\nmax_us = 300\n", "l.toml")
    assert [plan.name for plan in limits.plans] == ["idle", "load"]
    assert limits.bounds_for("idle").for_cpu(2) == {"max_us": 30, "avg_us": 5}
    assert limits.bounds_for("load").for_cpu(2) == {"max_us": 300, "avg_us": 5}
    assert limits.bounds_for("load").for_cpu(0) == {"max_us": 300}
    assert limits.bounds_for("elsewhere").for_cpu(0) == {"max_us": 100}


def test_without_scenarios_qualify_measures_idle_or_in_the_named_cell():
    assert [p.name for p in parse_limits(GOOD, "l").plans] == ["idle"]
    in_cell = parse_limits(GOOD + '[measure]\ncell = "rt"\n', "l")
    assert [p.name for p in in_cell.plans] == ["cell"]


@pytest.mark.parametrize("text, problem", [
    ("version = 1\n", "scenario.idle: no limit set"),
    (GOOD + "[scenario.cell]\n", "scenario.cell: name the cell"),
])
def test_what_the_schema_cannot_say_is_checked_too(text, problem):
    with pytest.raises(UsageError, match=problem):
        parse_limits(text, "l.toml")


def test_the_published_schema_is_the_one_used():
    published = json.loads((REPO / "docs" / "limits.schema.json").read_text())
    assert published == schema()


def test_the_example_limits_file_is_valid_and_uses_scenarios_and_gates():
    limits = parse_limits((REPO / "examples" / "limits.toml").read_bytes(), "limits.toml")
    assert len(limits.plans) > 1 and limits.gates["diagnose"]


@given(st.binary(max_size=200))
def test_any_bytes_load_or_give_a_usage_error(data):
    with contextlib.suppress(UsageError):
        parse_limits(data, "fuzz.toml")


toml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3), max_leaves=20)


@given(st.dictionaries(st.sampled_from(["version", "limits", "measure", "gates", "scenario",
                                        "x"]), toml_values, max_size=5))
def test_any_document_gives_messages_not_exceptions(document):
    assert all(isinstance(message, str) for message in problems(document))
