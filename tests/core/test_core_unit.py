"""The C unit tests (histogram, overflow list, percentiles, CPU lists, encoders, options)."""

import subprocess


def test_c_unit_tests_pass(core_build):
    done = subprocess.run([str(core_build / "core-unit-tests")], capture_output=True,
                          text=True, timeout=60)
    failed = [line for line in done.stdout.splitlines() if line.startswith("not ok")]
    assert done.returncode == 0 and not failed, done.stdout
    assert "0 failed" in done.stdout.splitlines()[-1]
    assert sum(line.startswith("ok ") for line in done.stdout.splitlines()) >= 40
