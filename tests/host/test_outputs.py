"""What commands print: the end-of-run summary of ``measure``, plain tables in pipes, the
formats, NO_COLOR, and a local agent's INFO lines kept out of stderr unless -v."""

import csv
import io
import os
import re
import subprocess
import sys

from rtvirt.store import Store

COLOUR = re.compile(r"\x1b\[(3|4|9|10)\d")   # SGR foreground/background colour codes


def test_measure_ends_with_a_summary_and_keeps_agent_info_quiet(rtvirt, agent_uri):
    done = rtvirt("measure", "-t2", "-i500", "-l50", "-q", target=agent_uri)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    last_t = max(i for i, line in enumerate(lines) if line.startswith("T:"))
    assert re.fullmatch(r"PM QoS (held at 0 us|held at 0 µs|not held: .+); \d+ missed "
                        r"period\(s\); stop: completed", lines[last_t + 1])
    assert lines[last_t + 2].split()[:4] == ["T", "CPU", "prio", "cycles"]
    assert "p99.99" in lines[last_t + 2] and len(lines) == last_t + 5
    assert "INFO" not in done.stderr
    verbose = rtvirt("-v", "measure", "-l10", "-q", target=agent_uri)
    assert verbose.returncode == 0 and "rtvirt-agent: INFO" in verbose.stderr


def test_measure_summary_as_csv(rtvirt, agent_uri):
    done = rtvirt("measure", "-t2", "-l20", "-q", "--format", "csv", target=agent_uri)
    assert done.returncode == 0, done.stderr
    table = done.stdout[done.stdout.index("index,"):]
    rows = list(csv.DictReader(io.StringIO(table)))
    assert [row["index"] for row in rows] == ["0", "1"] and int(rows[0]["max_ns"]) > 0


def test_report_table_is_plain_in_a_pipe_and_colourless_with_no_color(tmp_path, make_record):
    db = tmp_path / "store.sqlite"
    with Store(db) as store:
        rid, _ = store.add(make_record("a"), "exec:test")
    argv = [sys.executable, "-m", "rtvirt.cli", "--db", str(db), "report", rid[:8], "-o",
            str(tmp_path / "report")]
    piped = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.splitlines()[1].split()[:3] == ["Scenario", "CPU", "Min"]
    assert piped.stdout.isascii() and "…" not in piped.stdout
    forced = subprocess.run([*argv, "--format", "table"], capture_output=True, text=True,
                            timeout=120, env={**os.environ, "NO_COLOR": "1",
                                              "FORCE_COLOR": "1", "COLUMNS": "200"})
    assert forced.returncode == 0, forced.stderr
    assert "Scenario" in forced.stdout and not COLOUR.search(forced.stdout)
