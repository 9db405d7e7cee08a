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
