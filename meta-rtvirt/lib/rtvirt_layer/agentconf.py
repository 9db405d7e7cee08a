"""The /etc/rtvirt/agent.toml that the rtvirt-agent recipe installs.

Only what the build decides is written; every other key keeps the agent's own default
(agent/rtvirt_agent/config.py documents them all).
"""

AGENT_CONFIG_VERSION = 1


def agent_toml(blocksys_enabled):
    """The configuration text; BLOCKSYS is allowed only when the build enabled blocksys."""
    return (
        "# Written by meta-rtvirt (rtvirt-agent recipe, RTVIRT_BLOCKSYS_ENABLE).\n"
        f"version = {AGENT_CONFIG_VERSION}\n"
        "\n"
        "[blocksys]\n"
        f"enabled = {'true' if blocksys_enabled else 'false'}\n"
    )
