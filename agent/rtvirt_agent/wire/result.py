"""The rtvirt result record, defined once: binary layout (construct) and its JSON mirror.

``rtvirt-measure --result`` writes this record (agent/core/result_writer.c, constants in
agent/core/result_format.h); the agent stores it and the host keeps it in SQLite keyed by
``result_id``. docs/result-format.md describes it byte by byte.

A parsed record is a plain dict (JSON types only); ``result_to_json`` adds the ``format`` and
``version`` keys and is what ``rtvirt-measure --result-json`` prints for the same run.
"""

import hashlib
import zlib

from construct import (
    Adapter,
    Bytes,
    ConstructError,
    Container,
    Flag,
    Int8ul,
    Int16sl,
    Int16ul,
    Int32sl,
    Int32ul,
    Int64ul,
    Mapping,
    PascalString,
    PrefixedArray,
    Struct,
    Terminated,
    VarInt,
)

from .errors import ResultFormatError

MAGIC = b"RTVR"
VERSION = 1
FORMAT_NAME = "rtvirt-result"

Str16 = PascalString(Int16ul, "utf8")

STOP_REASONS = {"completed": 0, "signal": 1, "error": 2, "break": 3}
FLAG_BREAK = 1  # the body ends with a Break trailer (-b fired)
POLICIES = {"other": 0, "fifo": 1, "rr": 2}
StopReason = Mapping(Int8ul, STOP_REASONS)      # unknown codes are a format error
Policy = Mapping(Int8ul, POLICIES)

Header = Struct(
    "magic" / Bytes(4),
    "version" / Int16ul,
    "flags" / Int16ul,
    "length" / Int32ul,
)

Timing = Struct(
    "start_realtime_ns" / Int64ul,
    "start_monotonic_ns" / Int64ul,
    "duration_ns" / Int64ul,
    "stop_reason" / StopReason,
)

ParamsFixed = Struct(
    "interval_us" / Int32ul,
    "distance_us" / Int32ul,
    "loops" / Int64ul,
    "duration_limit_s" / Int64ul,
    "histogram_us" / Int32ul,
    "priority" / Int8ul,
    "policy" / Policy,
    "smp" / Flag,
    "mlockall" / Flag,
    "overflow_cap" / Int32ul,
)
Params = Struct(*ParamsFixed.subcons, "affinity" / Str16)

Sysinfo = Struct(
    "release" / Str16,
    "version" / Str16,
    "machine" / Str16,
    "nodename" / Str16,
    "cpus_online" / Str16,
    "cpu_count" / Int16ul,
    "preempt_rt" / Flag,
    "cmdline" / Str16,
    "clocksource" / Str16,
)

PmQos = Struct("held" / Flag, "value_us" / Int32sl, "error" / Str16)


class LabelsAdapter(Adapter):
    """Labels travel as a list of key/value pairs and are a dict (str -> str) in Python."""

    def _decode(self, obj, context, path):
        labels = {}
        for pair in obj:
            if pair.key in labels:
                raise ResultFormatError(f"result record: label {pair.key!r} appears twice")
            labels[pair.key] = pair.value
        return labels

    def _encode(self, obj, context, path):
        return [{"key": k, "value": v} for k, v in obj.items()]


Labels = LabelsAdapter(PrefixedArray(Int16ul, Struct("key" / Str16, "value" / Str16)))

Segment = Struct("zeros" / VarInt, "counts" / PrefixedArray(VarInt, VarInt))


class HistogramAdapter(Adapter):
    """Wire: bucket width, bucket count, runs of non-zero buckets each after a run of zeros.
    Python: ``{"bucket_ns", "buckets", "counts": [[index, count], ...]}`` (non-zero only)."""

    def _decode(self, obj, context, path):
        counts, index = [], 0
        for seg in obj.segments:
            index += seg.zeros
            for c in seg.counts:
                if c:
                    counts.append([index, c])
                index += 1
        if index > obj.buckets:
            raise ResultFormatError(
                f"result record: histogram runs cover {index} buckets of {obj.buckets}")
        return {"bucket_ns": obj.bucket_ns, "buckets": obj.buckets, "counts": counts}

    def _encode(self, obj, context, path):
        segments, end = [], 0
        for index, count in obj["counts"]:
            if count <= 0 or index < end or index >= obj["buckets"]:
                raise ResultFormatError(
                    f"histogram entry [{index}, {count}]: indices must ascend inside "
                    f"0..{obj['buckets'] - 1} and counts be positive")
            if segments and index == end:
                segments[-1]["counts"].append(count)
            else:
                segments.append({"zeros": index - end, "counts": [count]})
            end = index + 1
        return {"bucket_ns": obj["bucket_ns"], "buckets": obj["buckets"], "segments": segments}


HistogramHead = Struct("bucket_ns" / Int32ul, "buckets" / Int32ul)
Histogram = HistogramAdapter(Struct(
    *HistogramHead.subcons,
    "segments" / PrefixedArray(VarInt, Segment),
))

Sample = Struct("value_ns" / Int64ul, "time_ns" / Int64ul, "cycle" / Int64ul)

ThreadHead = Struct(
    "index" / Int16ul,
    "cpu" / Int16sl,
    "tid" / Int32ul,
    "policy" / Policy,
    "priority" / Int8ul,
    "interval_us" / Int32ul,
    "cycles" / Int64ul,
    "min_ns" / Int64ul,
    "avg_ns" / Int64ul,
    "max_ns" / Int64ul,
    "missed" / Int64ul,
    "p50_ns" / Int64ul,
    "p99_ns" / Int64ul,
    "p99_9_ns" / Int64ul,
    "p99_99_ns" / Int64ul,
)
Thread = Struct(
    *ThreadHead.subcons,
    "histogram" / Histogram,
    "overflow_total" / Int64ul,
    "overflow_samples" / PrefixedArray(Int32ul, Sample),
)

Body = Struct(
    "tool" / Str16,
    "command" / Str16,
    *Timing.subcons,
    "params" / Params,
    "sysinfo" / Sysinfo,
    "pm_qos" / PmQos,
    "labels" / Labels,
    "threads" / PrefixedArray(Int16ul, Thread),
    Terminated,
)

# -b: the first latency above threshold_us, where it was measured (cycle counts from 0)
Break = Struct(
    "threshold_us" / Int32ul,
    "thread" / Int16ul,
    "cycle" / Int64ul,
    "value_ns" / Int64ul,
)
BodyWithBreak = Struct(*Body.subcons[:-1], "break" / Break, Terminated)

HEADER_SIZE = Header.sizeof()
CRC_SIZE = 4

# The numbers agent/core/result_format.h must carry (checked by tests/core).
C_CONSTANTS = {
    "RESULT_MAGIC_SIZE": len(MAGIC),
    "RESULT_VERSION": VERSION,
    "RESULT_HEADER_SIZE": HEADER_SIZE,
    "RESULT_LENGTH_OFFSET": 8,
    "RESULT_CRC_SIZE": CRC_SIZE,
    "RESULT_TIMING_SIZE": Timing.sizeof(),
    "RESULT_PARAMS_FIXED_SIZE": ParamsFixed.sizeof(),
    "RESULT_THREAD_HEAD_SIZE": ThreadHead.sizeof(),
    "RESULT_HIST_HEAD_SIZE": HistogramHead.sizeof(),
    "RESULT_SAMPLE_SIZE": Sample.sizeof(),
    "RESULT_FLAG_BREAK": FLAG_BREAK,
    "RESULT_BREAK_SIZE": Break.sizeof(),
    **{f"RESULT_STOP_{k.upper()}": v for k, v in STOP_REASONS.items()},
    **{f"RESULT_POLICY_{k.upper()}": v for k, v in POLICIES.items()},
}


def _plain(obj):
    """construct containers -> plain dicts/lists/ints/strs."""
    if isinstance(obj, Container):      # drop construct's bookkeeping keys such as _io
        return {k: _plain(v) for k, v in obj.items() if not k.startswith("_")}
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def parse_result(data: bytes) -> dict:
    """Decode one record; raises ResultFormatError naming what is wrong."""
    data = bytes(data)
    if len(data) < HEADER_SIZE + CRC_SIZE:
        raise ResultFormatError(
            f"result record truncated: {len(data)} bytes, a record has at least "
            f"{HEADER_SIZE + CRC_SIZE}")
    header = Header.parse(data[:HEADER_SIZE])
    if header.magic != MAGIC:
        raise ResultFormatError(f"not a result record: magic {header.magic!r}, "
                                f"expected {MAGIC!r}")
    if header.version != VERSION:
        raise ResultFormatError(f"result record version {header.version} is not supported "
                                f"(this rtvirt reads version {VERSION})")
    if header.length != len(data):
        what = "truncated" if header.length > len(data) else "followed by extra bytes"
        raise ResultFormatError(f"result record {what}: header says {header.length} bytes, "
                                f"got {len(data)}")
    crc = int.from_bytes(data[-CRC_SIZE:], "little")
    if zlib.crc32(data[:-CRC_SIZE]) != crc:
        raise ResultFormatError(f"result record CRC mismatch: stored {crc:#010x}, computed "
                                f"{zlib.crc32(data[:-CRC_SIZE]):#010x}")
    if header.flags & ~FLAG_BREAK:
        raise ResultFormatError(f"result record flags {header.flags:#x}: only "
                                f"{FLAG_BREAK:#x} (break) is defined")
    body_bytes = data[HEADER_SIZE:-CRC_SIZE]
    try:
        body = (BodyWithBreak if header.flags & FLAG_BREAK else Body).parse(body_bytes)
    except ResultFormatError:
        raise
    except (ConstructError, UnicodeError, ValueError, OverflowError) as e:
        raise ResultFormatError(f"result record body malformed: {e}") from None
    return {"version": header.version, **_plain(body)}


def build_result(d: dict) -> bytes:
    """Encode a record dict (as parse_result returns, or its JSON mirror)."""
    if d.get("version", VERSION) != VERSION or d.get("format", FORMAT_NAME) != FORMAT_NAME:
        raise ResultFormatError(f"cannot encode {d.get('format', FORMAT_NAME)} version "
                                f"{d.get('version')}: this rtvirt writes {FORMAT_NAME} "
                                f"version {VERSION}")
    body = {k: v for k, v in d.items() if k not in ("format", "version")}
    broke = body.get("break") is not None
    try:
        body_bytes = (BodyWithBreak if broke else Body).build(body)
    except ResultFormatError:
        raise
    except (ConstructError, UnicodeError, ValueError, OverflowError, KeyError, TypeError) as e:
        raise ResultFormatError(f"cannot encode result record: {e}") from None
    length = HEADER_SIZE + len(body_bytes) + CRC_SIZE
    head = Header.build({"magic": MAGIC, "version": VERSION, "flags": FLAG_BREAK if broke else 0,
                         "length": length})
    payload = head + body_bytes
    return payload + zlib.crc32(payload).to_bytes(CRC_SIZE, "little")


def result_to_json(d: dict) -> dict:
    """The JSON mirror of a record dict: ``{"format": "rtvirt-result", "version": 1, ...}``."""
    body = {k: v for k, v in d.items() if k not in ("format", "version")}
    return {"format": FORMAT_NAME, "version": VERSION, **body}


def result_id(data: bytes) -> str:
    """Content-hash key of a record: sha256 hex of its bytes."""
    return hashlib.sha256(bytes(data)).hexdigest()
