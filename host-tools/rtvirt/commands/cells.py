"""``rtvirt cells``: Jailhouse cells, on paper and on a target.

``rtvirt cells check FILE.cell...`` parses Jailhouse configurations and checks them as a set.
Exit status: 0 when no check fails (warnings allowed), 1 when one does, 4 when a file is not
a well-formed Jailhouse configuration (revision 13 or 14).

``rtvirt --target URI cells list`` asks the root cell's agent which cells run, on which CPUs,
and which of them ``measure --cell`` can reach (docs/inmate.md).
"""

import json

from rtvirt import session
from rtvirt.cells import check_configs, read_config
from rtvirt.cells.model import cpu_list
from rtvirt.terminal import printable

NAME = "cells"
HELP = "Jailhouse cell configurations: check a root cell and its cells before they reach a board"


def setup_parser(parser):
    sub = parser.add_subparsers(dest="cells_command", metavar="ACTION", required=True)
    check = sub.add_parser(
        "check", help="parse .cell binaries (system and cell configs) and check them as a set",
        description="Check a system configuration and the cells meant to run on it: CPUs in "
                    "two cells, overlapping memory, inmate memory not carved out of the root "
                    "cell, ivshmem endpoints that disagree. Exit 1 when a check fails.")
    check.add_argument("files", metavar="FILE.cell", nargs="+",
                       help="Jailhouse configuration binaries (at most one system config)")
    check.add_argument("--json", action="store_true", help="print a JSON report instead")
    listing = sub.add_parser("list", help="the cells running on --target's Jailhouse",
                             description="The cells Jailhouse runs on the target, as its root "
                                         "cell's agent sees them: id, name, state, CPUs.")
    listing.add_argument("--json", action="store_true", help="print the cells as JSON")


def run(args):
    return list_cells(args) if args.cells_command == "list" else check_cells(args)


def list_cells(args):
    with session.target(args) as (client, _hello):
        cells = client.call("cells")["cells"]
    if args.json:
        print(json.dumps(cells, indent=2))
        return 0
    print(f"{'id':>3}  {'name':<24} {'state':<12} cpus")
    for cell in cells:
        print(printable(f"{cell['id']:>3}  {cell['name']:<24} {cell['state']:<12} "
                        f"{cell['cpus']}"))
    return 0


def check_cells(args):
    configs = [read_config(path) for path in args.files]
    findings = check_configs(configs)
    failed = any(finding.is_error for finding in findings)
    if args.json:
        print(json.dumps({
            "format": "rtvirt-cells-check", "version": 1, "ok": not failed,
            "files": [config.summary() for config in configs],
            "findings": [finding.as_dict() for finding in findings],
        }, indent=2))
    else:
        print_report(configs, findings)
    return 1 if failed else 0


def print_report(configs, findings):
    for config in configs:
        role = "system config, root cell" if config.is_root else "cell"
        arch = config.architecture or "architecture not recorded"
        print(f"{config.path}: {role} \"{config.name}\", revision {config.revision}, {arch}, "
              f"CPUs {cpu_list(config.cpus)}, {len(config.memory_regions)} memory regions, "
              f"{len(config.ivshmem_devices())} ivshmem devices")
    for finding in findings:
        mark = "FAIL" if finding.is_error else "warn"
        print(f"{mark} [{finding.check}] {finding.message}")
    errors = sum(1 for finding in findings if finding.is_error)
    warnings = len(findings) - errors
    verdict = "FAILED" if errors else "OK"
    print(f"{verdict}: {errors} errors, {warnings} warnings in {len(configs)} files")
