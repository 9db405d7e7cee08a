"""Agent test fixtures: a built core, an agent with its own results dir, a fake op context."""

import dataclasses
import threading
from pathlib import Path

import pytest
from rtvirt_agent.config import default_config
from rtvirt_agent.ops import Agent, build_handlers

REPO = Path(__file__).resolve().parents[2]


class FakeContext:
    """What the rpc server gives a handler, recording the events it emits."""

    def __init__(self, req_id=1):
        self.req_id = req_id
        self.cancelled = threading.Event()
        self.events = []

    def emit(self, body):
        self.events.append(body)


@pytest.fixture
def make_agent(tmp_path):
    """make_agent(**config overrides) -> (agent, handlers) with results under tmp_path."""
    def make(**overrides):
        config = dataclasses.replace(default_config().with_results_dir(tmp_path / "results"),
                                     **overrides)
        agent = Agent(config)
        handlers, hello = build_handlers(agent)
        return agent, {**handlers, "hello": lambda args, ctx: hello()}
    return make


@pytest.fixture
def ctx():
    return FakeContext()
