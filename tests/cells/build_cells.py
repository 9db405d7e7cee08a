"""Compile rtvirt's Jailhouse cell configurations (C) into ``.cell`` binaries.

Does what Jailhouse's own build does for ``configs/<arch>/*.c``: host ``gcc -c`` against the
Jailhouse headers, then ``objcopy -O binary``. The binaries in ``data/`` are the output of
``python tests/cells/build_cells.py JAILHOUSE_SRC tests/cells/data`` (``make cells-fixtures``);
the tests check them, and re-check that they match the C sources when a Jailhouse tree is
given in ``$RTVIRT_JAILHOUSE_SRC``.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CELLS_DIR = HERE.parents[1] / "agent" / "cells"
# The x86 root cell is generated per machine; this stand-in shows the rtvirt additions.
EXAMPLE_SOURCES = [HERE / "data" / "x86-root-example.c"]


def sources():
    """Every cell config source: rtvirt's cells and the test-only example root."""
    return sorted(CELLS_DIR.glob("*.c")) + EXAMPLE_SOURCES


def architecture(source):
    return "x86" if "x86" in source.name else "arm64"


def compile_cell(jailhouse, source, output):
    """Build one config ``source`` into the binary ``output`` against the tree ``jailhouse``."""
    jailhouse = Path(jailhouse)
    includes = [jailhouse / "hypervisor" / "arch" / architecture(source) / "include",
                jailhouse / "hypervisor" / "include", jailhouse / "include", CELLS_DIR]
    with tempfile.TemporaryDirectory() as scratch:
        obj = Path(scratch) / "cell.o"
        subprocess.run(["gcc", "-c", "-Wall", "-Wextra", "-Werror",
                        *(f"-I{path}" for path in includes), "-o", str(obj), str(source)],
                       check=True)
        subprocess.run(["objcopy", "-O", "binary", "--remove-section=.note.gnu.property",
                        str(obj), str(output)], check=True)


def build_all(jailhouse, out_dir):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for source in sources():
        compile_cell(jailhouse, source, out_dir / f"{source.stem}.cell")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: build_cells.py JAILHOUSE_SRC OUT_DIR")
    build_all(sys.argv[1], sys.argv[2])
