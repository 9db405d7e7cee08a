"""rtvirt-measure's command line: usage errors (2), refused real-time setup (3), text output
with cyclictest's exact layout."""

import os
import re
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

# cyclictest 2.x: "T:%2d (%5d) P:%2d I:%ld C:%7lu Min:%7ld Act:%5ld Avg:%5ld Max:%8ld"
T_LINE = re.compile(r"^T:(?P<t>[ \d]{2}|\d{3,}) \((?P<tid>[ \d]{5}|\d{6,})\) "
                    r"P:(?P<p>[ \d]{2}) I:(?P<i>\d+) C:(?P<c>[ \d]{7}|\d{8,}) "
                    r"Min:(?P<min>[ \d]{7}|\d{8,}) Act:(?P<act>[ \d]{5}|\d{6,}) "
                    r"Avg:(?P<avg>[ \d]{5}|\d{6,}) Max:(?P<max>[ \d]{8}|\d{9,})$")


def t_lines(text):
    return [T_LINE.match(line) for line in text.splitlines() if line.startswith("T:")]


@pytest.mark.parametrize("args, names", [
    (["-p", "100"], "-p/--priority"),
    (["-p", "x"], "-p/--priority"),
    (["-i", "0"], "-i/--interval"),
    (["-i", "10us"], "-i/--interval"),
    (["-l", "-5"], "-l/--loops"),
    (["-D", "5x"], "-D/--duration"),
    (["-h", "0"], "-h/--histogram"),
    (["-h", "2000000"], "-h/--histogram"),
    (["-a", "1-0"], "-a/--affinity"),
    (["-azero"], "-a/--affinity"),
    (["-t", "0"], "-t/--threads"),
    (["--label", "novalue"], "--label"),
    (["--label", "bad key=1"], "--label"),
    (["--progress-fd", "987"], "--progress-fd 987"),
    (["--bogus"], "--bogus"),
    (["-z"], "-z"),
    (["-i"], "-i"),
    (["stray"], "stray"),
    (["--json", "-", "--result", "-"], "stdout"),
])
def test_usage_errors_exit_2_naming_the_flag(run_measure, args, names):
    done = run_measure(*args, "-l1")
    assert done.returncode == 2, done.stderr
    assert names in done.stderr
    assert done.stderr.startswith("rtvirt-measure: ")


def test_help_and_version(run_measure):
    done = run_measure("--help")
    assert done.returncode == 0 and "--progress-fd" in done.stdout and "-S, --smp" in done.stdout
    assert run_measure("--version").stdout.startswith("rtvirt-measure ")


def test_offline_cpu_exits_3(run_measure):
    done = run_measure("-a", "1000", "-l1", "-q")
    assert done.returncode == 3
    assert "CPU 1000 is offline" in done.stderr


def unprivileged(measure, tmp):
    """A copy of the binary that the nobody user can run, and the setpriv prefix for it."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or not setpriv:
        pytest.skip("needs root and setpriv to drop to an unprivileged user")
    os.chmod(tmp, 0o755)
    copy = Path(tmp) / "rtvirt-measure"
    shutil.copy(measure, copy)
    copy.chmod(copy.stat().st_mode | stat.S_IXOTH | stat.S_IROTH)
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
              "--inh-caps=-all", "--bounding-set=-all"]
    return prefix, copy


def test_sched_fifo_refused_exits_3_naming_rlimit(measure):
    with tempfile.TemporaryDirectory() as tmp:
        prefix, copy = unprivileged(measure, tmp)
        done = subprocess.run(["prlimit", "--rtprio=0", *prefix, str(copy), "-p99", "-l5",
                               "-q", "-i1000"], capture_output=True, text=True, cwd=tmp,
                              timeout=30)
    assert done.returncode == 3, done.stderr
    assert "SCHED_FIFO refused: RLIMIT_RTPRIO is 0" in done.stderr
    assert "T:" not in done.stdout    # no measurement ran under another policy


def test_mlockall_refused_exits_3(measure):
    with tempfile.TemporaryDirectory() as tmp:
        prefix, copy = unprivileged(measure, tmp)
        done = subprocess.run(["prlimit", "--memlock=0", *prefix, str(copy), "-m", "-l5",
                               "-q"], capture_output=True, text=True, cwd=tmp, timeout=30)
    assert done.returncode == 3, done.stderr
    assert "mlockall refused" in done.stderr and "RLIMIT_MEMLOCK is 0" in done.stderr


def test_quiet_summary_has_cyclictest_layout(run_measure, rt_available):
    prio = ["-p80"] if rt_available else []
    done = run_measure("-t2", *prio, "-i500", "-l40", "-q")
    assert done.returncode == 0, done.stderr
    lines = t_lines(done.stdout)
    assert len(lines) == 2 and all(lines), done.stdout
    assert [m["i"] for m in lines] == ["500", "1000"]      # -d default 500 spreads intervals
    # cyclictest 2.x: the first thread to finish its loops ends the run
    assert max(int(m["c"]) for m in lines) == 40
    assert all(int(m["min"]) <= int(m["avg"]) <= int(m["max"]) for m in lines)


def test_histogram_dump_has_cyclictest_layout(run_measure):
    done = run_measure("-t2", "-i200", "-l50", "-h5", "-q")
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert not any(line.startswith("T:") for line in out)   # -q -h: histogram instead
    start = out.index("# Histogram")
    assert out[start + 1:start + 6] and all(
        re.fullmatch(r"\d{6} \d{6}\t\d{6}", line) for line in out[start + 1:start + 6])
    rest = out[start + 6:]
    assert re.fullmatch(r"# Total: \d{9} \d{9}", rest[0])
    for i, name in enumerate(["Min", "Avg", "Max"], 1):
        assert re.fullmatch(rf"# {name} Latencies: \d{{5}} \d{{5}}", rest[i])
    assert re.fullmatch(r"# Histogram Overflows: \d{5} \d{5}", rest[4])
    assert rest[5] == "# Histogram Overflow at cycle number:"
    assert rest[6].startswith("# Thread 0:") and rest[7].startswith("# Thread 1:")
    assert rest[8] == ""
    totals = [int(a) + int(b) for a, b in zip(rest[0].split()[2:], rest[4].split()[3:],
                                                  strict=True)]
    assert max(totals) == 50        # the first thread done ends the run, as in cyclictest
