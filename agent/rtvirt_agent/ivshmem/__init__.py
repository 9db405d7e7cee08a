"""The ivshmem transport's target and shared parts: region layout, mailboxes, sample rings.

docs/ivshmem.md describes the region; ``layout`` defines it once (construct), ``region``
maps and checks it, ``mailbox`` carries the protocol's bytes, ``ring`` writes samples.
"""
