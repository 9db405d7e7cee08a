"""The C core's limits hold the measure op's description (wire.opspec; issue 14 item 10).

The agent passes every checked argument on to rtvirt-measure: each range in the description
must lie inside what the core's option parser accepts (agent/core/options.c and options.h),
and where the core's limit *is* the limit (priority, histogram, break, threads, CPUs), the two
must be the same number, so that neither side can drift alone.
"""

import re
from pathlib import Path

import pytest
from rtvirt_agent.wire.opspec import CORE_MAX_CPU, MEASURE_ARGS

CORE = Path(__file__).resolve().parents[2] / "agent" / "core"
FLAGS = {"priority": "p", "interval_us": "i", "distance_us": "d", "loops": "l",
         "histogram_us": "h", "break_us": "b", "threads": "t"}
SAME_TOP = ("priority", "histogram_us", "break_us", "threads")
C_LIMITS = {"UINT32_MAX": 2**32 - 1, "UINT64_MAX": 2**64 - 1, "CPU_SETSIZE": 1024}


def evaluate(expression, values):
    expression = expression.strip()
    return values[expression] if expression in values else int(expression.rstrip("u"), 0)


def constants():
    """options.h's #defines, on top of the C library's limits they use."""
    values = dict(C_LIMITS)
    for name, value in re.findall(r"#define (\w+) (\w+)", (CORE / "options.h").read_text()):
        values[name] = evaluate(value, values)
    return values


def core_range(letter):
    """(low, high) of the parse_u64 call under ``case 'LETTER':`` of options.c."""
    source = (CORE / "options.c").read_text()
    case = source[source.index(f"case '{letter}':"):]
    low, high = re.search(r"parse_u64\(\w+, ([^,]+), ([^,]+), &v\)", case).groups()
    values = constants()
    return evaluate(low, values), evaluate(high, values)


@pytest.mark.parametrize("name", sorted(FLAGS))
def test_the_description_fits_inside_the_core(name):
    shape = MEASURE_ARGS[name].shape
    low, high = core_range(FLAGS[name])
    assert shape.high <= high
    assert shape.low >= low or (name == "threads" and shape.low == 0)  # 0: a bare -t
    if name in SAME_TOP:
        assert shape.high == high


def test_the_cpu_limit_is_the_cores_cpu_set():
    assert C_LIMITS["CPU_SETSIZE"] - 1 == CORE_MAX_CPU
    assert MEASURE_ARGS["affinity"].shape.max_cpu == CORE_MAX_CPU
    assert "v >= CPU_SETSIZE" in (CORE / "cpulist.c").read_text()
