"""The parser reads what cell-config.h lays out, for revisions 13 and 14, and refuses the rest."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rtvirt.cells import CellFormatError, check_configs, layout, parse_config
from rtvirt.cells.builder import build_cell, memory

from .cellsets import inmate_config, root_config


def test_struct_sizes_match_cell_config_h():
    assert layout.MemoryRegion.sizeof() == 32
    assert layout.CacheRegion.sizeof() == 12
    assert layout.Irqchip.sizeof() == 32
    assert layout.PciDevice.sizeof() == 56
    assert layout.PciCapability.sizeof() == 8
    assert layout.Console.sizeof() == 32
    assert layout.HEADER_SIZE + layout.CellDesc.sizeof() == 132  # struct jailhouse_cell_desc


def test_system_config_round_trip():
    config = parse_config(root_config(), "root.cell")
    assert (config.kind, config.revision, config.architecture) == ("system", 14, "arm64")
    assert config.name == "rtvirt-root"
    assert config.cpus == {0, 1, 2, 3}
    assert config.system.hypervisor_memory.phys_start == 0xFDC00000
    assert [d.address for d in config.ivshmem_devices()] == ["0002:00:00.0"]
    assert config.memory_regions[4].phys_start == 0x40000000


@pytest.mark.parametrize("architecture", ["x86", "arm", "arm64"])
def test_revision_14_records_architecture(architecture):
    config = parse_config(inmate_config(architecture=architecture))
    assert config.architecture == architecture


def test_revision_13_has_six_byte_signature_and_no_architecture():
    data = inmate_config(revision=13)
    assert data.startswith(b"JHCELL") and data[6:8] == b"\x0d\x00"
    config = parse_config(data)
    assert (config.revision, config.architecture, config.name) == (13, None, "rt-inmate")
    assert parse_config(root_config(revision=13)).kind == "system"


def test_large_cpu_numbers_use_more_bitmap_words():
    assert parse_config(build_cell("many", {0, 70, 127})).cpus == {0, 70, 127}


def test_comm_region_is_not_physical():
    config = parse_config(inmate_config())
    comm = config.memory_regions[-1]
    assert comm.is_comm_region and not comm.is_physical


def _error(data):
    with pytest.raises(CellFormatError) as caught:
        parse_config(data, "broken.cell")
    assert caught.value.exit_code == 4
    assert str(caught.value).startswith("broken.cell: ")
    return str(caught.value)


def test_not_a_config_names_expected_signatures():
    assert "expected signature JHSYS/JHCLL" in _error(b"\x7fELF" + bytes(200))


def test_wrong_revision():
    data = bytearray(inmate_config())
    data[6:8] = (12).to_bytes(2, "little")
    assert "revision 12, expected 14" in _error(bytes(data))


def test_unknown_architecture():
    data = bytearray(inmate_config())
    data[5] = 7
    assert "unknown architecture byte 7" in _error(bytes(data))


@pytest.mark.parametrize("cut", [3, 40, 200, -1])
def test_truncated(cut):
    data = root_config()
    assert "truncated" in _error(data[:cut])


def test_count_larger_than_file():
    data = bytearray(build_cell("x", {1}, [memory(0, 0x1000, 1)]))
    offset = layout.HEADER_SIZE + 32 + 4 + 4 + 4  # name, id, flags, cpu_set_size
    data[offset:offset + 4] = (0xFFFFFFFF).to_bytes(4, "little")
    message = _error(bytes(data))
    assert "4294967295 memory regions" in message


def _parse_or_typed_error(data):
    try:
        config = parse_config(data, "fuzz.cell")
    except CellFormatError as err:
        assert err.path == "fuzz.cell" and err.problem
    else:
        assert config.kind in ("system", "cell") and len(config.name) <= 32


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_parse_or_raise_typed_error(data):
    _parse_or_typed_error(data)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_corrupted_valid_configs_parse_or_raise_typed_error(data):
    original = bytearray(data.draw(st.sampled_from([root_config(), inmate_config()])))
    position = data.draw(st.integers(0, len(original) - 1))
    original[position] = data.draw(st.integers(0, 255))
    _parse_or_typed_error(bytes(original[:data.draw(st.integers(0, len(original)))]))


def test_trailing_bytes_jailhouse_loads_are_a_warning():
    """Upstream configs may declare an array but leave its count at 0: the file is longer than
    its header announces. Jailhouse loads it; only a file shorter than announced is refused."""
    config = parse_config(inmate_config() + b"\0" * 24, "long.cell")
    assert config.name == "rt-inmate"
    (warning,) = [f for f in check_configs([config]) if f.check == "format"]
    assert warning.severity == "warning"
    assert "long.cell" in warning.message and "24 bytes beyond" in warning.message
