"""The agent behind an ivshmem region: ``rtvirt-agent --ivshmem`` and the ``ivshmem:`` transport."""

import signal
import subprocess
import sys
import time

import pytest
from rtvirt.transports import connect
from rtvirt.transports.ivshmem import open_stream, parse
from rtvirt_agent.ivshmem.region import Region
from rtvirt_agent.store import ResultStore
from rtvirt_agent.wire.errors import PeerFault, ProtocolError, Unreachable, UsageError


def start_agent(region_path, results):
    return subprocess.Popen([sys.executable, "-m", "rtvirt_agent.main", "--ivshmem",
                             str(region_path), "--results-dir", str(results)])


@pytest.fixture
def agent_on_region(region_path, tmp_path):
    """A real rtvirt-agent process serving through the region; yields the region's path."""
    process = start_agent(region_path, tmp_path / "results")
    yield region_path
    process.terminate()
    process.wait(timeout=10)


def test_ops_work_through_the_mailboxes(agent_on_region):
    client, hello = connect(f"ivshmem:{agent_on_region}")
    try:
        assert "measure" in hello["ops"]
        assert client.call("sysinfo")["cpus_online"]
        assert client.call("results.list") == {"results": []}
        with pytest.raises(Exception, match="not-found"):
            client.call("results.get", {"id": "0" * 64})
    finally:
        client.close()


def test_a_restarted_agent_is_followed(region_path, tmp_path):
    first = start_agent(region_path, tmp_path / "results")
    client, _ = connect(f"ivshmem:{region_path}")
    first.terminate()
    first.wait(timeout=10)
    second = start_agent(region_path, tmp_path / "results")
    try:
        time.sleep(1.0)  # a new generation: the host re-attaches and re-handshakes
        assert client.call("hello", timeout=20)["agent_version"]
    finally:
        client.close()
        second.terminate()
        second.wait(timeout=10)


def test_an_empty_region_is_not_waited_for_forever(region_path):
    started = time.monotonic()
    with pytest.raises(Unreachable, match="target stopped responding"):
        open_stream(f"{region_path}?wait=0.5")
    assert time.monotonic() - started < 3


def test_a_stopped_heartbeat_ends_the_stream(region_path):
    from rtvirt_agent.ivshmem.region import initialise
    initialise(Region(region_path))  # initialised once, then nobody beats
    stream = open_stream(f"{region_path}?stale=0.3")
    with pytest.raises(EOFError):
        for _ in range(100):
            stream.read(100, 0.05)
    assert isinstance(stream.fault, Unreachable)
    assert "target stopped responding" in str(stream.fault)


def test_a_foreign_region_is_named(region_path):
    region_path.write_bytes(b"\x7fELF" + bytes(8192))
    with pytest.raises(ProtocolError, match=r"magic is b'\\x7fELF"):
        open_stream(str(region_path))


def test_broken_mailbox_counters_are_a_peer_fault(region_path):
    from rtvirt_agent.ivshmem.region import initialise
    region = Region(region_path)
    layout = initialise(region)
    stream = open_stream(str(region_path))
    region.set_word(layout.response[0], 1 << 40)  # head far beyond tail + capacity
    with pytest.raises(EOFError):
        stream.read(100, 0.1)
    assert isinstance(stream.fault, PeerFault)
    assert str(stream.fault).startswith("peer fault: mailbox")


@pytest.mark.parametrize("rest", ["/x?stale=abc", "/x?bogus=1", "/x?wait=0", "/x?map=-1"])
def test_bad_options(rest):
    with pytest.raises(UsageError):
        parse(rest)


def cli(*args):
    return subprocess.run([sys.executable, "-m", "rtvirt.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_cli_exit_codes_for_bad_regions(region_path):
    from rtvirt_agent.ivshmem.region import initialise
    initialise(Region(region_path))  # nobody beats the heartbeat
    stale = cli("--target", f"ivshmem:{region_path}?stale=1", "hello")
    assert stale.returncode == 3
    assert "target stopped responding" in stale.stderr
    region_path.write_bytes(b"GARBAGE!" + bytes(4096))
    foreign = cli("--target", f"ivshmem:{region_path}", "hello")
    assert foreign.returncode == 4
    assert "magic is b'GARBAGE!'" in foreign.stderr


def test_a_peer_fault_during_a_session_is_reported_as_such(region_path, tmp_path):
    """The agent is stopped (SIGSTOP) while the test scribbles the response mailbox's head,
    which only the agent writes: it cannot put a good value back before the host reads it."""
    from rtvirt_agent.ivshmem.region import check_header
    agent = start_agent(region_path, tmp_path / "results")
    region = Region(region_path)
    try:
        client, _ = connect(f"ivshmem:{region_path}")
        try:
            agent.send_signal(signal.SIGSTOP)
            region.set_word(check_header(region).response[0], 1 << 50)
            with pytest.raises(PeerFault, match="^peer fault: mailbox"):
                client.call("sysinfo", timeout=20)
        finally:
            client.close()
    finally:
        agent.kill()  # its mailbox is broken: how it shuts down is not this test's concern
        agent.wait(timeout=10)
        region.close()


def test_a_uio_map_is_mapped_at_its_page_offset(tmp_path, monkeypatch):
    """/dev/uioN map M lies at M pages into the device; its size comes from sysfs."""
    import mmap

    from rtvirt_agent.ivshmem import region as regions
    device = tmp_path / "uio3"
    device.write_bytes(bytes(2 * mmap.PAGESIZE) + b"RTVIVSHM" + bytes(65536 - 8))
    maps = tmp_path / "class" / "uio3" / "maps" / "map2"
    maps.mkdir(parents=True)
    (maps / "size").write_text("0x10000\n")
    monkeypatch.setattr(regions, "SYS_CLASS_UIO", str(tmp_path / "class"))
    region = Region(device)
    assert region.size == 0x10000 and bytes(region.bytes[:8]) == b"RTVIVSHM"
    region.close()
    with pytest.raises(UsageError, match="no uio map 1"):
        Region(device, uio_map=1)
    with pytest.raises(UsageError, match="not a uio device"):
        Region(tmp_path / "class" / "uio3" / "maps" / "map2" / "size", uio_map=2)


def test_a_region_too_small_for_the_mailboxes_is_refused_by_the_target(region_path):
    from rtvirt_agent.ivshmem.region import initialise
    with open(region_path, "r+b") as file:
        file.truncate(64 * 1024)
    with pytest.raises(UsageError, match="needs at least"):
        initialise(Region(region_path))


def test_a_jailhouse_link_section_carries_a_whole_result(region_path, tmp_path):
    """252 KiB, the read-write section of an rtvirt Jailhouse link: the response mailbox
    shrinks to fit, and a result larger than it still arrives whole."""
    from rtvirt_agent.ivshmem.region import initialise
    from rtvirt_agent.wire.ivshmem import REQUEST_BYTES
    with open(region_path, "r+b") as file:
        file.truncate(0x3f000)
    layout = initialise(Region(region_path))
    assert layout.request[1] == REQUEST_BYTES
    assert REQUEST_BYTES <= layout.response[1] < 0x3f000 - REQUEST_BYTES
    record = bytes(range(256)) * 1024          # 256 KiB, more than the response mailbox
    rid = ResultStore(tmp_path / "results").put(record)
    process = start_agent(region_path, tmp_path / "results")
    try:
        client, _ = connect(f"ivshmem:{region_path}")
        try:
            assert client.call("results.get", {"id": rid})["data"] == record
        finally:
            client.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_overlapping_blocks_are_a_peer_fault(region_path):
    from rtvirt_agent.ivshmem.region import HDR, check_header, initialise
    region = Region(region_path)
    layout = initialise(region)
    region.set_word(HDR["response_offset"], layout.request[0] + 64)
    with pytest.raises(PeerFault, match="overlaps"):
        check_header(region)
    region.close()


def test_a_hostile_host_ends_the_agent_with_a_logged_peer_fault(region_path, tmp_path):
    agent = subprocess.Popen([sys.executable, "-m", "rtvirt_agent.main", "--ivshmem",
                              str(region_path), "--results-dir", str(tmp_path / "results")],
                             stderr=subprocess.PIPE, text=True)
    try:
        stream = open_stream(f"{region_path}?wait=20")  # the agent has initialised it
        stream.region.set_word(stream.layout.request[0], 1 << 50)  # the request head
        assert agent.wait(timeout=20) == 0
    finally:
        agent.kill()
    assert "peer fault: mailbox" in agent.stderr.read()
