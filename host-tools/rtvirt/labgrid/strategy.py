"""``RtvirtStrategy``: off → agent, through labgrid's power (and optionally console) drivers."""

import enum
import re

import attr
from labgrid.factory import target_factory
from labgrid.strategy.common import Strategy, StrategyError


class Status(enum.Enum):
    unknown = 0
    off = 1
    agent = 2


@target_factory.reg_driver
@attr.s(eq=False)
class RtvirtStrategy(Strategy):
    """Power-cycles the board, waits for ``console_ready`` on its console (when a console is
    bound and the pattern given) and then for the rtvirt agent, ``boot_timeout`` seconds in
    all. A board without a power driver is taken as it is."""

    bindings = {"power": {"PowerProtocol", None}, "console": {"ConsoleProtocol", None},
                "rtvirt": "RtvirtDriver"}
    status = attr.ib(default=Status.unknown)
    boot_timeout = attr.ib(default=120.0, converter=float)
    console_ready = attr.ib(default=None, validator=attr.validators.optional(
        attr.validators.instance_of(str)))

    def transition(self, status):
        if not isinstance(status, Status):
            status = Status[status]
        if status == Status.unknown:
            raise StrategyError(f"can not transition to {status}")
        if status == self.status:
            return
        if status == Status.off:
            self._power("off")
        else:
            self._boot()
            self.target.activate(self.rtvirt)
            self.rtvirt.wait_for_agent(self.boot_timeout)
        self.status = status

    def _power(self, action):
        if self.power is not None:
            self.target.activate(self.power)
            getattr(self.power, action)()

    def _boot(self):
        self._power("cycle")
        if self.console is not None and self.console_ready:
            self.target.activate(self.console)
            self.console.expect(re.compile(self.console_ready), timeout=self.boot_timeout)
            self.target.deactivate(self.console)
