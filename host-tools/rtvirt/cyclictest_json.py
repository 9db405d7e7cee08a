"""A result record in cyclictest 2.x's own ``--json`` layout, for scripts written for it.

Same keys and nesting as ``cyclictest --json`` (rt-tests 2.4) and ``rtvirt-measure --json``
(agent/core/output_cyclictest.c; tests/core holds the two together), key spellings included
(``"cmdline:"`` and ``"rt_test_version:"`` end with a colon there). Latencies in µs; ``avg``
comes from the record's ns average (cyclictest averages truncated µs, which can be up to 1 µs
lower). Times are UTC; an unpinned thread has ``"cpu": -1``.
"""

import time


def _stamp(realtime_ns):
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(realtime_ns // 10**9))


def _thread(thread, with_histogram):
    counts = thread["histogram"]["counts"] if with_histogram else []
    return {"histogram": {str(index): count for index, count in counts},
            "cycles": thread["cycles"], "min": thread["min_ns"] // 1000,
            "max": thread["max_ns"] // 1000, "avg": round(thread["avg_ns"] / 1000, 2),
            "cpu": thread["cpu"], "node": 0}


def cyclictest_json(record, return_code):
    """The cyclictest document (a dict) of a parsed record and the run's exit status."""
    sysinfo = record["sysinfo"]
    with_histogram = record["params"]["histogram_us"] > 0
    return {
        "file_version": 1,
        "cmdline:": record["command"],
        "rt_test_version:": record["tool"],
        "start_time": _stamp(record["start_realtime_ns"]),
        "end_time": _stamp(record["start_realtime_ns"] + record["duration_ns"]),
        "return_code": return_code,
        "sysinfo": {"sysname": "Linux", "nodename": sysinfo["nodename"],
                    "release": sysinfo["release"], "version": sysinfo["version"],
                    "machine": sysinfo["machine"], "realtime": int(sysinfo["preempt_rt"])},
        "num_threads": len(record["threads"]),
        "resolution_in_ns": 0,
        "thread": {str(t["index"]): _thread(t, with_histogram) for t in record["threads"]},
    }
