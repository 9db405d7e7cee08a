"""JUnit XML for CI systems and factory test stations: one test case per CPU and limit."""

import os
import xml.etree.ElementTree as ET


def junit_tree(checks, suite_name="rtvirt qualify"):
    failures = [check for check in checks if not check.passed]
    suite = ET.Element("testsuite", name=suite_name, tests=str(len(checks)),
                       failures=str(len(failures)), errors="0")
    for check in checks:
        case = ET.SubElement(suite, "testcase", classname=f"result.{check.result_id[:12]}",
                             name=f"cpu{check.cpu}.{check.limit}")
        if not check.passed:
            ET.SubElement(case, "failure", message=check.describe())
        ET.SubElement(case, "system-out").text = check.describe()
    return ET.ElementTree(suite)


def write_junit(checks, path):
    """Write the report atomically (tmp, fsync, rename): a reader never sees half a file."""
    tmp = f"{path}.tmp"
    tree = junit_tree(checks)
    ET.indent(tree)
    with open(tmp, "wb") as out:
        tree.write(out, encoding="utf-8", xml_declaration=True)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
