"""The Linux inmate's image and rtvirt-cells agree with the cell sources and with each other."""

import re
import subprocess
import tomllib

import pytest

from .cellsrc import CELLS, config_name, macro_values
from .conftest import LAYER, assignments
from .test_parse_checks import Datastore

CELLS_RECIPE = LAYER / "recipes-jailhouse" / "rtvirt-cells" / "rtvirt-cells.bb"
CELLS_FILES = CELLS_RECIPE.parent / "files"
IMAGE = LAYER / "recipes-core" / "images" / "rtvirt-image-inmate.bb"
IMAGE_INC = LAYER / "recipes-core" / "images" / "rtvirt-image.inc"
MACHINES = ["imx8mp-lpddr4-evk", "qemuarm64"]


def machine_value(recipe, name, machine):
    """Value of NAME for MACHINE: the machine's override of NAME_DEFAULT, else the default."""
    found = assignments(recipe)
    values = found.get(f"{name}_DEFAULT:{machine}") or found[f"{name}_DEFAULT"]
    return values[-1]


def value(recipe, name):
    return assignments(recipe)[name][-1]


def render(template, machine):
    """A template of rtvirt-cells as its do_install writes it (RTVIRT_CELLS_SUBSTITUTIONS)."""
    text = (CELLS_FILES / template).read_text()
    for key, variable in re.findall(r"s\|@(\w+)@\|\$\{(\w+)\}\|g",
                                    value(CELLS_RECIPE, "RTVIRT_CELLS_SUBSTITUTIONS")):
        if variable.startswith("RTVIRT_JAILHOUSE_") and variable != "RTVIRT_JAILHOUSE_INMATES":
            text = text.replace(f"@{key}@", machine_value(CELLS_RECIPE, variable, machine))
        elif variable == "MACHINE":
            text = text.replace(f"@{key}@", machine)
    return text


def slot(bdf):
    return f"00:{bdf >> 3:02x}.{bdf & 7}"


@pytest.mark.parametrize("machine", MACHINES)
def test_root_cell_of_machine_has_its_cells_and_device_tree(machine):
    root = machine_value(CELLS_RECIPE, "RTVIRT_JAILHOUSE_ROOT_CELL", machine)
    for name in (f"{root}.c", f"{root}.h", f"{root}-baremetal.c", f"{root}-linux.c",
                 f"{root}-linux.dts"):
        assert (CELLS / name).is_file(), name


@pytest.mark.parametrize("machine", MACHINES)
def test_cells_toml_names_each_cell_at_its_link(machine):
    root = machine_value(CELLS_RECIPE, "RTVIRT_JAILHOUSE_ROOT_CELL", machine)
    macros = macro_values(f"{root}.h", "RTVIRT_PCI_DOMAIN", "RTVIRT_LINK_LINUX_BDF",
                          "RTVIRT_LINK_BAREMETAL_BDF")
    domain = f"{macros['RTVIRT_PCI_DOMAIN']:04x}"
    cells = tomllib.loads(render("cells.toml.in", machine))["cells"]
    linux, baremetal = config_name(CELLS / f"{root}-linux.c"), config_name(
        CELLS / f"{root}-baremetal.c")
    assert cells == {
        linux: {"pci": f"{domain}:{slot(macros['RTVIRT_LINK_LINUX_BDF'])}", "inmate": "linux"},
        baremetal: {"pci": f"{domain}:{slot(macros['RTVIRT_LINK_BAREMETAL_BDF'])}"},
    }


def test_every_placeholder_of_the_templates_is_substituted():
    substituted = set(re.findall(r"@(\w+)@", value(CELLS_RECIPE, "RTVIRT_CELLS_SUBSTITUTIONS")))
    for template in CELLS_FILES.glob("*.in"):
        assert set(re.findall(r"@(\w+)@", template.read_text())) <= substituted, template.name


def test_start_script_uses_the_names_of_the_cell_configs():
    script = (CELLS_FILES / "rtvirt-jailhouse").read_text()
    names = {config_name(path) for path in CELLS.glob("rtvirt-*-linux.c")} | {
        config_name(path) for path in CELLS.glob("rtvirt-*-baremetal.c")}
    stopped = re.search(r"for cell in ([\w -]+); do", script).group(1).split()
    assert set(stopped) == names
    assert set(re.findall(r"jailhouse cell (?:load|start) ([\w-]+)", script)) <= names


def test_start_script_loads_the_installed_inmate_image():
    image = value(CELLS_RECIPE, "RTVIRT_INMATE_IMAGE")
    assert image == IMAGE.stem
    assert f"$INMATES/{image}.cpio.gz" in (CELLS_FILES / "rtvirt-jailhouse").read_text()
    install = CELLS_RECIPE.read_text()
    assert "${DEPLOY_DIR_IMAGE}/${RTVIRT_INMATE_IMAGE}-${MACHINE}.cpio.gz" in install
    assert value(IMAGE, "IMAGE_NAME_SUFFIX") == ""


def test_inmate_image_is_an_initramfs_whose_size_limit_applies():
    # image.bbclass checks INITRAMFS_MAXSIZE only when IMAGE_FSTYPES equals INITRAMFS_FSTYPES
    assert value(IMAGE, "IMAGE_FSTYPES") == "${INITRAMFS_FSTYPES}"
    assert value(IMAGE, "INITRAMFS_FSTYPES") == "cpio.gz"


def test_inmate_image_fits_well_in_the_smallest_linux_cell():
    ram = min(macro_values(f"{value(CELLS_RECIPE, 'RTVIRT_JAILHOUSE_ROOT_CELL_DEFAULT:' + m)}.h",
                           "RTVIRT_LINUX_RAM_SIZE")["RTVIRT_LINUX_RAM_SIZE"] for m in MACHINES)
    assert int(value(IMAGE, "INITRAMFS_MAXSIZE")) * 1024 <= ram // 3


def test_inmate_image_has_init_and_no_boot_stack():
    packages = value(IMAGE, "PACKAGE_INSTALL").split()
    assert {"busybox", "rtvirt-agent", "rtvirt-agent-cell-init"} <= set(packages)
    assert not {"packagegroup-core-boot", "systemd"} & set(packages)
    assert "systemd" in value(IMAGE, "PACKAGE_EXCLUDE").split()
    assert value(IMAGE, "IMAGE_FEATURES") == ""


@pytest.mark.parametrize("recipe", [CELLS_RECIPE, IMAGE], ids=lambda path: path.name)
def test_inmate_recipes_need_the_jailhouse_feature(recipe):
    assert "jailhouse" in value(recipe, "REQUIRED_DISTRO_FEATURES").split()


def test_images_install_rtvirt_cells_only_with_jailhouse_on_arm64():
    found = assignments(IMAGE_INC)
    assert "rtvirt-cells" in found["RTVIRT_JAILHOUSE_INSTALL:append:aarch64"][0].split()
    assert "rtvirt-cells" not in IMAGE_INC.read_text().split("RTVIRT_JAILHOUSE_INSTALL")[0]
    assert ("bb.utils.contains('DISTRO_FEATURES', 'jailhouse', '${RTVIRT_JAILHOUSE_INSTALL}'"
            in found["IMAGE_INSTALL"][0])


def cells_check(**settings):
    """rtvirt-cells' skip reason for SETTINGS (imx8mp-lpddr4-evk defaults otherwise)."""
    source = re.search(r"^def rtvirt_cells_check.*?(?=^\S)", CELLS_RECIPE.read_text(),
                       re.M | re.S).group(0)
    namespace = {}
    exec(compile(source, str(CELLS_RECIPE), "exec"), namespace)  # noqa: S102 - code under test
    machine = "imx8mp-lpddr4-evk"
    values = {
        "MACHINE": machine,
        "RTVIRT_AGENT_TTY": "ttymxc2",
        "RTVIRT_JAILHOUSE_INMATES": value(CELLS_RECIPE, "RTVIRT_JAILHOUSE_INMATES"),
        **{name: machine_value(CELLS_RECIPE, name, machine)
           for name in ("RTVIRT_JAILHOUSE_ROOT_CELL", "RTVIRT_JAILHOUSE_PCI_DOMAIN",
                        "RTVIRT_INMATE_ROOT_TTY")},
        **settings,
    }
    return namespace["rtvirt_cells_check"](Datastore(values))


def test_machine_defaults_pass_the_check():
    assert cells_check() is None


@pytest.mark.parametrize("settings, variable", [
    ({"RTVIRT_JAILHOUSE_ROOT_CELL": ""}, "RTVIRT_JAILHOUSE_ROOT_CELL"),
    ({"RTVIRT_JAILHOUSE_INMATES": "baremetal linux freertos"}, "RTVIRT_JAILHOUSE_INMATES"),
    ({"RTVIRT_JAILHOUSE_PCI_DOMAIN": "2"}, "RTVIRT_JAILHOUSE_PCI_DOMAIN"),
    ({"RTVIRT_AGENT_TTY": "ttymxc3"}, "RTVIRT_AGENT_TTY"),
])
def test_bad_setting_skips_the_recipe_naming_the_variable(settings, variable):
    assert variable in (cells_check(**settings) or "")


def test_agent_may_share_the_uart_when_no_linux_inmate_runs():
    assert cells_check(RTVIRT_AGENT_TTY="ttymxc3", RTVIRT_JAILHOUSE_INMATES="baremetal") is None


def run_start_script(tmp_path, action, inmates, running=""):
    """rtvirt-jailhouse ACTION with stand-ins for jailhouse and modprobe that log their calls."""
    log = tmp_path / "calls"
    for tool in ("jailhouse", "modprobe"):
        stub = tmp_path / tool
        stub.write_text(f'#!/bin/sh\necho "{tool} $*" >> {log}\n'
                        f'[ "$*" = "cell list" ] && echo "{running}"\nexit 0\n')
        stub.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "RTVIRT_JAILHOUSE_ROOT_CELL": "rtvirt-imx8mp",
           "RTVIRT_JAILHOUSE_INMATES": inmates, "RTVIRT_INMATE_KERNEL": "/boot/Image",
           "RTVIRT_INMATE_BOOTARGS": "console=ttymxc3 rtvirt.agent=ttymxc3"}
    result = subprocess.run(["sh", str(CELLS_FILES / "rtvirt-jailhouse"), action], env=env,
                            capture_output=True, text=True)
    calls = log.read_text().splitlines() if log.exists() else []
    return result.returncode, calls


def test_start_script_enables_jailhouse_and_starts_both_inmates(tmp_path):
    cells, inmates = "/usr/share/jailhouse/cells", "/usr/share/jailhouse/inmates"
    status, calls = run_start_script(tmp_path, "start", "baremetal linux")
    assert status == 0
    assert calls == [
        "modprobe jailhouse",
        f"jailhouse enable {cells}/rtvirt-imx8mp.cell",
        f"jailhouse cell create {cells}/rtvirt-imx8mp-baremetal.cell",
        f"jailhouse cell load rtvirt-baremetal {inmates}/rtvirt-inmate.bin",
        "jailhouse cell start rtvirt-baremetal",
        f"jailhouse cell linux {cells}/rtvirt-imx8mp-linux.cell /boot/Image"
        f" -d {cells}/rtvirt-imx8mp-linux.dtb -i {inmates}/rtvirt-image-inmate.cpio.gz"
        " -c console=ttymxc3 rtvirt.agent=ttymxc3",
        "jailhouse cell list",
    ]


def test_start_script_refuses_an_unknown_inmate(tmp_path):
    status, calls = run_start_script(tmp_path, "start", "freertos")
    assert status == 2 and not any("cell" in call for call in calls)


def test_stop_script_destroys_the_running_cells_then_disables(tmp_path):
    status, calls = run_start_script(tmp_path, "stop", "baremetal linux",
                                     running="1  rtvirt-baremetal  running")
    assert status == 0
    assert [call for call in calls if call != "jailhouse cell list"] == [
        "jailhouse cell destroy rtvirt-baremetal", "jailhouse disable"]
