"""Emulated targets (``rtvirt lab``): Debian PREEMPT_RT kernels booted by QEMU with an initramfs
holding this repository's agent, measurement core and blocksys module.

One concept per module: ``boards`` (what each machine is), ``debian`` (kernel packages and
headers), ``rootfs`` (mmdebstrap), ``components`` (core and blocksys built for the target),
``initramfs`` (packing), ``cache`` (input hashing), ``qemu`` (the process and its ports),
``state`` (running targets), ``target`` (the life cycle tying them together), ``line_shaper``
(an emulated UART line with a USB adapter's latency and seeded faults, for protocol tests and
bench/serial.py).
"""
