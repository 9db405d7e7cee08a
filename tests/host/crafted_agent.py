"""A crafted agent behind an ``exec:`` target: the real protocol, replies of the wrong shape.

``python crafted_agent.py N`` serves ``CASES[N]``: every op answers as a sound agent would,
except the case's op, which answers (or, for an event, emits) the case's crafted body. The
host must end each case with exit 4 naming a peer fault (issue 14 item 6).
"""

import sys

SOUND_ID = "ab" * 32
HELLO = {"agent_version": "0.1.0", "protocol_version": 1, "hostname": "crafted",
         "ops": ["hello", "sysinfo", "measure", "results.list", "results.get", "cells"],
         "blocksys_enabled": False, "core": "/usr/bin/rtvirt-measure"}
MEASURED = {"result_id": SOUND_ID, "size": 100, "exit_status": 0, "text": "",
            "text_truncated": False}
ENTRY = {"id": SOUND_ID, "size": 100, "created": 1.0, "labels": {}}
SOUND = {"hello": HELLO, "sysinfo": {}, "measure": MEASURED, "results.list": {"results": []},
         "results.get": {"id": SOUND_ID, "data": b"RTVR"}, "cells": {"cells": []}}
HELLO_CMD, SYSINFO_CMD, FETCH_CMD = ("hello",), ("sysinfo",), ("results", "fetch")
MEASURE_CMD, CELLS_CMD = ("measure", "-l", "10", "-q"), ("cells", "list")
LIVE_MEASURE_CMD = ("measure", "-l", "10")  # with the live view, which takes the events

# (command, op, kind, crafted body)
CASES = [
    (HELLO_CMD, "hello", "reply", []),
    (HELLO_CMD, "hello", "reply", {}),
    (HELLO_CMD, "hello", "reply", {**HELLO, "protocol_version": "1"}),
    (HELLO_CMD, "hello", "reply", {**HELLO, "ops": "measure"}),
    (HELLO_CMD, "hello", "reply", {**HELLO, "ops": [1, 2]}),
    (HELLO_CMD, "hello", "reply", {**HELLO, "hostname": 5}),
    (HELLO_CMD, "hello", "reply", {**HELLO, "hostname": "x" * 10_000}),
    (HELLO_CMD, "hello", "reply", {**HELLO, "blocksys_enabled": "yes"}),
    (HELLO_CMD, "hello", "reply", {**HELLO, "core": 7}),
    (SYSINFO_CMD, "sysinfo", "reply", [1, 2]),
    (SYSINFO_CMD, "sysinfo", "reply", "facts"),
    (SYSINFO_CMD, "sysinfo", "reply", {"cpus_online": "0-4000000000"}),
    (SYSINFO_CMD, "sysinfo", "reply", {"preempt_rt": "yes"}),
    (SYSINFO_CMD, "sysinfo", "reply", {"preempt_rt": {"active": "yes"}}),
    (SYSINFO_CMD, "sysinfo", "reply", {"irqs_on_isolated": {"24": "0-3"}}),
    (SYSINFO_CMD, "sysinfo", "reply", {"loadavg": ["high"]}),
    (SYSINFO_CMD, "sysinfo", "reply", {"cpufreq_governors": [1]}),
    (SYSINFO_CMD, "sysinfo", "reply", {"mem_total_kb": -5}),
    (FETCH_CMD, "results.list", "reply", {}),
    (FETCH_CMD, "results.list", "reply", {"results": {}}),
    (FETCH_CMD, "results.list", "reply", {"results": [5]}),
    (FETCH_CMD, "results.list", "reply", {"results": [{**ENTRY, "id": "../../etc/passwd"}]}),
    (FETCH_CMD, "results.list", "reply", {"results": [{"id": SOUND_ID}]}),
    (FETCH_CMD, "results.list", "reply", {"results": [{**ENTRY, "size": "100"}]}),
    (FETCH_CMD, "results.list", "reply", {"results": [{**ENTRY, "labels": [1]}]}),
    (FETCH_CMD, "results.list", "reply", {"results": [ENTRY] * 3 + [None]}),
    (MEASURE_CMD, "measure", "reply", []),
    (MEASURE_CMD, "measure", "reply", {}),
    (MEASURE_CMD, "measure", "reply", {**MEASURED, "result_id": 5}),
    (MEASURE_CMD, "measure", "reply", {**MEASURED, "result_id": "../../etc/passwd"}),
    (MEASURE_CMD, "measure", "reply", {**MEASURED, "size": -1}),
    (MEASURE_CMD, "measure", "reply", {**MEASURED, "exit_status": "0"}),
    (MEASURE_CMD, "measure", "reply", {**MEASURED, "text": 5}),
    (LIVE_MEASURE_CMD, "measure", "event", {"threads": "all"}),
    (LIVE_MEASURE_CMD, "measure", "event", {"threads": [{"cpu": "0"}]}),
    (LIVE_MEASURE_CMD, "measure", "event", [1]),
    (MEASURE_CMD, "results.get", "reply", {"id": SOUND_ID, "data": "RTVR"}),
    (MEASURE_CMD, "results.get", "reply", {"data": b"RTVR"}),
    (MEASURE_CMD, "results.get", "reply", None),
    (CELLS_CMD, "cells", "reply", {"cells": "all"}),
    (CELLS_CMD, "cells", "reply", {"cells": [{"id": "x", "name": "rt", "state": "running",
                                              "cpus": "1"}]}),
]


def handler(op, crafted):
    _command, crafted_op, kind, body = crafted

    def answer(args, ctx):
        if op == crafted_op and kind == "event":
            ctx.emit(body)
        return body if op == crafted_op and kind == "reply" else SOUND[op]
    return answer


def main():
    from rtvirt_agent.protocol.rpc import Server
    from rtvirt_agent.streams import FdStream
    from rtvirt_agent.wire.message import Message

    class CraftedServer(Server):
        """Sends whatever its handlers return (the real one insists on a dict)."""

        @staticmethod
        def _execute(handler, message, context):
            return Message.reply(message.req_id, handler(message.body, context))

    crafted = CASES[int(sys.argv[1])]
    handlers = {op: handler(op, crafted) for op in SOUND if op != "hello"}
    hello = handler("hello", crafted)
    CraftedServer(FdStream(0, 1), handlers, hello=lambda: hello({}, None)).serve_forever()


if __name__ == "__main__":
    main()
