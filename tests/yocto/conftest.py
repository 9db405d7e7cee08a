"""Paths and a small reader of bitbake metadata shared by the meta-rtvirt checks."""

import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAYER = REPO / "meta-rtvirt"
KAS_DIR = REPO / "kas"

sys.path.insert(0, str(LAYER / "lib"))

_ASSIGNMENT = re.compile(
    r'^(?P<name>[A-Za-z0-9_${}:/.-]+(?:\[[\w-]+\])?)\s*(?P<op>\?\?=|\?=|:=|\+=|=\+|\.=|=\.|=)'
    r'\s*"(?P<value>(?:[^"\\]|\\.|\\\n)*)"', re.M)


def assignments(path):
    """{variable: [values in order]} for the plain assignments of a bitbake file."""
    found = {}
    for match in _ASSIGNMENT.finditer(Path(path).read_text()):
        value = match.group("value").replace("\\\n", " ")
        found.setdefault(match.group("name"), []).append(" ".join(value.split()))
    return found


def layer_files(*patterns):
    return sorted(path for pattern in patterns for path in LAYER.rglob(pattern))


@pytest.fixture(scope="session")
def recipes():
    return layer_files("*.bb")


@pytest.fixture(scope="session")
def bbappends():
    return layer_files("*.bbappend")
