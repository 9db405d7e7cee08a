"""Wrong settings stop bitbake at parse time with a message naming the variable.

The Python of rtvirt_config.bbclass runs here as bitbake runs it: its functions and anonymous
function are executed with a stand-in datastore, and bb.fatal raises.
"""

import re
import textwrap
import types

import pytest

from .conftest import LAYER

CLASS = LAYER / "classes" / "rtvirt_config.bbclass"
GOOD = {
    "MACHINE": "imx8mp-lpddr4-evk",
    "DISTRO_FEATURES": "systemd rtvirt jailhouse",
    "RTVIRT_MACHINE_CPUS": "4",
    "RTVIRT_ISOLATED_CPUS": "2-3",
    "RTVIRT_AGENT_TTY": "ttymxc2",
    "RTVIRT_AGENT_MODE": "serial",
    "RTVIRT_BLOCKSYS_ENABLE": "1",
    "RTVIRT_JAILHOUSE_MACHINES": "imx8mp-lpddr4-evk qemuarm64 genericx86-64",
}


class Fatal(Exception):
    pass


class Datastore:
    def __init__(self, values):
        self.values = values

    def getVar(self, name):  # noqa: N802 - bitbake's API
        return self.values.get(name)


def contains(variable, item, true_value, false_value, d):
    return true_value if item in (d.getVar(variable) or "").split() else false_value


def fake_bb():
    def fatal(message):
        raise Fatal(message)
    return types.SimpleNamespace(fatal=fatal, utils=types.SimpleNamespace(contains=contains))


def class_namespace():
    """The class's functions, plus its anonymous function as ``anonymous(d)``."""
    text = CLASS.read_text()
    functions = re.findall(r"^def .*?(?=^\S|\Z)", text, re.M | re.S)
    body = re.search(r"^python __anonymous\(\) \{\n(.*?)^\}", text, re.M | re.S).group(1)
    source = "\n".join(functions) + "\ndef anonymous(d):\n" + textwrap.indent(
        textwrap.dedent(body), "    ")
    namespace = {"bb": fake_bb()}
    exec(compile(source, str(CLASS), "exec"), namespace)  # noqa: S102 - the class under test
    return namespace


def parse(**changes):
    class_namespace()["anonymous"](Datastore({**GOOD, **changes}))


def test_good_settings_parse():
    parse()


def test_isolation_args_are_computed_from_the_setting():
    args = class_namespace()["rtvirt_isolation_args"](Datastore(GOOD))
    assert "nohz_full=2-3" in args and "irqaffinity=0-1" in args


@pytest.mark.parametrize("changes, variable", [
    ({"RTVIRT_ISOLATED_CPUS": "2-x"}, "RTVIRT_ISOLATED_CPUS"),
    ({"RTVIRT_ISOLATED_CPUS": "3-4"}, "RTVIRT_ISOLATED_CPUS"),
    ({"RTVIRT_ISOLATED_CPUS": "0-3"}, "RTVIRT_ISOLATED_CPUS"),
    ({"RTVIRT_MACHINE_CPUS": "many"}, "RTVIRT_MACHINE_CPUS"),
    ({"RTVIRT_AGENT_TTY": ""}, "RTVIRT_AGENT_TTY"),
    ({"RTVIRT_AGENT_TTY": "/dev/ttymxc2"}, "RTVIRT_AGENT_TTY"),
    ({"RTVIRT_BLOCKSYS_ENABLE": "yes"}, "RTVIRT_BLOCKSYS_ENABLE"),
    ({"RTVIRT_AGENT_MODE": "shared"}, "RTVIRT_AGENT_MODE"),
    ({"MACHINE": "qemux86"}, "RTVIRT_JAILHOUSE_MACHINES"),
])
def test_bad_setting_is_fatal_and_named(changes, variable):
    with pytest.raises(Fatal, match=variable):
        parse(**changes)


def test_the_console_agent_mode_parses():
    parse(RTVIRT_AGENT_MODE="console")


def test_machine_without_cells_is_fine_without_the_jailhouse_feature():
    parse(MACHINE="qemux86", DISTRO_FEATURES="systemd rtvirt")
