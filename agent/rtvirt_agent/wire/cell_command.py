"""The command the root cell sends a bare-metal inmate (docs/inmate.md; agent/inmate/cell_link.h).

One ``COMMAND`` per run, written into the request mailbox of the inmate's ivshmem region.
"""

from construct import Const, Int32ul, Int64ul, Struct

COMMAND = Struct(
    "magic" / Const(b"RTVC"),
    "run_id" / Int32ul,
    "interval_us" / Int32ul,
    "histogram_us" / Int32ul,
    "loops" / Int64ul,
    "realtime_ns" / Int64ul,
    "overflow_cap" / Int32ul,
    "cpu" / Int32ul,
)
# what the inmate accepts (cell_link.h); it ignores a command outside these ranges
LIMITS = {"interval_us": (50, 1_000_000), "histogram_us": (1, 20_000),
          "loops": (1, 100_000_000), "overflow_cap": (0, 1024)}
