"""Run every benchmark module (or those named on the command line) and write JSON results.

Each module in this package defines ``run() -> dict``; its result lands in
``bench/results/<module>.json`` with the host facts needed to compare runs.
"""

import importlib
import json
import pkgutil
import platform
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def bench_modules(names):
    found = [m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])
             if not m.name.startswith("_")]
    unknown = set(names) - set(found)
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; have: {', '.join(found)}")
    return names or found


def main(argv):
    RESULTS.mkdir(exist_ok=True)
    for name in bench_modules(argv):
        module = importlib.import_module(f"bench.{name}")
        started = time.time()
        figures = module.run()
        record = {"benchmark": name, "host": platform.node(), "machine": platform.machine(),
                  "started": started, "wall_s": round(time.time() - started, 3), **figures}
        out = RESULTS / f"{name}.json"
        out.write_text(json.dumps(record, indent=2) + "\n")
        print(f"{name}: {json.dumps(figures)}")
        print(f"  -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
