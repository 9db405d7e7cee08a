"""The rtvirt wire protocol: COBS frames, selective-repeat ARQ link, messages and RPC.

docs/protocol.md is the specification. The host imports these modules; nothing is redefined
on the host side.
"""

from rtvirt_agent.protocol.rpc import Client, Context, OpError, Server

__all__ = ["Client", "Context", "OpError", "Server"]
