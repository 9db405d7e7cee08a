# blocksys: the kernel module built against Debian's PREEMPT_RT headers for Linux 6.1 and 6.12,
# amd64 natively and arm64 cross (mk/arch.mk), one output directory per kernel, plus the static
# in-guest checker blocksys-check for each architecture. Each target is also what the lab
# builds, with O= pointing into its cache.
#
#   make blocksys-6.12-arm64 [O=DIR] [KDIR=...]  $(OUT)/blocksys/6.12-arm64/blocksys.ko and kdir
#                                                (the headers it was built against; default:
#                                                tools/kernel-headers, Debian's)
#   make blocksys-check-arm64 [O=DIR]            $(OUT)/blocksys/blocksys-check-arm64
#
# Nothing is rebuilt unless a source or the headers changed (agent/blocksys/Makefile MO=).
BLOCKSYS_SRC := agent/blocksys
BLOCKSYS_KERNELS := 6.1-amd64 6.12-amd64 6.1-arm64 6.12-arm64

# gcc-12 builds Debian's bookworm kernels; dwarves (pahole) adds BTF where the headers ship a
# vmlinux (6.12); kmod gives modinfo to the tests.
APT_PACKAGES += gcc-12 make kmod dwarves libc6-dev
TEST_DEPS += blocksys

.PHONY: blocksys $(BLOCKSYS_KERNELS:%=blocksys-%) $(DEB_ARCHES:%=blocksys-check-%)
blocksys: apt $(BLOCKSYS_KERNELS:%=blocksys-%) $(DEB_ARCHES:%=blocksys-check-%)

# blocksys-<series>-<arch>
$(BLOCKSYS_KERNELS:%=blocksys-%): blocksys-%:
	kdir=$(or $(KDIR),$$(tools/kernel-headers $(lastword $(subst -, ,$*)) $(firstword $(subst -, ,$*)))) \
	&& $(MAKE) -s -C $(BLOCKSYS_SRC) MO=$(OUT)/blocksys/$* KDIR="$$kdir" \
		$(call kbuild_vars,$(lastword $(subst -, ,$*))) modules

$(DEB_ARCHES:%=blocksys-check-%): blocksys-check-%: $(OUT)/blocksys/blocksys-check-%

$(OUT)/blocksys/blocksys-check-%: $(BLOCKSYS_SRC)/tools/blocksys-check.c
	mkdir -p $(@D)
	$(CROSS_COMPILE_$*)gcc -static -O2 -Wall -Wextra -Werror -o $@ $<
