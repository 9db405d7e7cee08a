import pytest
from rtvirt.transports import open_stream, split_uri
from rtvirt.transports.serial import parse
from rtvirt_agent.wire.errors import UsageError


@pytest.mark.parametrize("uri", ["", "tcp:host", "serial:", "nocolon"])
def test_bad_uris_are_usage_errors(uri):
    with pytest.raises(UsageError):
        split_uri(uri)


def test_serial_uri_options():
    assert parse("/dev/ttyUSB0?baud=921600") == ("/dev/ttyUSB0", 921600)
    assert parse("/dev/ttyS1") == ("/dev/ttyS1", 115200)
    with pytest.raises(UsageError, match="bad baud"):
        parse("/dev/ttyS1?baud=fast")
    with pytest.raises(UsageError, match="parity"):
        parse("/dev/ttyS1?parity=even")


def test_exec_of_a_missing_program_names_it():
    with pytest.raises(UsageError, match="no-such-agent"):
        open_stream("exec:no-such-agent --stdio")


def test_usb_latency_hint_names_the_cost_and_the_settings(tmp_path):
    from rtvirt.transports.serial import latency_timer_hint

    adapter = tmp_path / "ttyUSB7"
    adapter.mkdir()
    (adapter / "latency_timer").write_text("16\n")
    hint = latency_timer_hint("/dev/ttyUSB7", devices=tmp_path)
    assert "up to 16 ms" in hint and "ms at 1 ms" in hint
    assert f"echo 1 > {adapter / 'latency_timer'}" in hint
    assert "setserial /dev/ttyUSB7 low_latency" in hint
    (adapter / "latency_timer").write_text("1\n")
    assert latency_timer_hint("/dev/ttyUSB7", devices=tmp_path) is None
    assert latency_timer_hint("/dev/ttyS0", devices=tmp_path) is None
