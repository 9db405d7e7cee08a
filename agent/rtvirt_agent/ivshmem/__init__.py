"""The ivshmem transport's target and shared parts: region access, mailboxes, sample rings.

docs/ivshmem.md describes the region; ``rtvirt_agent.wire.ivshmem`` defines it once, ``region``
maps and checks it, ``mailbox`` carries the protocol's bytes, ``ring`` writes samples.
"""
