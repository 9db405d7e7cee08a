"""The result record (rtvirt_agent.wire.result): round trips, every documented error, the C header
agrees with the construct schema, and the parser survives any input."""

import contextlib
import copy
import re
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rtvirt_agent.wire.errors import ResultFormatError
from rtvirt_agent.wire.result import (
    C_CONSTANTS,
    MAGIC,
    build_result,
    parse_result,
    result_id,
    result_to_json,
)

from .conftest import CORE_DIR


def sample_record(threads=2):
    """A record dict as parse_result returns it."""
    return {
        "version": 1,
        "tool": "rtvirt-measure 0.1.0",
        "command": "rtvirt-measure -S -p99 -i200 -h400 -m",
        "start_realtime_ns": 1_790_000_000_000_000_000,
        "start_monotonic_ns": 123_456_789,
        "duration_ns": 20_000_000_000,
        "stop_reason": "completed",
        "params": {"interval_us": 200, "distance_us": 500, "loops": 0, "duration_limit_s": 20,
                   "histogram_us": 400, "priority": 99, "policy": "fifo", "smp": True,
                   "mlockall": True, "overflow_cap": 1024, "affinity": "all"},
        "sysinfo": {"release": "6.1.0-31-rt-amd64", "version": "#1 SMP PREEMPT_RT Debian",
                    "machine": "x86_64", "nodename": "target", "cpus_online": "0-3",
                    "cpu_count": 4, "preempt_rt": True, "cmdline": "isolcpus=2,3 quiet",
                    "clocksource": "tsc"},
        "pm_qos": {"held": False, "value_us": 0,
                   "error": "open /dev/cpu_dma_latency: Permission denied"},
        "labels": {"scenario": "container", "load": "llc-stress"},
        "threads": [{
            "index": i, "cpu": i, "tid": 1000 + i, "policy": "fifo", "priority": 99,
            "interval_us": 200, "cycles": 100_000, "min_ns": 2_100, "avg_ns": 3_500,
            "max_ns": 812_000, "missed": 3, "p50_ns": 4_000, "p99_ns": 9_000,
            "p99_9_ns": 15_000, "p99_99_ns": 401_000,
            "histogram": {"bucket_ns": 1000, "buckets": 400,
                          "counts": [[2, 10_000], [3, 80_000], [4, 9_000], [8, 990], [399, 8]]},
            "overflow_total": 2,
            "overflow_samples": [{"value_ns": 401_000, "time_ns": 5_000_000, "cycle": 25},
                                 {"value_ns": 812_000, "time_ns": 9_000_000, "cycle": 45}],
        } for i in range(threads)],
    }


def dict_or_format_error(data: bytes):
    """parse_result gives a dict or raises ResultFormatError; anything else fails the test."""
    with contextlib.suppress(ResultFormatError):
        assert isinstance(parse_result(data), dict)


def reseal(data: bytes) -> bytes:
    """Recompute the CRC after tampering with the bytes before it."""
    return data[:-4] + zlib.crc32(data[:-4]).to_bytes(4, "little")


def test_round_trip_is_exact():
    d = sample_record()
    data = build_result(d)
    assert parse_result(data) == d
    assert build_result(parse_result(data)) == data
    assert result_id(data) == result_id(build_result(copy.deepcopy(d)))


def test_break_trailer_round_trips_and_sets_the_flag():
    d = {**sample_record(), "stop_reason": "break",
         "break": {"threshold_us": 100, "thread": 1, "cycle": 45, "value_ns": 812_000}}
    data = build_result(d)
    assert int.from_bytes(data[6:8], "little") == 1          # flags: break trailer follows
    assert parse_result(data) == d
    plain = build_result(sample_record())
    assert int.from_bytes(plain[6:8], "little") == 0 and len(data) == len(plain) + 22


def test_json_mirror_builds_the_same_record():
    d = sample_record()
    js = result_to_json(d)
    assert js["format"] == "rtvirt-result" and js["version"] == 1
    assert build_result(js) == build_result(d)


def test_histogram_is_run_length_compressed():
    d = sample_record(threads=1)
    d["threads"][0]["histogram"] = {"bucket_ns": 1000, "buckets": 1_000_000,
                                    "counts": [[5, 1], [999_999, 2]]}
    assert len(build_result(d)) < 1000


@pytest.mark.parametrize("mutate, message", [
    (lambda b: b[:10], "truncated"),
    (lambda b: b"XXXX" + b[4:], "magic"),
    (lambda b: b[:4] + (2).to_bytes(2, "little") + b[6:], "version 2"),
    (lambda b: b[:-20], "truncated"),
    (lambda b: b + b"\0", "extra bytes"),
    (lambda b: b[:40] + bytes([b[40] ^ 0xFF]) + b[41:], "CRC"),
    (lambda b: reseal(b[:6] + b"\2\0" + b[8:]), "flags"),
])
def test_errors_name_what_is_wrong(mutate, message):
    with pytest.raises(ResultFormatError, match=message):
        parse_result(mutate(build_result(sample_record())))


def test_body_garbage_with_valid_crc_is_a_format_error():
    data = build_result(sample_record())
    body = bytearray(data[12:-4])
    body[2:4] = b"\xff\xff"                  # tool string claims 65535 bytes
    with pytest.raises(ResultFormatError, match="malformed"):
        parse_result(reseal(data[:12] + bytes(body) + data[-4:]))


def test_unknown_enum_codes_are_refused():
    d = sample_record(threads=1)
    data = bytearray(build_result(d))
    timing_end = 12 + 2 + len(d["tool"]) + 2 + len(d["command"]) + 24
    assert data[timing_end] == 0                      # stop_reason "completed"
    data[timing_end] = 9
    with pytest.raises(ResultFormatError, match="malformed"):
        parse_result(reseal(bytes(data)))


@pytest.mark.parametrize("key, value", [("version", 2), ("format", "other")])
def test_build_refuses_other_versions(key, value):
    with pytest.raises(ResultFormatError, match="version"):
        build_result({**sample_record(), key: value})


def test_histogram_runs_beyond_the_bucket_count_are_refused():
    d = sample_record(threads=1)
    d["threads"][0]["histogram"]["buckets"] = 1000
    data = bytearray(build_result(d))
    marker = (1000).to_bytes(4, "little")
    at = data.index((1000).to_bytes(4, "little") + marker) + 4
    data[at:at + 4] = (5).to_bytes(4, "little")      # now only 5 buckets
    with pytest.raises(ResultFormatError, match="histogram"):
        parse_result(reseal(bytes(data)))


@pytest.mark.parametrize("counts", [[[3, 1], [3, 1]], [[0, 0]], [[400, 1]], [[5, 1], [2, 1]]])
def test_build_refuses_bad_histograms(counts):
    d = sample_record(threads=1)
    d["threads"][0]["histogram"]["counts"] = counts
    with pytest.raises(ResultFormatError):
        build_result(d)


def test_build_refuses_missing_fields():
    d = sample_record()
    del d["sysinfo"]
    with pytest.raises(ResultFormatError, match="sysinfo"):
        build_result(d)


def header_defines():
    text = (CORE_DIR / "result_format.h").read_text()
    numbers = {m[1]: int(m[2]) for m in re.finditer(r"#define (RESULT_\w+) (\d+)\b", text)}
    strings = {m[1]: m[2] for m in re.finditer(r'#define (RESULT_\w+) "(.*)"', text)}
    return numbers, strings


def test_c_header_matches_the_construct_schema():
    numbers, strings = header_defines()
    assert numbers == C_CONSTANTS
    assert strings == {"RESULT_MAGIC": MAGIC.decode()}


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_fuzz_any_bytes(data):
    dict_or_format_error(data)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_fuzz_well_framed_garbage(body):
    """Valid magic, version, length and CRC around random bytes: only the body parser runs."""
    length = 12 + len(body) + 4
    head = MAGIC + (1).to_bytes(2, "little") + b"\0\0" + length.to_bytes(4, "little")
    dict_or_format_error(reseal(head + body + b"\0\0\0\0"))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_mutated_records(data):
    """Flip bytes of a real record and reseal it: a dict or ResultFormatError, nothing else."""
    record = bytearray(build_result(sample_record()))
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(12, len(record) - 5))
        record[at] = data.draw(st.integers(0, 255))
    dict_or_format_error(reseal(bytes(record)))


sparse_counts = st.dictionaries(st.integers(0, 399), st.integers(1, 2**40), max_size=30)


@settings(max_examples=100)
@given(sparse_counts, st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
                                      st.text(max_size=40), max_size=5))
def test_round_trip_of_generated_records(counts, labels):
    d = sample_record(threads=1)
    d["threads"][0]["histogram"]["counts"] = [[i, c] for i, c in sorted(counts.items())]
    d["labels"] = labels
    assert parse_result(build_result(d)) == d
