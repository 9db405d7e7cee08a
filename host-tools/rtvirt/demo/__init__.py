"""``rtvirt demo``: the seed's experiments (OSADL, PREEMPT_RT in virtualized environments) run
through the agent as scenarios: a measurement on every CPU, with disturbances alongside."""
