"""Shared test configuration: tests without another marker are ``unit`` tests."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if not any(item.iter_markers(name) for name in ("e2e", "slow")):
            item.add_marker(pytest.mark.unit)
