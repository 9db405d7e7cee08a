"""A station and a farm's store: N boards qualified in parallel vs one, PostgreSQL vs SQLite.

Station: N local boards (real agents on pty pairs behind 115200-baud lines with a 16 ms
turnaround, rtvirt.lab.local_boards), each qualified for RTVIRT_BENCH_FARM_S seconds (10),
one board alone and N at once (RTVIRT_BENCH_FARM_BOARDS, 8), interleaved twice, the faster
run of each kept. Figures: wall time of each (``rtvirt`` start-up included), their ratio
(goal: close to 1) and the rtvirt process's CPU time per board. The boards'
measurements share this machine's CPUs: emulated boards, not hardware.
Store: 10,000 distinct results (one real record with varied start times and 100 board
serials) added to a SQLite file and to a local PostgreSQL server — the first 1,000 one per
transaction as a station stores them, the rest in one as ``results push`` does (ms per
result) — then listed, and one board's history read (seconds).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rtvirt.database.local_server import fresh_database, postgres_server
from rtvirt.lab.local_boards import LocalBoards
from rtvirt.store import Store
from rtvirt_agent.wire.result import build_result, parse_result

from bench.core import core_binary

LIMITS = ('version = 1\n[limits]\nmax_us = 1e9\n[measure]\naffinity = "0"\n'
          'interval_us = 1000\nhistogram_us = 400\nduration_s = {duration}\n')
RESULTS = 10_000
REPEATS = 2
BOARDS_IN_STORE = 100


def qualify(uris, workdir, duration_s):
    """(wall seconds, CPU seconds of the rtvirt process) of one station run."""
    limits = Path(workdir) / "limits.toml"
    limits.write_text(LIMITS.format(duration=duration_s))
    argv = [sys.executable, "-m", "rtvirt.cli", "--db", str(Path(workdir) / "s.sqlite"),
            "qualify", "--limits", str(limits), "--parallel", str(len(uris))]
    for uri in uris:
        argv += ["--board", uri]
    started = time.monotonic()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"rtvirt qualify exited {process.returncode}")
    return time.monotonic() - started, usage.ru_utime + usage.ru_stime


def station(count, duration_s):
    with tempfile.TemporaryDirectory() as workdir, \
            LocalBoards(Path(workdir) / "boards", core_binary(), count) as boards:
        qualify(boards.uris[:1], workdir, 1)  # warm-up: caches, first imports, agents ready
        one_wall, one_cpu = qualify(boards.uris[:1], workdir, duration_s)
        all_wall, all_cpu = qualify(boards.uris, workdir, duration_s)
        for _ in range(REPEATS - 1):  # interleaved, the fastest of each: a shared machine
            one_wall, one_cpu = min((one_wall, one_cpu),
                                    qualify(boards.uris[:1], workdir, duration_s))
            all_wall, all_cpu = min((all_wall, all_cpu), qualify(boards.uris, workdir,
                                                                 duration_s))
    return {"boards": count, "measure_s": duration_s, "wall_one_s": round(one_wall, 2),
            "wall_all_s": round(all_wall, 2), "wall_ratio": round(all_wall / one_wall, 3),
            "host_cpu_s_per_board_one": round(one_cpu, 3),
            "host_cpu_s_per_board_all": round(all_cpu / count, 3),
            "emulated": "local agents on pty pairs, 115200 baud, 16 ms turnaround"}


def records():
    base = parse_result(_one_record())
    for index in range(RESULTS):
        yield build_result({**base, "start_realtime_ns": base["start_realtime_ns"] + index,
                            "labels": {"board_serial": f"SN-{index % BOARDS_IN_STORE:03d}",
                                       "scenario": "idle"}})


def _one_record():
    with tempfile.TemporaryDirectory() as workdir:
        out = Path(workdir) / "r.rtr"
        subprocess.run([str(core_binary()), "-a0", "-t1", "-i1000", "-l100", "-h100", "-q",
                        "--result", str(out)], check=True, capture_output=True, timeout=60)
        return out.read_bytes()


def store_timing(location, data):
    """One result per transaction (as a station stores them), then all at once (a push)."""
    with Store(location) as store:
        started = time.monotonic()
        for record in data[:RESULTS // 10]:
            store.add(record, "bench:farm")
        one_by_one = (time.monotonic() - started) / (RESULTS // 10)
        started = time.monotonic()
        store.add_all([(record, "bench:farm", None) for record in data[RESULTS // 10:]])
        bulk = (time.monotonic() - started) / (RESULTS - RESULTS // 10)
        added = time.monotonic()
        listed = len(store.list())
        listed_at = time.monotonic()
        history = len(store.board_results("SN-042"))
        done = time.monotonic()
    assert listed == RESULTS and history == RESULTS // BOARDS_IN_STORE
    return {"add_one_ms": round(one_by_one * 1000, 3), "add_bulk_ms": round(bulk * 1000, 3),
            "list_s": round(listed_at - added, 3),
            "board_history_s": round(done - listed_at, 4)}


def stores():
    data = list(records())
    with tempfile.TemporaryDirectory() as workdir, postgres_server() as server:
        sqlite = store_timing(Path(workdir) / "s.sqlite", data)
        postgres = store_timing(fresh_database(server), data)
    return {"results": RESULTS, "sqlite": sqlite, "postgresql": postgres,
            "add_one_ratio_postgresql_to_sqlite":
                round(postgres["add_one_ms"] / sqlite["add_one_ms"], 2),
            "list_ratio_postgresql_to_sqlite": round(postgres["list_s"] / sqlite["list_s"], 2)}


def run():
    count = int(os.environ.get("RTVIRT_BENCH_FARM_BOARDS", "8"))
    duration_s = float(os.environ.get("RTVIRT_BENCH_FARM_S", "10"))
    return {"station": station(count, duration_s), "store": stores(),
            "command": "make bench (bench/farm.py)"}
