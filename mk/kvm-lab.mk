# kvm-lab: the seed's KVM experiment in emulation (issue 13, docs/kvm.md). Not part of
# `make test`: Debian's PREEMPT_RT arm64 kernel boots as a KVM host on QEMU virt at EL2 under
# TCG and starts a PREEMPT_RT guest under KVM (nested virtualization emulated: the guest takes
# minutes to boot). Nothing is compiled but the agent's core and blocksys.
#
#   make test-kvm    wall time on 2 shared cores: see docs/kvm.md

.PHONY: test-kvm
test-kvm: venv lab-qemu
	RTVIRT_TEST_KVM=1 $(VPY) -m pytest tests/kvm -m slow -q -s $(PYTEST_ARGS)
