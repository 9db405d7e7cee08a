"""Did a block reach a CPU? A blocksys block of length B that reaches a measuring thread gives
it one latency of about B at least; counting the latencies of 90 % of B and more tells blocked
CPUs from spared ones far more robustly than comparing maxima under emulation's noise."""

REACHED_SHARE = 0.9


def count_at_least(cpu, threshold_ns):
    """How many latencies of ``cpu`` (a rtvirt.report.run.CpuRun) are >= ``threshold_ns``;
    None when the core did not keep every sample above its histogram (not known exactly)."""
    top_ns = cpu.buckets * cpu.bucket_ns
    if threshold_ns < top_ns:
        return cpu.overflow_total + sum(count for index, count in cpu.histogram
                                        if index * cpu.bucket_ns >= threshold_ns)
    if cpu.overflow_not_kept:
        return None
    return sum(value_ns >= threshold_ns for value_ns in cpu.overflow_ns)


def reached(run, block_us):
    """``{cpu: latencies at block length}`` of every CPU of ``run`` (None: not known)."""
    threshold_ns = int(block_us * 1000 * REACHED_SHARE)
    return {cpu.cpu: count_at_least(cpu, threshold_ns) for cpu in run.cpus}


def reached_note(run, block_us):
    """One line for the user: on which CPUs latencies reached the block's length."""
    counts = ", ".join(f"CPU {cpu}: {'?' if count is None else count}"
                       for cpu, count in reached(run, block_us).items())
    return (f"{run.scenario}: latencies >= {REACHED_SHARE:.0%} of a {block_us / 1000:g} ms "
            f"block: {counts}")
