# blocksys: the kernel module built against Debian's PREEMPT_RT headers for Linux 6.1 and 6.12,
# amd64 natively and arm64 cross, one output directory per kernel (out-of-tree Kbuild cannot
# put objects elsewhere on 6.1, so the sources are copied there with their timestamps), plus
# the static in-guest checker blocksys-check for each architecture.
#
#   build/blocksys/<series>-<arch>/blocksys.ko   and kdir (the headers it was built against)
#   build/blocksys/blocksys-check-<arch>
BLOCKSYS_SRC := agent/blocksys
BLOCKSYS_OUT := build/blocksys
BLOCKSYS_KERNELS := 6.1-amd64 6.12-amd64 6.1-arm64 6.12-arm64
BLOCKSYS_CC_amd64 := gcc
BLOCKSYS_CC_arm64 := aarch64-linux-gnu-gcc
BLOCKSYS_KBUILD_amd64 :=
BLOCKSYS_KBUILD_arm64 := ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-

# gcc-12 builds Debian's bookworm kernels; dwarves (pahole) adds BTF where the headers ship a
# vmlinux (6.12); kmod gives modinfo to the tests.
APT_PACKAGES += gcc-12 make kmod dwarves libc6-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross
TEST_DEPS += blocksys

.PHONY: blocksys $(BLOCKSYS_KERNELS:%=blocksys-%)
blocksys: $(BLOCKSYS_KERNELS:%=blocksys-%) $(BLOCKSYS_OUT)/blocksys-check-amd64 \
	$(BLOCKSYS_OUT)/blocksys-check-arm64

# blocksys-<series>-<arch>: always run; Kbuild itself skips what is up to date.
$(BLOCKSYS_KERNELS:%=blocksys-%): blocksys-%: apt
	mkdir -p $(BLOCKSYS_OUT)/$*
	cp -p $(BLOCKSYS_SRC)/Kbuild $(BLOCKSYS_SRC)/*.[ch] $(BLOCKSYS_OUT)/$*/
	kdir=$$(tools/kernel-headers $(lastword $(subst -, ,$*)) $(firstword $(subst -, ,$*))) \
	&& $(MAKE) -s -C $(BLOCKSYS_OUT)/$* -f $(CURDIR)/$(BLOCKSYS_SRC)/Makefile KDIR="$$kdir" \
		$(BLOCKSYS_KBUILD_$(lastword $(subst -, ,$*))) modules \
	&& echo "$$kdir" >$(BLOCKSYS_OUT)/$*/kdir

$(BLOCKSYS_OUT)/blocksys-check-%: $(BLOCKSYS_SRC)/tools/blocksys-check.c | apt
	mkdir -p $(@D)
	$(BLOCKSYS_CC_$*) -static -O2 -Wall -Wextra -Werror -o $@ $<
