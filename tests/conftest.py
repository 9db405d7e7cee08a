"""Shared test configuration: tests without another marker are ``unit`` tests."""

import pytest
from hypothesis import HealthCheck, settings


def pytest_collection_modifyitems(items):
    for item in items:
        if not any(item.iter_markers(name) for name in ("e2e", "slow")):
            item.add_marker(pytest.mark.unit)


# Timing is not what property tests check: CI shares two cores with QEMU boots, so a slow
# example must not fail a test. The number of examples stays as each test sets it.
settings.register_profile("rtvirt", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("rtvirt")
