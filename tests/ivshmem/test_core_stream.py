"""rtvirt-measure --ivshmem: every sample into the rings, losses counted exactly."""

import re
import subprocess
import time
from pathlib import Path

import numpy as np
from rtvirt.sample_reader import SampleReader
from rtvirt_agent.wire.ivshmem import C_CONSTANTS, MAGIC
from rtvirt_agent.wire.result import parse_result

HEADER = Path(__file__).resolve().parents[2] / "agent" / "core" / "ivshmem_format.h"


def test_c_header_matches_the_construct_layout():
    text = HEADER.read_text()
    numbers = {m[1]: int(m[2]) for m in re.finditer(r"#define (IVSHMEM_\w+) (\d+)\b", text)}
    strings = dict(re.findall(r'#define (IVSHMEM_\w+) "(.*)"', text))
    assert numbers == {**C_CONSTANTS, "IVSHMEM_MAGIC_SIZE": len(MAGIC)}
    assert strings == {"IVSHMEM_MAGIC": MAGIC.decode()}


def run_core(core, region, tmp_path, *flags):
    result = tmp_path / "result.bin"
    process = subprocess.Popen([str(core), "-q", "--no-pm-qos", f"--ivshmem={region.path}",
                                f"--result={result}", *map(str, flags)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return process, result


def test_every_sample_reaches_the_host(core, target_region, tmp_path):
    region, layout = target_region
    process, result = run_core(core, region, tmp_path, "-t", 2, "-i", 100, "-l", 5000)
    reader, chunks = SampleReader(region, layout), []
    while process.poll() is None or not reader.drained():
        chunks.append(reader.poll())
        time.sleep(0.002)
    assert process.wait() == 0, process.stderr.read()
    samples = np.concatenate(chunks)
    cycles = [t["cycles"] for t in parse_result(result.read_bytes())["threads"]]
    # the first thread done ends the run (cyclictest's -l): the other stops short of 5000
    assert len(samples) == sum(cycles) and max(cycles) == 5000
    assert [ring["lost"] for ring in reader.counters()] == [0, 0]
    assert [ring["gaps"] for ring in reader.counters()] == [0, 0]
    seqs = np.sort(samples["seq"])
    expected = np.sort(np.concatenate([np.arange(count) for count in cycles]))
    assert np.array_equal(seqs, expected)
    assert np.all(samples["latency_ns"] < 10**9)


def test_a_paused_host_gets_the_exact_loss_count(core, target_region, tmp_path):
    region, layout = target_region
    process, result = run_core(core, region, tmp_path, "-i", 100, "-l", 3000,
                               "--ivshmem-slots", 16)
    assert process.wait(timeout=60) == 0, process.stderr.read()
    reader = SampleReader(region, layout)
    samples = reader.poll()
    [thread] = parse_result(result.read_bytes())["threads"]
    [ring] = reader.counters()
    assert list(samples["seq"]) == list(range(16))
    assert ring["received"] == 16
    assert ring["lost"] == thread["cycles"] - 16 == 2984
    assert reader.drained()


def test_an_uninitialised_region_is_refused(core, region_path, tmp_path):
    done = subprocess.run([str(core), "-l", "10", f"--ivshmem={region_path}"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "not an initialised rtvirt ivshmem region" in done.stderr
    assert "rtvirt-agent --ivshmem" in done.stderr


def test_a_missing_region_is_named(core, tmp_path):
    done = subprocess.run([str(core), "-l", "10", f"--ivshmem={tmp_path}/none"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "No such file" in done.stderr
