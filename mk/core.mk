# core - the measurement core rtvirt-measure (agent/core), native and arm64.
# Native: agent/core/build/<gcc triple>/rtvirt-measure; arm64: agent/core/build/aarch64-linux-gnu/.
# rt-tests brings Debian's cyclictest, the reference the core is tested and benchmarked against.

CORE_DIR := agent/core
CORE_CROSS := aarch64-linux-gnu-
APT_PACKAGES += rt-tests gcc-aarch64-linux-gnu libc6-dev-arm64-cross file
TEST_DEPS += core
BENCH_DEPS += core

.PHONY: core
core: apt
	$(MAKE) -C $(CORE_DIR)
	$(MAKE) -C $(CORE_DIR) CROSS_COMPILE=$(CORE_CROSS)
