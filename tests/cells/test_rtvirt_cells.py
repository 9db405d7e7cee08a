"""rtvirt's own cell configurations pass `rtvirt cells check`; mixing platforms does not.

The binaries in data/ are compiled from agent/cells by build_cells.py. With a Jailhouse source
tree in $RTVIRT_JAILHOUSE_SRC the tests also rebuild them and require identical bytes, so the
binaries cannot drift from the C sources.
"""

import os
from pathlib import Path

import pytest
from rtvirt.cells import check_configs, read_config

from .build_cells import build_all, sources

DATA = Path(__file__).resolve().parent / "data"
SETS = {
    "imx8mp": ["rtvirt-imx8mp", "rtvirt-imx8mp-linux", "rtvirt-imx8mp-baremetal"],
    "qemu-arm64": ["rtvirt-qemu-arm64", "rtvirt-qemu-arm64-linux",
                   "rtvirt-qemu-arm64-baremetal"],
    "x86": ["x86-root-example", "rtvirt-x86-linux", "rtvirt-x86-baremetal"],
}


def load(names):
    return [read_config(DATA / f"{name}.cell") for name in names]


@pytest.mark.parametrize("platform", sorted(SETS))
def test_rtvirt_cell_set_passes_every_check(platform):
    configs = load(SETS[platform])
    assert check_configs(configs) == []
    root, linux, baremetal = configs
    assert root.is_root and root.cpus == {0, 1, 2, 3}
    assert (linux.name, linux.cpus) == ("rtvirt-linux-rt", {2})
    assert (baremetal.name, baremetal.cpus) == ("rtvirt-baremetal", {3})


def test_every_source_has_a_compiled_binary():
    assert sorted(p.stem for p in DATA.glob("*.cell")) == sorted(s.stem for s in sources())


def test_inmate_of_another_platform_is_caught():
    findings = check_configs(load(["rtvirt-imx8mp", "rtvirt-qemu-arm64-linux"]))
    checks = {finding.check for finding in findings if finding.is_error}
    assert checks == {"ivshmem"}


def test_two_linux_inmates_conflict():
    configs = load(["rtvirt-imx8mp", "rtvirt-imx8mp-linux"])
    findings = check_configs(configs + [read_config(DATA / "rtvirt-imx8mp-linux.cell")])
    messages = [finding.message for finding in findings if finding.is_error]
    assert any(message.startswith("CPU 2 in two cells") for message in messages)


@pytest.mark.skipif(not os.environ.get("RTVIRT_JAILHOUSE_SRC"),
                    reason="needs a Jailhouse source tree in $RTVIRT_JAILHOUSE_SRC")
def test_binaries_match_c_sources(tmp_path):
    build_all(os.environ["RTVIRT_JAILHOUSE_SRC"], tmp_path)
    for built in tmp_path.glob("*.cell"):
        assert built.read_bytes() == (DATA / built.name).read_bytes(), built.name


def test_summary_counts_irqchips_and_pio_regions():
    root, linux = load(["rtvirt-imx8mp", "rtvirt-x86-linux"])
    assert (root.summary()["irqchips"], root.summary()["pio_regions"]) == (3, 0)
    assert (linux.summary()["irqchips"], linux.summary()["pio_regions"]) == (0, 1)
