"""The rtvirt wire protocol's engine: selective-repeat ARQ link, windows and RPC.

docs/protocol.md is the specification; the frames and messages it moves are defined in
``rtvirt_agent.wire``. The host imports these modules; nothing is redefined on the host side.
"""

from rtvirt_agent.protocol.rpc import Client, Context, OpError, Server

__all__ = ["Client", "Context", "OpError", "Server"]
