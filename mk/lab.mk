# lab: emulated PREEMPT_RT targets (rtvirt lab, host-tools/rtvirt/lab). QEMU >= 10 comes from
# bookworm-backports (the imx8mp-evk machine); mmdebstrap builds the root filesystem from this
# machine's apt sources; kernels are Debian's, unpacked under $(RTVIRT_CACHE), never installed.
#
#   make lab-x86      build the x86 target's kernel, initramfs (cached: a no-op when current)

APT_PACKAGES += mmdebstrap cpio device-tree-compiler kmod gcc-aarch64-linux-gnu \
	libc6-dev-arm64-cross
TEST_DEPS += lab-x86
DEMO_DEPS += lab-x86

.PHONY: lab-qemu lab-x86
lab-qemu: apt
	tools/apt-install -t bookworm-backports qemu-system-x86 qemu-system-arm

lab-x86: venv lab-qemu
	$(VENV)/bin/rtvirt lab build x86
