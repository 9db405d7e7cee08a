# The architecture table of every build in this repository (core, blocksys, blocksys-check, the
# Jailhouse inmate, and the lab's kernel and Jailhouse builds, which ask `make kbuild-vars-ARCH`):
# Debian architecture → kernel ARCH and CROSS_COMPILE prefix. The build host is amd64.
#
#   make -s kbuild-vars-arm64     prints  ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
DEB_ARCHES := amd64 arm64
KERNEL_ARCH_amd64 := x86_64
KERNEL_ARCH_arm64 := arm64
CROSS_COMPILE_amd64 :=
CROSS_COMPILE_arm64 := aarch64-linux-gnu-

# $(call kbuild_vars,DEB_ARCH): the make variables of a kernel or module build for DEB_ARCH
kbuild_vars = ARCH=$(KERNEL_ARCH_$(1)) CROSS_COMPILE=$(CROSS_COMPILE_$(1))

APT_PACKAGES += gcc-aarch64-linux-gnu libc6-dev-arm64-cross

.PHONY: $(DEB_ARCHES:%=kbuild-vars-%)
$(DEB_ARCHES:%=kbuild-vars-%): kbuild-vars-%:
	@echo $(call kbuild_vars,$*)
