"""Short real runs on this machine: --result-json and --result describe the same run, the figures
are consistent with each other and with the T: lines, progress lines parse, signals stop
cleanly."""

import json
import os
import signal
import subprocess

import pytest
from rtvirt_agent.progress import ProgressReader
from rtvirt_agent.wire.result import parse_result, result_id, result_to_json

from .test_core_cli import t_lines


@pytest.fixture
def prio(rt_available):
    """-p80 where SCHED_FIFO is allowed (tests of the refusal live in test_core_cli)."""
    return ["-p80"] if rt_available else []


def run_with_outputs(run_measure, tmp_path, *args):
    js, rec = tmp_path / "r.json", tmp_path / "r.bin"
    done = run_measure(*args, "--result-json", js, "--result", rec)
    assert done.returncode == 0, done.stderr
    return done, json.loads(js.read_text()), rec.read_bytes()


def test_json_is_the_mirror_of_the_binary_record(run_measure, tmp_path, prio):
    done, js, rec = run_with_outputs(run_measure, tmp_path, "-S", *prio, "-i500", "-l200",
                                     "-m", "-q", "--label", "scenario=container",
                                     "--label", "load=none")
    record = parse_result(rec)
    assert result_to_json(record) == js
    assert js["format"] == "rtvirt-result" and js["version"] == 1
    assert js["labels"] == {"scenario": "container", "load": "none"}
    assert js["params"]["smp"] and js["params"]["mlockall"] and js["params"]["affinity"] == "all"
    assert js["stop_reason"] == "completed"
    assert len(result_id(rec)) == 64
    assert [t["cpu"] for t in js["threads"]] == list(range(js["sysinfo"]["cpu_count"]))
    assert not list(tmp_path.glob("*.tmp.*"))       # tmp -> rename leaves nothing behind


def test_break_is_recorded_where_it_happened(run_measure, tmp_path):
    """-b 1: the run stops at the first latency above 1 us; the record says which thread, cycle
    and latency, and the JSON mirror says the same."""
    done, js, rec = run_with_outputs(run_measure, tmp_path, "-t2", "-b1", "-i500", "-l2000",
                                     "-q")
    record = parse_result(rec)
    assert result_to_json(record) == js
    brk = record["break"]
    assert record["stop_reason"] == "break" and brk["threshold_us"] == 1
    assert brk["value_ns"] > 1000
    thread = record["threads"][brk["thread"]]
    assert brk["cycle"] == thread["cycles"] - 1 and thread["max_ns"] >= brk["value_ns"]
    assert f"# Break cycle: {brk['cycle']} (T:{brk['thread']})" in done.stdout


def test_figures_are_consistent(run_measure, tmp_path, prio):
    done, js, _ = run_with_outputs(run_measure, tmp_path, "-t2", *prio, "-i400", "-l300",
                                   "-q", "-h200")
    assert js["params"]["histogram_us"] == 200
    lines = t_lines(done.stdout) or []
    # cyclictest 2.x: the first thread done ends the run
    assert max(th["cycles"] for th in js["threads"]) == 300
    for th in js["threads"]:
        assert th["interval_us"] == 400                      # -h: no -d spreading
        assert 0 < th["cycles"] <= 300
        assert 0 < th["min_ns"] <= th["avg_ns"] <= th["max_ns"]
        assert th["min_ns"] <= th["p50_ns"] <= th["p99_ns"] <= th["p99_9_ns"] \
            <= th["p99_99_ns"] <= th["max_ns"]
        hist = th["histogram"]
        assert hist["bucket_ns"] == 1000 and hist["buckets"] == 200
        assert sum(c for _, c in hist["counts"]) + th["overflow_total"] == th["cycles"]
        assert all(s["value_ns"] >= 200_000 for s in th["overflow_samples"])
        assert len(th["overflow_samples"]) == min(th["overflow_total"], 1024)
    assert lines == []                                      # -q -h prints the histogram
    mins = [line for line in done.stdout.splitlines() if line.startswith("# Min Latencies")]
    assert mins[0].split()[3:] == [f"{t['min_ns'] // 1000:05d}" for t in js["threads"]]


def test_t_lines_agree_with_the_record(run_measure, tmp_path, prio):
    done, js, _ = run_with_outputs(run_measure, tmp_path, "-t1", *prio, "-i300", "-l200", "-q")
    (m,) = t_lines(done.stdout)
    th = js["threads"][0]
    assert int(m["c"]) == th["cycles"] and int(m["tid"]) == th["tid"]
    assert int(m["min"]) == th["min_ns"] // 1000 and int(m["max"]) == th["max_ns"] // 1000
    # cyclictest's Avg: mean of per-cycle truncated us, truncated (below the ns mean by < 2 us)
    assert 0 <= th["avg_ns"] / 1000 - int(m["avg"]) < 2


def test_every_overflow_is_kept_up_to_the_cap(run_measure, tmp_path):
    """-h1: nearly every latency is above 1 us; the list keeps the first 7, the total all."""
    _, js, _ = run_with_outputs(run_measure, tmp_path, "-i200", "-l100", "-h1", "-q",
                                "--overflow-cap", "7")
    th = js["threads"][0]
    assert th["overflow_total"] >= 90
    samples = th["overflow_samples"]
    assert len(samples) == 7
    assert [s["cycle"] for s in samples] == sorted(s["cycle"] for s in samples)
    assert all(0 < s["time_ns"] < js["duration_ns"] for s in samples)
    assert th["p99_99_ns"] == th["max_ns"]        # incomplete list: the max, never less


def test_duration_and_missed_periods(run_measure, tmp_path):
    _, js, _ = run_with_outputs(run_measure, tmp_path, "-i1000", "-D1", "-q")
    th = js["threads"][0]
    assert js["params"]["duration_limit_s"] == 1
    assert 0.95e9 <= js["duration_ns"] <= 1.5e9
    # one cycle per period, except the periods skipped after a late wakeup
    assert 900 <= th["cycles"] + th["missed"] <= 1001


def test_progress_lines_parse(measure, tmp_path, prio):
    reader_fd, writer_fd = os.pipe()
    rec = tmp_path / "r.bin"
    proc = subprocess.Popen(
        [str(measure), "-t2", *prio, "-i1000", "-D1", "-q", "--progress-fd", str(writer_fd),
         "--progress-interval", "50", "--result", rec],
        pass_fds=(writer_fd,), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(writer_fd)
    reader, records = ProgressReader(), []
    with open(reader_fd, "rb", buffering=0) as pipe:
        while chunk := pipe.read(4096):
            records += reader.feed(chunk)
    records += reader.close()
    assert proc.wait(timeout=30) == 0
    kinds = [r["kind"] for r in records]
    assert kinds[0] == "start" and kinds[-1] == "done"
    assert records[0]["threads"] == 2 and records[-1] == {"kind": "done",
                                                          "reason": "completed", "status": 0}
    snaps = [r for r in records if r["kind"] == "thread"]
    assert len(snaps) >= 2 * 10 and {r["t"] for r in snaps} == {0, 1}
    last = {r["t"]: r for r in snaps}
    final = parse_result(rec.read_bytes())["threads"]
    assert [last[i]["cycles"] for i in (0, 1)] == [t["cycles"] for t in final]
    assert all(r["min_ns"] <= r["avg_ns"] <= r["max_ns"] for r in snaps if r["cycles"])


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_stops_cleanly_and_writes_the_result(measure, tmp_path, sig, prio):
    """Periods of an hour: the run ends at once only if the sleeping threads are woken."""
    rec = tmp_path / "r.bin"
    reader_fd, writer_fd = os.pipe()
    proc = subprocess.Popen([str(measure), "-t2", *prio, "-i3600000000", "-q", "--result", rec,
                             "--progress-fd", str(writer_fd)], pass_fds=(writer_fd,),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    os.close(writer_fd)
    with open(reader_fd, "rb", buffering=0) as pipe:
        reader = ProgressReader()
        while not any(r["kind"] == "start" for r in reader.feed(pipe.read(4096) or b"\n")):
            assert proc.poll() is None, "the core ended before it started measuring"
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)  # a hang guard: unwoken threads take an hour
    assert proc.returncode == 0, err
    record = parse_result(rec.read_bytes())
    assert record["stop_reason"] == "signal"
    assert [t["cycles"] for t in record["threads"]] == [0, 0]  # stopped within the 1st period
    assert len(t_lines(out)) == 2


def test_result_to_stdout_moves_text_to_stderr(measure):
    done = subprocess.run([str(measure), "-l20", "-i200", "-q", "--result", "-"],
                          capture_output=True, timeout=30)
    assert done.returncode == 0
    record = parse_result(done.stdout)
    assert record["threads"][0]["cycles"] == 20
    assert b"T: 0" in done.stderr


def test_unwritable_result_exits_1_and_says_why(run_measure, tmp_path):
    done = run_measure("-l5", "-i200", "-q", "--result", tmp_path / "missing" / "r.bin")
    assert done.returncode == 1
    assert "--result: cannot create" in done.stderr and "No such file" in done.stderr
