"""The emulated target every e2e module boots once: the module says which with ``BOARD``,
``KERNEL``, ``SELFTESTS``, ``SHARED_CONSOLE`` and ``LOGIN_CONSOLE`` (default False)."""

import pytest

from .guest import boot, selftest_output


@pytest.fixture(scope="module")
def target(request):
    """The booted target's lab state (``rtvirt.lab.state``), taken down after the module."""
    module = request.module
    lab_target, current = boot(module.BOARD, module.KERNEL, selftests=module.SELFTESTS,
                               shared_console=getattr(module, "SHARED_CONSOLE", False),
                               login_console=getattr(module, "LOGIN_CONSOLE", False))
    yield current
    lab_target.down()


@pytest.fixture(scope="module")
def selftests(request, target):
    """Each self-test's output, by name, as the target ran them at boot."""
    return {name: selftest_output(target, name) for name in request.module.SELFTESTS}
