"""rtvirt agent: the on-target half of rtvirt.

Holds the contracts both sides share (``wire``: frames, messages, result format, ivshmem layout,
errors), defined once here so the target stays self-contained and the host imports them.
"""

__version__ = "0.1.0"
