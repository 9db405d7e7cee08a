"""agent/inmate/cell_link.h agrees with the relay (rtvirt_agent.cell.link) and with the
fake inmate the relay tests use."""

import re
from pathlib import Path

from rtvirt_agent.wire.cell_command import COMMAND, LIMITS
from rtvirt_agent.wire.ivshmem import HEADER, MAILBOX

from .fake_inmate import REQUEST, RESPONSE, SAMPLES_AT

HEADER_FILE = Path(__file__).resolve().parents[2] / "agent" / "inmate" / "cell_link.h"


def c_defines():
    text = HEADER_FILE.read_text()
    values = {}
    for name, expr in re.findall(r"^#define (CELL_\w+) (.+?)(?:\s*/\*.*)?$", text, re.M):
        expr = re.sub(r"(\d+)u(ll)?\b", r"\1", expr)
        if expr.startswith('"'):
            values[name] = expr.strip('"').encode()
        else:
            values[name] = eval(expr, {}, dict(values))  # noqa: S307 - our own header
    return values


def test_command_layout_and_limits_agree():
    c = c_defines()
    assert COMMAND.sizeof() == c["CELL_COMMAND_SIZE"]
    assert COMMAND.build(dict(run_id=0, interval_us=0, histogram_us=0, loops=0,
                              realtime_ns=0, overflow_cap=0, cpu=0))[:4] == \
        c["CELL_COMMAND_MAGIC"]
    assert {"interval_us": (c["CELL_MIN_INTERVAL_US"], c["CELL_MAX_INTERVAL_US"]),
                      "histogram_us": (1, c["CELL_MAX_HISTOGRAM_US"]),
                      "loops": (1, c["CELL_MAX_LOOPS"]),
                      "overflow_cap": (0, c["CELL_MAX_OVERFLOW_CAP"])} == LIMITS


def test_region_layout_agrees():
    c = c_defines()
    assert c["CELL_REQUEST_OFFSET"] == HEADER.sizeof()
    assert c["CELL_MAILBOX_CTL_SIZE"] == MAILBOX.sizeof()
    assert (c["CELL_REQUEST_OFFSET"], c["CELL_REQUEST_SIZE"]) == REQUEST
    assert (c["CELL_RESPONSE_OFFSET"], c["CELL_RESPONSE_SIZE"]) == RESPONSE
    assert c["CELL_SAMPLES_OFFSET"] == SAMPLES_AT and SAMPLES_AT % 64 == 0


def test_the_inmate_recipe_builds_against_the_jailhouse_recipes_revision():
    layer = HEADER_FILE.parents[2] / "meta-rtvirt" / "recipes-jailhouse"
    pinned = re.search(r'^SRCREV_jailhouse = "(\w+)"',
                       (layer / "jailhouse/jailhouse_git.bb").read_text(), re.M).group(1)
    ours = re.search(r'^SRCREV_jailhouse = "(\w+)"',
                     (layer / "rtvirt-inmate/rtvirt-inmate.bb").read_text(), re.M).group(1)
    assert ours == pinned
