"""The root cell's side of a Jailhouse cell (docs/inmate.md): ``link`` maps a bare-metal
inmate's ivshmem region and speaks its command/record/sample layout, ``relay`` is the host of
a Linux inmate's own rtvirt-agent. The "cell.*" ops (rtvirt_agent.ops.cell) use both.
"""
