"""Jailhouse cell configurations: parse ``*.cell`` binaries, build them, check a set of them."""

from rtvirt.cells.builder import build_cell, build_system
from rtvirt.cells.checks import check_configs
from rtvirt.cells.parser import CellFormatError, parse_config, read_config

__all__ = ["CellFormatError", "build_cell", "build_system", "check_configs", "parse_config",
           "read_config"]
