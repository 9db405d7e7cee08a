"""Run a command and print its exit code and its peak RSS in KiB: ``peak_rss.py TIMEOUT CMD…``.

A child forked from a large process (pytest after hundreds of tests) starts with that process's
high-water RSS in its own ``ru_maxrss`` (Linux keeps it across exec), so the test measures
through this small launcher: the command's figure is then its own. Exit 124 if the command ran
longer than TIMEOUT seconds (it is killed).
"""

import resource
import subprocess
import sys


def main():
    timeout_s, command = float(sys.argv[1]), sys.argv[2:]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        returncode = process.wait(timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        sys.exit(124)
    print(returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


if __name__ == "__main__":
    main()
