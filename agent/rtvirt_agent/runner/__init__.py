"""Running the agent's helper programs: the core, natively or in an OCI container, and
stress-ng; ``child`` spawns and watches them, ``progress_relay`` turns the core's progress
lines into events. The ops (rtvirt_agent.ops) decide what runs; this package runs it.
"""
