"""pytest fixtures for qualification tests on labgrid targets (``pytest --lg-env env.yaml``):
the board brought up by ``RtvirtStrategy``, a connected rtvirt client, and
``rtvirt_qualify(limits_text)`` judging the board.

pytest loads this plugin in every run (rtvirt's ``pytest11`` entry point), including where
labgrid is not installed and in test suites that never touch a board: so it lives outside the
``rtvirt.labgrid`` package (which imports labgrid), imports labgrid and the qualification code
only when a test asks for one of its fixtures, and adds no options (``--lg-env`` and the
``target`` fixture are labgrid's own plugin's).
"""

import pytest


@pytest.fixture
def rtvirt_driver(target):
    """The labgrid target with its agent answering (the strategy's ``agent`` state)."""
    import rtvirt.labgrid

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
    from rtvirt.qualify.board import qualify_board
    from rtvirt.qualify.limits import parse_limits
    from rtvirt.qualify.station import StationView

    def qualify(limits_text):
        limits = parse_limits(limits_text, "limits")
        name = rtvirt_driver.target.name
        return qualify_board(name, limits, str(tmp_path / "results.sqlite"),
                             StationView([name]), open_client=rtvirt_driver.connect)
    return qualify
