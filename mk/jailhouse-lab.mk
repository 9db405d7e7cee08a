# jailhouse-lab: the Jailhouse proof in emulation (issue 9, docs/inmate.md). Not part of
# `make test`: the first run cross-builds a PREEMPT_RT arm64 kernel from Debian's
# linux-source-6.12 with the layer's Jailhouse series, clones upstream Jailhouse at the revision
# of the layer's recipe (RTVIRT_JAILHOUSE_GIT=DIR clones from a local mirror instead), builds
# driver, firmware, cells and the bare-metal inmate, boots QEMU arm64 virt at EL2 and runs the
# seed's experiment. Everything is cached under $(RTVIRT_CACHE)/jailhouse.
#
#   make test-jailhouse    wall time on 2 shared cores: see docs/inmate.md

# what a kernel and Jailhouse build needs; installed for this target only, not for `make test`
JAILHOUSE_LAB_PACKAGES := bc bison flex libssl-dev xz-utils git patch python3-mako

.PHONY: test-jailhouse jailhouse-lab-apt
jailhouse-lab-apt: apt
	tools/apt-install $(JAILHOUSE_LAB_PACKAGES)

test-jailhouse: venv jailhouse-lab-apt lab-qemu
	RTVIRT_TEST_JAILHOUSE=1 $(VPY) -m pytest tests/jailhouse -m slow -q -s $(PYTEST_ARGS)
