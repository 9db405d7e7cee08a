"""rtvirt host tool: talks to rtvirt agents, stores, reports and qualifies results."""

from rtvirt_agent import __version__

__all__ = ["__version__"]
