"""What target and host share, defined once: the one package both sides import.

``cobs`` and ``frame`` (the serial/stdio framing), ``values`` and ``message`` (the message
layer), ``result`` (the result record and its JSON mirror), ``ivshmem`` (the shared-memory
region's layout), ``cell_command`` (what the root cell sends a bare-metal inmate) and
``errors`` (the typed errors and their exit codes). docs/protocol.md, docs/result-format.md,
docs/ivshmem.md and docs/inmate.md are their specifications. Nothing here imports the ops or
the protocol engine (``rtvirt_agent.protocol``) that moves these bytes.
"""
