"""Scenarios: the seed's experiments (OSADL, PREEMPT_RT in virtualized environments) described
as data and run through the agent by one runner — ``rtvirt demo``, qualify profiles and the
Jailhouse/KVM proofs all use it.

``place`` (where a measurement runs and the op that measures there), ``scenario`` (the
description), ``disturbance`` (blocksys, stress-ng alongside), ``engine`` (the runner),
``seed`` and ``jailhouse`` (the scenarios), ``catalog`` (groups and the choice for a target),
``blocks`` (did a block reach a CPU), ``technologies`` (the seed's comparison), ``view`` and
``show`` (what the user sees).
"""
