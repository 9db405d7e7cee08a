"""Facts read from the rtvirt Jailhouse cell sources (agent/cells): header macros, config fields."""

import re
import shutil
import subprocess

from .conftest import REPO

CELLS = REPO / "agent" / "cells"
INMATE_DTS = sorted(CELLS.glob("rtvirt-*-linux.dts"))
_C_EXPRESSION = re.compile(r"[0-9a-fA-Fx()+\-*<> ]+")


def header_of(source):
    """The machine header (rtvirt-<machine>.h) a cell config or device tree includes."""
    return re.search(r'#include "(rtvirt-[\w-]+\.h)"', source.read_text()).group(1)


def macro_values(header, *names):
    """{name: integer value} of macros of a cells header, expanded by the C preprocessor."""
    if not shutil.which("cpp"):
        raise RuntimeError("cpp is needed to expand the cells' macros")
    snippet = f'#include "{header}"\n' + "".join(f"{name}\n" for name in names)
    expanded = subprocess.run(["cpp", "-P", "-nostdinc", "-undef", f"-I{CELLS}", "-"],
                              input=snippet, capture_output=True, text=True, check=True)
    lines = [line.strip() for line in expanded.stdout.splitlines() if line.strip()]
    values = {}
    for name, line in zip(names, lines[-len(names):], strict=True):
        assert _C_EXPRESSION.fullmatch(line), f"{name} is not a constant: {line}"
        values[name] = eval(line, {"__builtins__": {}})  # noqa: S307 - checked above
    return values


def config_text(source):
    """A cell config's text with the cell body it includes (rtvirt-arm64-*.h, shared by the
    platforms; the platform header only places it)."""
    text = source.read_text()
    bodies = re.findall(r'#include "(rtvirt-arm64-[\w-]+\.h)"', text)
    return "\n".join([text, *((CELLS / body).read_text() for body in bodies)])


def config_name(source):
    """The `.name` of a cell config."""
    return re.search(r'\.name = "([\w-]+)"', config_text(source)).group(1)


def config_cpus(source):
    """CPU numbers of a cell config's CPU bitmap (first word)."""
    bitmap = int(re.search(r"\.cpus = \{\s*(0x[0-9a-fA-F]+|\d+)", config_text(source)).group(1),
                 0)
    return [cpu for cpu in range(64) if bitmap >> cpu & 1]


def config_console_macro(source):
    """Name of the macro a cell config gives as its console's address."""
    return re.search(r"\.console = \{\s*\.address = (\w+),", config_text(source)).group(1)
