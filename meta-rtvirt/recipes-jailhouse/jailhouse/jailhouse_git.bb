SUMMARY = "Jailhouse partitioning hypervisor with the rtvirt cells"
DESCRIPTION = "Jailhouse firmware, driver, tools and demo inmates, and the rtvirt cells: root, PREEMPT_RT Linux and bare-metal inmates for i.MX8MP EVK, QEMU arm64 virt and x86-64."
HOMEPAGE = "https://github.com/siemens/jailhouse"
SECTION = "kernel"
LICENSE = "GPL-2.0-only & MIT"
# GPL-2.0-only: Jailhouse; MIT: the rtvirt cells (agent/cells of the rtvirt repository)
LIC_FILES_CHKSUM = "\
    file://COPYING;md5=9fa7f895f96bde2d47fd5b7d95b6ba4d \
    file://${RTVIRT_SRC_TOP}/LICENSE;md5=2a2178665e16555ebd132d6a1c385aec \
"

DEPENDS += "dtc-native python3-mako-native"

PV = "0.12+git"

# The rtvirt cells, from the rtvirt repository (class rtvirt_src).
RTVIRT_SUBDIR = "agent/cells"
inherit rtvirt_src

# Upstream master, revision 14 of the configuration format, and its build fixes.
SRC_URI = "\
    ${RTVIRT_SRC_URI} \
    git://github.com/siemens/jailhouse.git;protocol=https;branch=master;name=jailhouse;destsuffix=jailhouse \
    file://0001-build-compile-hypervisor-inmates-and-configs-as-gnu1.patch \
    file://0002-include-mark-the-signature-arrays-as-nonstring.patch \
    file://0003-build-leave-intermediate-files-to-Kbuild-GNU-make-4..patch \
    file://0004-driver-map-hypervisor-and-images-with-ioremap_page_r.patch \
    file://0005-driver-pass-the-overlay-target-base-on-Linux-6.6-and.patch \
    file://0006-driver-sysfs-const-bin_attribute-in-read-callbacks-o.patch \
    file://0007-driver-x86-read-MSRs-with-rdmsrq-on-Linux-6.16-and-l.patch \
"
SRCREV_jailhouse = "e57d1eff6d55aeed5f977fe4e2acfb6ccbdd7560"
SRCREV_FORMAT = "jailhouse"

JAILHOUSE_S = "${UNPACKDIR}/jailhouse"
S = "${JAILHOUSE_S}"
B = "${S}"

# The driver needs a kernel with the rtvirt Jailhouse patches (linux-rtvirt-jailhouse.inc),
# which the layer applies only with this distro feature.
inherit module python3-dir features_check
REQUIRED_DISTRO_FEATURES = "jailhouse"
COMPATIBLE_HOST = "(aarch64|x86_64).*-linux"
COMPATIBLE_MACHINE = "(imx8mp-lpddr4-evk|qemuarm64|genericx86-64|qemux86-64)"

JH_ARCH = "unknown"
JH_ARCH:aarch64 = "arm64"
JH_ARCH:x86-64 = "x86"
# The rtvirt cells of each architecture (agent/cells): configs, their shared headers and the
# device trees of the Linux inmates (rtvirt-*-linux.dts, arm64 only).
JH_RTVIRT_CELLS = ""
JH_RTVIRT_CELLS:aarch64 = "rtvirt-arm64* rtvirt-imx8mp* rtvirt-qemu-arm64*"
JH_RTVIRT_CELLS:x86-64 = "rtvirt-x86*"
JH_DATADIR = "${datadir}/jailhouse"

EXTRA_OEMAKE += "\
    V=1 ARCH=${JH_ARCH} CROSS_COMPILE=${TARGET_PREFIX} CC='${CC}' LDFLAGS='' \
    KDIR=${STAGING_KERNEL_BUILDDIR} DEPMOD=echo PYTHON_PIP_USABLE=no \
    prefix=${prefix} sbindir=${sbindir} libexecdir=${libexecdir} datadir=${datadir} \
    firmwaredir=${nonarch_base_libdir}/firmware \
    completionsdir=${datadir}/bash-completion/completions man8dir=${mandir}/man8 \
"

# Jailhouse builds every config in configs/<arch>: add the rtvirt cells there.
do_configure:append() {
    for cell in ${JH_RTVIRT_CELLS}; do
        cp ${RTVIRT_S}/$cell ${S}/configs/${JH_ARCH}/
    done
    cp ${RTVIRT_S}/rtvirt-ivshmem.h ${S}/configs/${JH_ARCH}/
}

# Each rtvirt-*-linux.dts of the architecture, preprocessed for the addresses in the cells'
# headers, becomes <name>.dtb next to the cells (`jailhouse cell linux -d`).
do_compile() {
    oe_runmake
    for dts in ${B}/configs/${JH_ARCH}/rtvirt-*-linux.dts; do
        [ -e "$dts" ] || continue
        ${CPP} -nostdinc -undef -x assembler-with-cpp -I${B}/configs/${JH_ARCH} "$dts" |
            dtc -I dts -O dtb -o "${B}/configs/${JH_ARCH}/$(basename "$dts" .dts).dtb" -
    done
}

do_install() {
    oe_runmake DESTDIR=${D} INSTALL_MOD_PATH=${D}${root_prefix} install
    install -d ${D}${JH_DATADIR}/cells ${D}${JH_DATADIR}/inmates
    install -m 0644 ${B}/configs/${JH_ARCH}/*.cell ${D}${JH_DATADIR}/cells/
    for dtb in ${B}/configs/${JH_ARCH}/rtvirt-*-linux.dtb; do
        [ -e "$dtb" ] || continue
        install -m 0644 "$dtb" ${D}${JH_DATADIR}/cells/
    done
    install -m 0644 ${B}/inmates/demos/${JH_ARCH}/*.bin ${D}${JH_DATADIR}/inmates/
    install -d ${D}${PYTHON_SITEPACKAGES_DIR}
    cp -R --no-preserve=ownership ${S}/pyjailhouse ${D}${PYTHON_SITEPACKAGES_DIR}/
    # The Python helpers behind `jailhouse cell linux` and `jailhouse config check`: upstream
    # installs them only with pip (PYTHON_PIP_USABLE), patched as its tools/Makefile does.
    install -d ${D}${libexecdir}/jailhouse
    for helper in jailhouse-cell-linux jailhouse-config-check; do
        install -m 0755 ${S}/tools/$helper ${D}${libexecdir}/jailhouse/
        sed -i '/^sys.path\[0\] = .*/d' ${D}${libexecdir}/jailhouse/$helper
    done
    sed -i 's|^libexecdir = None|libexecdir = "${libexecdir}"|' \
        ${D}${libexecdir}/jailhouse/jailhouse-cell-linux
}

FILES:${PN} += "\
    ${nonarch_base_libdir}/firmware/jailhouse*.bin \
    ${libexecdir}/jailhouse \
    ${JH_DATADIR} \
    ${PYTHON_SITEPACKAGES_DIR}/pyjailhouse \
    ${datadir}/bash-completion \
"
# pyjailhouse and the helpers (jailhouse-cell-linux unpacks a gzip'ed kernel).
RDEPENDS:${PN} += "python3-compression python3-core python3-ctypes python3-fcntl python3-mmap"
