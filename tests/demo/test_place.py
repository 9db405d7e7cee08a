"""Where a scenario measures: places are checked when a scenario is described."""

import pytest
from rtvirt.demo.place import MEASURE_DEFAULTS, check_where, measure_call
from rtvirt.demo.scenario import Measurement
from rtvirt_agent.wire.errors import UsageError


def test_a_cell_gets_only_what_is_asked_for_and_a_longer_deadline():
    op, request, timeout = measure_call("cell:rtvirt-baremetal", {"interval_us": 1000}, 10,
                                        {"scenario": "x"})
    assert op == "cell.measure"
    assert request == {"cell": "rtvirt-baremetal", "interval_us": 1000, "duration_s": 10.0,
                       "labels": {"scenario": "x"}}
    host_timeout = measure_call("host", {}, 10, {})[2]
    assert timeout > host_timeout > 10


def test_the_container_is_the_host_measurement_in_a_container():
    _, host, _ = measure_call("host", {}, 5, {})
    _, container, _ = measure_call("container", {}, 5, {})
    assert container == {**host, "container": True}
    assert set(host) == set(MEASURE_DEFAULTS) | {"duration_s", "labels"}


@pytest.mark.parametrize("where, message", [
    ("usb", "unknown place 'usb': choose one of host, container, cell:NAME"),
    ("cell", "place 'cell': cell:NAME needs a name"),
    ("host:0", "place 'host:0': host takes no name"),
])
def test_bad_places_are_refused_when_the_scenario_is_described(where, message):
    with pytest.raises(UsageError, match=message):
        Measurement(where)
    with pytest.raises(UsageError):
        check_where(where)
