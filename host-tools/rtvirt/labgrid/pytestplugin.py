"""pytest fixtures for qualification tests on labgrid targets (``pytest --lg-env env.yaml``,
with ``-p rtvirt.labgrid.pytestplugin``): the board brought up by ``RtvirtStrategy``, a
connected rtvirt client, and ``rtvirt_qualify(limits_text)`` judging the board."""

import pytest

import rtvirt.labgrid
from rtvirt.qualify.board import qualify_board
from rtvirt.qualify.limits import parse_limits
from rtvirt.qualify.station import StationView


@pytest.fixture
def rtvirt_driver(target):
    """The labgrid target with its agent answering (the strategy's ``agent`` state)."""
    strategy = target.get_driver(rtvirt.labgrid.RtvirtStrategy)
    strategy.transition("agent")
    return target.get_driver(rtvirt.labgrid.RtvirtDriver)


@pytest.fixture
def rtvirt_client(rtvirt_driver):
    with rtvirt_driver.client() as (client, _hello):
        yield client


@pytest.fixture
def rtvirt_qualify(rtvirt_driver, tmp_path):
    """``rtvirt_qualify(limits_text)`` → the board's ``BoardReport`` (stored in a fresh store)."""
    def qualify(limits_text):
        limits = parse_limits(limits_text, "limits")
        name = rtvirt_driver.target.name
        return qualify_board(name, limits, str(tmp_path / "results.sqlite"),
                             StationView([name]), open_client=rtvirt_driver.connect)
    return qualify
