"""``rtvirt measure``: run the measurement core on the target with cyclictest's flags.

The flags mean what they mean for cyclictest 2.x (``-h`` is the histogram, as there; use
``--help`` for help). While it runs, a live per-CPU Min/Act/Avg/Max table; at the end the
cyclictest-style ``T:`` lines, a summary (PM QoS, missed periods, percentiles per thread),
and the result is fetched into the store (stored once, by
content hash). Ctrl-C cancels the run on the target, which still writes its result.
"""

import argparse
import contextlib
import json
import math
import re
import threading

from rich.console import Console
from rtvirt_agent.wire.errors import PeerFault, RemoteError
from rtvirt_agent.wire.result import parse_result, result_to_json

from rtvirt import session
from rtvirt.cyclictest_json import cyclictest_json
from rtvirt.flags import LabelsAction, op_value, usage_error
from rtvirt.live import MeasureView, showing
from rtvirt.output import write_output
from rtvirt.result_view import THREAD_COLUMNS, end_of_run
from rtvirt.stream_file import Recorder
from rtvirt.tables import add_format_option, emit
from rtvirt.terminal import printable

NAME = "measure"
HELP = "measure latency on the target (cyclictest flags; -h is the histogram)"
ADD_HELP = False

DURATION_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
# Seconds a run may stay silent beyond its own length before the target counts as lost.
SILENCE_MARGIN_S = 30.0


def duration(text):
    """cyclictest's -D: a number with an optional s/m/h/d suffix, in seconds."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smhd]?)", text.strip().lower())
    if not match or float(match.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"bad duration {text!r}: use e.g. 30, 30s, 10m, 2h, 1d")
    return float(match.group(1)) * DURATION_UNITS[match.group(2)]


# the flag of each "measure" argument, for the agent's refusals of a target-specific limit
FLAGS = {"affinity": "-a/--affinity", "threads": "-t/--threads", "priority": "-p/--priority",
         "break_us": "-b/--breaktrace", "interval_us": "-i/--interval",
         "distance_us": "-d/--distance", "loops": "-l/--loops", "duration_s": "-D/--duration",
         "histogram_us": "-h/--histogram", "labels": "--label"}


def arg(name, parse=None):
    """The flag's type: the "measure" argument ``name``'s description (wire.opspec)."""
    return op_value("measure", name, parse)


def setup_parser(parser):
    add = parser.add_argument
    add("--help", action="help", help="show this help message and exit")
    add("-a", "--affinity", nargs="?", const="all", type=arg("affinity"), metavar="CPUSET",
        help="run threads on these CPUs (all when given without a list)")
    add("-t", "--threads", nargs="?", const=0, type=arg("threads"), metavar="N",
        help="number of threads (one per CPU when given without a number)")
    add("-S", "--smp", action="store_true", help="one thread per CPU, same priority (-a -t)")
    add("-p", "--priority", type=arg("priority"),
        help="SCHED_FIFO priority of the threads (default 0: SCHED_OTHER, as cyclictest)")
    add("--priospread", action="store_true",
        help="thread N runs at priority PRIO-N (PRIO defaults to threads+1, as cyclictest)")
    add("-b", "--breaktrace", type=arg("break_us"), metavar="US",
        help="stop at the first latency above US; the result says which thread, cycle, value")
    add("-n", "--nanosleep", action="store_true",
        help="accepted for old cyclictest command lines: clock_nanosleep is the only mode")
    add("-i", "--interval", type=arg("interval_us"), default=1000, metavar="US",
        help="base interval (µs)")
    add("-d", "--distance", type=arg("distance_us"), metavar="US",
        help="distance between thread intervals (µs)")
    add("-l", "--loops", type=arg("loops"), help="number of loops (default: until -D or Ctrl-C)")
    add("-D", "--duration", type=arg("duration_s", duration), metavar="TIME",
        help="run time, e.g. 30s, 10m")
    add("-h", "--histogram", type=arg("histogram_us"), metavar="US", help="histogram range (µs)")
    add("-m", "--mlockall", action="store_true", help="lock current and future memory")
    add("-q", "--quiet", action="store_true", help="no live table, only the final lines")
    add("--label", action=LabelsAction, default={}, metavar="KEY=VALUE",
        help="label stored with the result (repeatable), e.g. scenario=baseline")
    add("--container", action="store_true",
        help="run the core inside an OCI container without /dev/cpu_dma_latency")
    add("--no-pm-qos", action="store_true", help="do not hold /dev/cpu_dma_latency at 0")
    add("-o", "--output", help="write the result as JSON to this file")
    add("--json", metavar="FILE", dest="cyclictest_json",
        help="write cyclictest's JSON summary (its own layout) to this file")
    add_format_option(parser)
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--cell", metavar="NAME",
        help="measure inside this Jailhouse cell, relayed by the root cell's agent: a Linux "
             "inmate takes every flag, the bare-metal inmate -i, -l, -D, -h and --label "
             "(docs/inmate.md)")
    where.add_argument(
        "--vm", metavar="NAME",
        help="measure inside this KVM guest, relayed by the host's agent to the guest's "
             "(rtvirt vms list names them; docs/kvm.md)")
    add("--stream", metavar="FILE",
        help="ivshmem: targets: write every sample to FILE (docs/ivshmem.md)")


def measure_args(args):
    """The "measure" op's arguments from the command line; with --cell, "cell.measure"'s: the
    same plus the cell's name (the root cell's agent says which ones its inmate cannot take);
    with --vm, "vm.measure"'s: the same plus the VM's name."""
    where = {"cell": args.cell} if args.cell else {"vm": args.vm} if args.vm else {}
    return {**where, "affinity": args.affinity, "threads": args.threads, "smp": args.smp,
            "priority": args.priority, "priospread": args.priospread,
            "break_us": args.breaktrace, "interval_us": args.interval,
            "distance_us": args.distance, "loops": args.loops, "duration_s": args.duration,
            "histogram_us": args.histogram, "mlock": args.mlockall,
            "pm_qos": not args.no_pm_qos, "labels": args.label,
            "container": args.container,
            # cyclictest prints the histogram rows with -h; so does rtvirt, on request only
            # because they cost a line per µs class on a slow link
            "text": "full" if args.histogram else "summary"}


def expected_length_s(args):
    """How long the run should take, when it is bounded (for the progress bar)."""
    if args.duration:
        return args.duration
    if args.loops:
        return args.loops * args.interval / 1e6
    return None


def measure_deadline(args, length):
    """The run's length plus ``--deadline``; none for a run that lasts until Ctrl-C."""
    return length + args.deadline if length else math.inf


def op_name(op_args):
    """The op that runs ``op_args``: in a cell, in a VM, or on the target itself."""
    return "cell.measure" if "cell" in op_args else "vm.measure" if "vm" in op_args \
        else "measure"


def run_measure(client, op_args, view, console, deadline):
    """Run "measure" in a worker thread so that Ctrl-C here can cancel it on the target."""
    outcome, started, done = {}, {}, threading.Event()

    def work():
        try:
            outcome["reply"] = client.call(
                op_name(op_args), op_args,
                on_event=view.update if view else None,
                on_start=lambda req_id: started.setdefault("req_id", req_id),
                timeout=SILENCE_MARGIN_S, deadline=deadline)
        except BaseException as err:  # handed to the main thread below
            outcome["error"] = err
        finally:
            done.set()

    # an Event, not Thread.join: a join interrupted by Ctrl-C may later return at once
    threading.Thread(target=work, daemon=True).start()
    try:
        with showing(view, console) if view else contextlib.nullcontext():
            while not done.wait(0.2):
                pass
    except KeyboardInterrupt:
        console.print("cancelling the run on the target (it keeps its result)…")
        if "req_id" in started:
            client.call("cancel", {"req_id": started["req_id"]})
        done.wait()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["reply"]


def report_stream(counters, data, path):
    """Per thread: samples received and lost; their sum must be the cycles of the result."""
    threads = parse_result(data)["threads"]
    for thread, ring in zip(threads, counters, strict=False):
        session.note(f"stream T:{thread['index']} cpu {ring['cpu']}: {ring['received']} "
                     f"samples, {ring['lost']} lost, of {thread['cycles']} cycles")
    received = sum(ring["received"] for ring in counters)
    lost = sum(ring["lost"] for ring in counters)
    cycles = sum(thread["cycles"] for thread in threads)
    if received + lost != cycles:
        raise PeerFault(f"peer fault: the stream holds {received} samples and {lost} losses, "
                        f"the result {cycles} cycles")
    session.note(f"{received} samples written to {path}, {lost} lost")


def run(args):
    console = Console(stderr=True)
    op_args = measure_args(args)
    recorder = Recorder(args.target, args.stream) if args.stream else None
    with session.target(args) as (client, hello), session.store(args) as store:
        length = expected_length_s(args)
        view = None if args.quiet else MeasureView(
            printable(f"measuring on {hello.get('hostname')}"), length or 0.0)
        try:
            reply = run_measure(client, {**op_args, **({"stream": True} if recorder else {})},
                                view, console, deadline=measure_deadline(args, length))
        except RemoteError as error:
            raise usage_error(error, FLAGS) or error from None
        finally:
            counters = recorder.finish() if recorder else None
        data, added = session.fetch_result(client, store, reply["result_id"], args.target)
    if recorder:
        report_stream(counters, data, args.stream)
    print(printable(reply.get("text", "").rstrip("\n")))
    record = parse_result(data)
    print(end_of_run(record))
    emit(THREAD_COLUMNS, record["threads"], args.format)
    console.print(f"result {reply['result_id'][:12]} "
                  f"{'stored' if added else 'already stored'} in {store.path}")
    if args.output:
        write_output(args.output, json.dumps(result_to_json(record), indent=2) + "\n")
    if args.cyclictest_json:
        write_output(args.cyclictest_json, json.dumps(
            cyclictest_json(record, reply.get("exit_status", 0)), indent=2) + "\n")
    return 0 if reply.get("exit_status", 0) == 0 else 4
