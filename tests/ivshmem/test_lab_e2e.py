"""End to end in the lab's x86 (q35) and arm64 (virt) targets: the agent in the guest serves
through the ivshmem-plain BAR2, the host reads the /dev/shm file behind it."""

import pytest
from rtvirt.sample_reader import SampleReader
from rtvirt.stream_file import Recorder, load_samples
from rtvirt.transports import connect
from rtvirt_agent.ivshmem.region import Region, check_header
from rtvirt_agent.wire.result import parse_result

from tests.e2e.guest import boot, key_values, selftest_output

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
RUN = {"smp": True, "priority": 99, "interval_us": 1000, "distance_us": 0, "mlock": True}


@pytest.fixture(scope="module", params=["x86", "arm64"])
def lab(request):
    """(booted target state, ivshmem: URI) with the ivshmem agent running in the guest."""
    target, current = boot(request.param, selftests=("ivshmem-agent",))
    status, lines = selftest_output(current, "ivshmem-agent")
    assert status == 0, lines
    assert key_values(lines)["ivshmem_agent"].endswith("/resource2")
    yield current, f"ivshmem:{current.ivshmem}?wait=120&stale=30"
    target.down()


def measure(client, **extra):
    reply = client.call("measure", {**RUN, **extra}, timeout=300)
    assert reply["exit_status"] == 0, reply["text"]
    data = client.call("results.get", {"id": reply["result_id"]}, timeout=300)["data"]
    return parse_result(data)


def test_ops_work_through_shared_memory(lab):
    _, uri = lab
    client, hello = connect(uri, timeout=60)
    try:
        assert hello["core"]
        facts = client.call("sysinfo", timeout=60)
        assert facts["virtualization"] in ("qemu-tcg", "qemu")
        assert facts["preempt_rt"]["active"] is True
        listed = client.call("results.list", timeout=60)["results"]
        assert isinstance(listed, list)
    finally:
        client.close()


def test_every_sample_reaches_the_host(lab, tmp_path):
    _, uri = lab
    client, _ = connect(uri, timeout=60)
    try:
        recorder = Recorder(uri, tmp_path / "samples.rtvs")
        result = measure(client, duration_s=5, stream=True)
        counters = recorder.finish(grace_s=30)
    finally:
        client.close()
    cycles = sum(thread["cycles"] for thread in result["threads"])
    samples = load_samples(tmp_path / "samples.rtvs")
    print(f"\n{uri}: {len(samples['seq'])} samples of {cycles} cycles")
    assert len(result["threads"]) == 4
    assert len(samples["seq"]) == cycles > 1000
    assert [ring["lost"] for ring in counters] == [0, 0, 0, 0]
    assert sorted(set(samples["cpu"].tolist())) == [0, 1, 2, 3]


def test_a_paused_host_is_told_every_lost_sample(lab):
    current, uri = lab
    client, _ = connect(uri, timeout=60)
    region = Region(current.ivshmem)
    try:
        reader = SampleReader(region, check_header(region), stale_s=30, skip_current=True)
        result = measure(client, loops=300, stream=True, stream_slots=8)  # nobody reads
        samples = reader.poll()
        counters = reader.counters()
    finally:
        client.close()
        reader = None
        region.close()
    by_thread = {thread["index"]: thread["cycles"] for thread in result["threads"]}
    assert len(samples) == 8 * len(by_thread)
    assert max(by_thread.values()) == 300, "-l ends the run when the first thread is done"
    for index, ring in enumerate(counters):
        assert ring["received"] == 8
        assert ring["lost"] == by_thread[index] - 8
