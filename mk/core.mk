# core - the measurement core rtvirt-measure (agent/core), for each architecture of mk/arch.mk.
#
#   make core-arm64 [O=DIR]    $(OUT)/core/arm64/rtvirt-measure (the lab's builds too)
#
# rt-tests brings Debian's cyclictest, the reference the core is tested and benchmarked against.
APT_PACKAGES += rt-tests file
TEST_DEPS += core
BENCH_DEPS += core

.PHONY: core $(DEB_ARCHES:%=core-%)
core: apt $(DEB_ARCHES:%=core-%)

$(DEB_ARCHES:%=core-%): core-%:
	$(MAKE) -s -C agent/core O=$(OUT)/core/$* CROSS_COMPILE=$(CROSS_COMPILE_$*)
