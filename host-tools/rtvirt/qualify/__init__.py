"""Qualification: judge results against a limits file and report pass/fail (JUnit for CI)."""
