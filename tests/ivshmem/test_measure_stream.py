"""``rtvirt measure --stream FILE`` against a real agent serving through an ivshmem region."""

import re
import subprocess
import sys

import numpy as np
import pytest
from rtvirt.stream_file import load_samples
from rtvirt.transports import connect
from rtvirt_agent.wire.errors import RemoteError, UsageError


@pytest.fixture
def ivshmem_agent(region_path, tmp_path, core):
    """``rtvirt-agent --ivshmem`` on the region with a freshly built core; yields the URI."""
    config = tmp_path / "agent.toml"
    config.write_text(f'version = 1\nresults_dir = "{tmp_path / "results"}"\ncore = "{core}"\n')
    agent = subprocess.Popen([sys.executable, "-m", "rtvirt_agent.main", "--ivshmem",
                              str(region_path), "--config", str(config)])
    yield f"ivshmem:{region_path}"
    agent.terminate()
    agent.wait(timeout=10)


def rtvirt(tmp_path, target, *args):
    argv = [sys.executable, "-m", "rtvirt.cli", "--db", str(tmp_path / "store.sqlite"),
            "--target", target, *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


def test_measure_streams_every_sample(ivshmem_agent, tmp_path):
    out = tmp_path / "samples.rtvs"
    done = rtvirt(tmp_path, ivshmem_agent, "measure", "-t", "2", "-i", "500", "-l", "2000",
                  "-q", "--no-pm-qos", "--stream", str(out), "-o", str(tmp_path / "r.json"))
    assert done.returncode == 0, done.stderr
    per_thread = [(int(got), int(cycles)) for got, cycles in re.findall(
        r"stream T:\d cpu -?\d+: (\d+) samples, 0 lost, of (\d+) cycles", done.stderr)]
    # the first thread done ends the run (cyclictest's -l): the other stops short of 2000
    assert len(per_thread) == 2 and all(got == cycles for got, cycles in per_thread)
    assert max(cycles for _, cycles in per_thread) == 2000
    total = sum(cycles for _, cycles in per_thread)
    assert f"{total} samples written" in done.stderr and ", 0 lost" in done.stderr
    samples = load_samples(out)
    assert set(samples) == {"cpu", "time_ns", "latency_ns", "seq"}
    assert len(samples["seq"]) == total
    expected = np.sort(np.concatenate([np.arange(cycles) for _, cycles in per_thread]))
    assert np.array_equal(np.sort(samples["seq"]), expected)
    assert np.all(np.diff(samples["time_ns"][samples["seq"] < 10]) != 0)


def test_hello_and_results_through_the_region(ivshmem_agent, tmp_path):
    done = rtvirt(tmp_path, ivshmem_agent, "hello")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("agent ") and "measure" in done.stdout
    listed = rtvirt(tmp_path, ivshmem_agent, "results", "fetch")
    assert listed.returncode == 0, listed.stderr


def test_stream_needs_an_ivshmem_target(tmp_path):
    done = rtvirt(tmp_path, "exec:true", "measure", "-l", "10", "--stream", str(tmp_path / "x"))
    assert done.returncode == 2
    assert "--stream needs an ivshmem: target" in done.stderr


def test_loader_refuses_other_files(tmp_path):
    path = tmp_path / "other"
    path.write_bytes(b"PK\x03\x04" + bytes(40))
    with pytest.raises(UsageError, match="not an rtvirt sample file"):
        load_samples(path)


def test_streaming_is_refused_without_a_region(tmp_path, core):
    config = tmp_path / "agent.toml"
    config.write_text(f'version = 1\nresults_dir = "{tmp_path / "results"}"\ncore = "{core}"\n')
    client, _ = connect(f"exec:{sys.executable} -m rtvirt_agent.main --stdio --config {config}")
    try:
        with pytest.raises(RemoteError) as refused:
            client.call("measure", {"loops": 10, "stream": True})
    finally:
        client.close()
    assert refused.value.code == "not-supported"
    assert "--ivshmem" in refused.value.message
