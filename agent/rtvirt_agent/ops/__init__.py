"""The op registry: every op the agent answers, one module per op family.

Each module but hello has ``handlers(agent) -> {op name: handler(args, ctx) -> reply}``;
``Agent`` holds what the handlers share: configuration, results store, running loads, the
sysfs root and the blocksys device.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from rtvirt_agent.config import AgentConfig
from rtvirt_agent.store import ResultStore

from . import blocksys, cell, load, measure, results, sysinfo, vm
from .blocksys import BlocksysDevice
from .hello import hello_reply
from .load import LoadManager

_FAMILIES = (sysinfo, measure, load, blocksys, results, cell, vm)


@dataclass
class Agent:
    """What the handlers of one agent process share."""

    config: AgentConfig
    sysroot: str = "/"
    ivshmem: str | None = None  # the region of --ivshmem: measure may stream samples into it
    store: ResultStore = field(init=False)
    loads: LoadManager = field(default_factory=LoadManager)
    blocksys_device: Callable = BlocksysDevice  # path -> device; tests give a fake

    def __post_init__(self):
        self.store = ResultStore(self.config.results_dir)


def build_handlers(agent):
    """({op name: handler} for every op family, the hello callable); the server itself
    answers "hello" (with that callable) and "cancel"."""
    table = {}
    for family in _FAMILIES:
        table.update(family.handlers(agent))
    return table, lambda: hello_reply(agent, table)
