"""A stream that ends before the host's handshake begins (an agent started on demand that
exits at once) is reported at once, with the stream's own reason — not after the silence
timeout as "no rtvirt frame"."""

import pytest
from rtvirt_agent.protocol.link import Link
from rtvirt_agent.wire.errors import Unreachable


class EndedStream:
    """A stream whose peer is gone, saying why (as the console: target's stream does)."""

    fault = Unreachable("rtvirt-agent exited on the console")

    def read(self, max_bytes, timeout):
        raise EOFError("the agent on the console exited")

    def write(self, data):
        raise EOFError("the agent on the console exited")

    def close(self):
        pass


def test_the_stream_ending_before_the_handshake_is_its_failure():
    link = Link(EndedStream(), on_message=lambda message: None)
    link.start()
    assert link.wait_closed(30), "the link did not see the end of the stream"
    with pytest.raises(Unreachable, match="rtvirt-agent exited on the console"):
        link.handshake(timeout=3600)  # before the fix: waited the hour out
