"""``RtvirtDriver``: the rtvirt agent on a labgrid serial resource."""

import contextlib
import time

import attr
from labgrid.driver.common import Driver
from labgrid.factory import target_factory
from rtvirt_agent.protocol.rpc import Client
from rtvirt_agent.wire.errors import RtvirtError, Unreachable

from rtvirt.labgrid.resources import stream_for

HELLO_TIMEOUT_S = 5.0


@target_factory.reg_driver
@attr.s(eq=False)
class RtvirtDriver(Driver):
    """Connects to the agent on the bound serial port (local or exported).

    The port is opened per connection, not while the driver is active, so another driver
    (a console on a shared UART) can use it between rtvirt's calls.
    """

    bindings = {"port": {"SerialPort", "NetworkSerialPort"}}

    def stream(self):
        return stream_for(self.port)

    @Driver.check_active
    def connect(self, timeout=10.0):
        """``(client, hello)``: a connected rtvirt ``Client`` the caller closes."""
        client = Client(self.stream(), timeout=timeout)
        try:
            return client, client.connect()
        except BaseException:
            client.close()
            raise

    @contextlib.contextmanager
    def client(self, timeout=10.0):
        """A connected rtvirt ``Client`` for a ``with`` block; yields ``(client, hello)``."""
        client, hello = self.connect(timeout)
        try:
            yield client, hello
        finally:
            client.close()

    @Driver.check_active
    def wait_for_agent(self, timeout):
        """The agent's hello once it answers; Unreachable after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self.client(timeout=min(HELLO_TIMEOUT_S, timeout)) as (_, hello):
                    return hello
            except RtvirtError as err:
                if time.monotonic() >= deadline:
                    raise Unreachable(f"no rtvirt agent on {self.port.name} within "
                                      f"{timeout:g} s: {err}") from err
