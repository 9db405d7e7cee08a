"""The Linux inmates' device trees compile as the jailhouse recipe compiles them and describe
the cell: its one CPU, its console UART, the virtual PCI host of the machine's header."""

import shutil
import subprocess
from fnmatch import fnmatch

import pytest

from .cellsrc import CELLS, INMATE_DTS, config_console_macro, config_cpus, header_of, macro_values
from .conftest import LAYER, REPO, assignments

RECIPE = LAYER / "recipes-jailhouse" / "jailhouse" / "jailhouse_git.bb"
needs_dtc = pytest.mark.skipif(not all(map(shutil.which, ("cpp", "dtc", "fdtget"))),
                               reason="needs cpp, dtc and fdtget (device-tree-compiler)")


def compile_dts(source, output):
    """cpp | dtc, as jailhouse_git.bb's do_compile does; dtc's warnings count as failures."""
    preprocessed = subprocess.run(
        ["cpp", "-nostdinc", "-undef", "-x", "assembler-with-cpp", f"-I{CELLS}", str(source)],
        capture_output=True, text=True, check=True).stdout
    result = subprocess.run(["dtc", "-I", "dts", "-O", "dtb", "-o", str(output), "-"],
                            input=preprocessed, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stderr


def fdtget(dtb, *args):
    result = subprocess.run(["fdtget", str(dtb), *args], capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def cells_of(dtb, node, prop):
    """A property as a list of 32-bit cells."""
    return [int(cell, 16) for cell in fdtget(dtb, "-tx", node, prop).split()]


def address(reg_cells):
    """First address of a reg property with two address cells."""
    return reg_cells[0] << 32 | reg_cells[1]


def nodes_with(dtb, parent, prop, wanted):
    children = (fdtget(dtb, "-l", parent) or "").split()
    paths = [f"{parent.rstrip('/')}/{child}" for child in children]
    return [path for path in paths if wanted in (fdtget(dtb, "-ts", path, prop) or "")]


@pytest.fixture(scope="module", params=INMATE_DTS, ids=lambda path: path.name)
def inmate(request, tmp_path_factory):
    source = request.param
    dtb = tmp_path_factory.mktemp("dtb") / source.with_suffix(".dtb").name
    compile_dts(source, dtb)
    return source, dtb


def test_there_is_an_inmate_device_tree_per_arm64_linux_cell():
    arm64_linux_cells = {path.stem for path in CELLS.glob("rtvirt-*-linux.c")
                         if "x86" not in path.name}
    assert {path.stem for path in INMATE_DTS} == arm64_linux_cells


def test_recipe_takes_every_inmate_device_tree():
    """From agent/cells (rtvirt_src) into Jailhouse's configs/arm64, where do_compile finds it."""
    recipe = assignments(RECIPE)
    assert recipe["RTVIRT_SUBDIR"] == [str(CELLS.relative_to(REPO))]
    arm64_cells = recipe["JH_RTVIRT_CELLS:aarch64"][0].split()
    for source in INMATE_DTS:
        assert any(fnmatch(source.name, pattern) for pattern in arm64_cells), source.name


@needs_dtc
def test_device_tree_has_the_one_cpu_of_the_cell(inmate):
    source, dtb = inmate
    cpus = nodes_with(dtb, "/cpus", "device_type", "cpu")
    assert len(cpus) == 1, cpus
    assert [cells_of(dtb, cpus[0], "reg")[-1]] == config_cpus(source.with_suffix(".c"))


@needs_dtc
def test_console_is_the_uart_of_the_cell_config(inmate):
    source, dtb = inmate
    alias = fdtget(dtb, "-ts", "/chosen", "stdout-path").split(":")[0]
    uart = fdtget(dtb, "-ts", "/aliases", alias)
    macro = config_console_macro(source.with_suffix(".c"))
    expected = macro_values(header_of(source), macro)[macro]
    assert address(cells_of(dtb, uart, "reg")) == expected


@needs_dtc
def test_pci_host_is_the_virtual_one_of_the_machine(inmate):
    source, dtb = inmate
    hosts = nodes_with(dtb, "/", "compatible", "pci-host-ecam-generic")
    assert len(hosts) == 1, hosts
    values = macro_values(header_of(source), "RTVIRT_PCI_ECAM_BASE",
                          "RTVIRT_LINUX_VPCI_IRQ_BASE")
    assert address(cells_of(dtb, hosts[0], "reg")) == values["RTVIRT_PCI_ECAM_BASE"]
    assert cells_of(dtb, hosts[0], "bus-range") == [0, 0]
    # INTA of slot 0: child address (3), pin, GIC phandle, SPI, number, flags
    inta = cells_of(dtb, hosts[0], "interrupt-map")[:8]
    assert inta[3] == 1 and inta[5:7] == [0, values["RTVIRT_LINUX_VPCI_IRQ_BASE"]]


@needs_dtc
def test_device_tree_marks_a_jailhouse_cell(inmate):
    _, dtb = inmate
    assert fdtget(dtb, "-ts", "/hypervisor", "compatible") == "jailhouse,cell"


@needs_dtc
def test_imx8mp_device_tree_compiles_without_warnings(tmp_path):
    assert compile_dts(CELLS / "rtvirt-imx8mp-linux.dts", tmp_path / "imx8mp.dtb") == ""
