"""rtvirt-agent's RDEPENDS bring every module the agent imports, and nothing it does not.

The Linux inmate's initramfs (rtvirt-image-inmate) holds only what the agent depends on, so a
missing package is an agent that dies in the cell. Where a standard-library module lives is
oe-core's python3-manifest.json (wrynose); a module not in the tables below fails the test
until it is looked up there.
"""

import ast

from .conftest import LAYER, REPO, assignments

RECIPE = LAYER / "recipes-rtvirt" / "rtvirt-agent" / "rtvirt-agent.bb"
AGENT = REPO / "agent" / "rtvirt_agent"
# Modules of python3-core (errno, itertools and sys are compiled into the interpreter).
CORE = {"abc", "argparse", "collections", "contextlib", "dataclasses", "enum", "errno",
        "functools", "io", "itertools", "math", "operator", "os", "pathlib", "re", "select",
        "shutil", "signal", "stat", "struct", "subprocess", "sys", "threading", "time",
        "types", "typing", "warnings", "zlib"}
PACKAGES = {
    "concurrent": "python3-asyncio",
    "construct": "python3-construct",
    "hashlib": "python3-crypt",
    "json": "python3-json",
    "logging": "python3-logging",
    "mmap": "python3-mmap",
    "queue": "python3-threading",
    "secrets": "python3-netclient",
    "serial": "python3-pyserial",
    "socket": "python3-io",
    "termios": "python3-io",
    "tomllib": "python3-tomllib",
    "tty": "python3-terminal",
}


def imported_modules():
    """Top-level names of the absolute imports anywhere in the agent package."""
    found = set()
    for source in AGENT.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(), str(source))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                found.add(node.module.split(".")[0])
    return found - {"rtvirt_agent"}


def python_rdepends():
    rdepends = assignments(RECIPE)["RDEPENDS:${PN}"][0].split()
    return {package for package in rdepends if package.startswith("python3-")}


def test_every_imported_module_has_a_known_package():
    unknown = imported_modules() - CORE - PACKAGES.keys()
    assert not unknown, f"look up {sorted(unknown)} in oe-core's python3-manifest.json"


def test_rdepends_are_exactly_the_packages_of_the_imports():
    needed = {PACKAGES[module] for module in imported_modules() if module in PACKAGES}
    assert python_rdepends() == needed | {"python3-core"}


def test_cell_init_is_packaged_as_init():
    found = assignments(RECIPE)
    assert "agent/cell/rtvirt-cell-init" in found["RTVIRT_SRC_PATHS"][0].split()
    assert found["FILES:${PN}-cell-init"] == ["/init"]
    assert "${D}/init" in RECIPE.read_text()
