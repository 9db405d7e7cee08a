"""HELLO: who the agent is, what it can do, and which optional parts are present.

The server answers "hello" itself (it is also the first call of every session), with the
reply built here.
"""

import os

from rtvirt_agent import __version__
from rtvirt_agent.wire.frame import PROTOCOL_VERSION

from .measure import find_core

SERVER_OPS = ("hello", "cancel")


def hello_reply(agent, handler_ops):
    return {
        "agent_version": __version__,
        "protocol_version": PROTOCOL_VERSION,
        "hostname": os.uname().nodename,
        "ops": sorted({*SERVER_OPS, *handler_ops}),
        "blocksys_enabled": agent.config.blocksys_enabled,
        "core": find_core(agent.config),
    }
