"""``rtvirt hello``: check that the agent answers, and what it is."""

import json

from rtvirt import session
from rtvirt.terminal import printable

NAME = "hello"
HELP = "connect to the target's agent and show its version and capabilities"


def setup_parser(parser):
    parser.add_argument("--json", action="store_true", help="print the reply as JSON")


def run(args):
    with session.target(args) as (client, hello):
        if args.json:
            print(json.dumps(hello, indent=2, sort_keys=True))
            return 0
        print(printable(f"agent {hello.get('agent_version')} on {hello.get('hostname')} "
                        f"(protocol {hello.get('protocol_version')}, "
                        f"session {client.session:#010x})"))
        print(printable(f"ops: {', '.join(hello.get('ops', []))}"))
        print(printable(f"measurement core: {hello.get('core') or 'not installed'}"))
        print(f"blocksys: {'enabled' if hello.get('blocksys_enabled') else 'disabled'}")
    return 0
