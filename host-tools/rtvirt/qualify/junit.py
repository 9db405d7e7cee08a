"""JUnit XML for CI systems and factory test stations: one testsuite per board, one test case
per scenario, CPU and limit (and per gate); a board or scenario that could not be judged is an
``<error>`` case, so the report exists even when the target never answered."""

import os
import socket
import time
import xml.etree.ElementTree as ET


def _timestamp(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch))


def _case(suite, verdict):
    classname, name = verdict.case
    case = ET.SubElement(suite, "testcase", classname=classname, name=name, time="0")
    if verdict.error is not None:
        ET.SubElement(case, "error", message=verdict.error)
    elif not verdict.passed:
        ET.SubElement(case, "failure", message=verdict.describe())
    ET.SubElement(case, "system-out").text = verdict.describe()


def board_suite(parent, report, hostname):
    verdicts = report.verdicts
    errors = sum(verdict.error is not None for verdict in verdicts)
    failures = sum(not verdict.passed for verdict in verdicts) - errors
    suite = ET.SubElement(parent, "testsuite", name=report.target, tests=str(len(verdicts)),
                          failures=str(failures), errors=str(errors), skipped="0",
                          time=f"{report.elapsed_s:.3f}", timestamp=_timestamp(report.started),
                          hostname=hostname)
    properties = ET.SubElement(suite, "properties")
    for name, value in {"target": report.target, **report.properties}.items():
        ET.SubElement(properties, "property", name=name, value=value)
    for verdict in verdicts:
        _case(suite, verdict)
    return suite


def junit_tree(reports):
    """``<testsuites>`` with one ``<testsuite>`` per board's ``BoardReport``."""
    root = ET.Element("testsuites", name="rtvirt qualify")
    hostname = socket.gethostname()
    for report in reports:
        board_suite(root, report, hostname)
    suites = list(root)
    for total in ("tests", "failures", "errors"):
        root.set(total, str(sum(int(suite.get(total)) for suite in suites)))
    root.set("time", f"{max((r.elapsed_s for r in reports), default=0):.3f}")
    return ET.ElementTree(root)


def write_junit(reports, path):
    """Write the report atomically (tmp, fsync, rename): a reader never sees half a file."""
    tmp = f"{path}.tmp"
    tree = junit_tree(reports)
    ET.indent(tree)
    with open(tmp, "wb") as out:
        tree.write(out, encoding="utf-8", xml_declaration=True)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
