"""The /dev/blocksys command parser (agent/blocksys/blocksys_cmd.c), compiled in user space
against tests/blocksys/kernel_shim.h and driven through parse_cmd.c."""

import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
SOURCE = HERE.parents[1] / "agent" / "blocksys"
KERNEL_HEADERS = ("bitops", "errno", "kernel", "limits", "string", "types")
NR_CPUS = 8


@pytest.fixture(scope="module")
def parse_cmd(tmp_path_factory):
    """Path of the parse_cmd binary; the parser's <linux/...> includes resolve to empty files."""
    build = tmp_path_factory.mktemp("blocksys_cmd")
    (build / "linux").mkdir()
    for name in KERNEL_HEADERS:
        (build / "linux" / f"{name}.h").write_text("")
    binary = build / "parse_cmd"
    subprocess.run(
        ["gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-include", str(HERE / "kernel_shim.h"),
         "-I", str(build), "-I", str(SOURCE), "-o", str(binary),
         str(HERE / "parse_cmd.c"), str(SOURCE / "blocksys_cmd.c")],
        check=True)
    return binary


def parse(parse_cmd, command):
    done = subprocess.run([str(parse_cmd), str(NR_CPUS), command], capture_output=True,
                          text=True, check=True)
    return dict(field.split("=", 1) for field in done.stdout.split())


@pytest.mark.parametrize(("command", "amount", "unit"), [
    ("100", "100", "us"),
    ("100\n", "100", "us"),
    ("  100us \n", "100", "us"),
    ("5ms", "5", "ms"),
    ("2600000cyc", "2600000", "cyc"),
    ("18446744073709551615", "18446744073709551615", "us"),
])
def test_amount_and_unit_default_to_microseconds_on_the_writer_cpu(parse_cmd, command, amount,
                                                                   unit):
    assert parse(parse_cmd, command) == {
        "rc": "0", "amount": amount, "unit": unit, "cpus": "writer", "bits": ""}


@pytest.mark.parametrize(("command", "cpus", "bits"), [
    ("50ms cpus=all", "all", ""),
    ("50ms cpus=all\n", "all", ""),
    ("1 cpus=3", "list", "3"),
    ("1\tcpus=0-2,5", "list", "0,1,2,5"),
    ("1 cpus=7,0-1,1 ", "list", "0,1,7"),
    ("1 cpus=4-4", "list", "4"),
])
def test_cpu_selection(parse_cmd, command, cpus, bits):
    result = parse(parse_cmd, command)
    assert (result["rc"], result["cpus"], result["bits"]) == ("0", cpus, bits)


@pytest.mark.parametrize("command", [
    "", "\n", "abc", "0", "0ms", "-5", "+5", "5 ms", "5xs", "5usx", "5u", "5\n\n", "5 6",
    "5 cpus=", "5 cpus", "5 cpus=al", "5 cpus=allx", "5 cpus=all,1", "5 cpus=2-1", "5 cpus=1,",
    "5 cpus=1-", "5 cpus=-1", "5 cpus=1 cpus=2", "5 cpus=0 extra", "5 CPUS=0",
    f"5 cpus={NR_CPUS}", f"5 cpus=0-{NR_CPUS}", "5 cpus=99999999999999999999",
])
def test_malformed_commands_are_einval(parse_cmd, command):
    assert parse(parse_cmd, command) == {"rc": "EINVAL"}


@pytest.mark.parametrize("command", ["18446744073709551616", "99999999999999999999ms"])
def test_numbers_beyond_64_bits_are_erange(parse_cmd, command):
    assert parse(parse_cmd, command) == {"rc": "ERANGE"}
