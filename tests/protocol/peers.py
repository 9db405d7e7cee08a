"""Pieces of a test agent that the host's reply checks (wire.opspec) accept."""


def hello():
    return {"agent_version": "test", "protocol_version": 1, "hostname": "test", "ops": [],
            "blocksys_enabled": False, "core": None}
