SUMMARY = "rtvirt bare-metal measurement inmate for Jailhouse cells"
DESCRIPTION = "A Jailhouse bare-metal cell measuring timer latency with the core's statistics; samples and result records go to the root cell's rtvirt-agent over ivshmem."
SECTION = "kernel"
LICENSE = "MIT & GPL-2.0-only"
# MIT: this repository's sources; GPL-2.0-only: Jailhouse's inmate library linked in
LIC_FILES_CHKSUM = "\
    file://${RTVIRT_SRC_TOP}/LICENSE;md5=2a2178665e16555ebd132d6a1c385aec \
    file://${RTVIRT_SRC_TOP}/LICENSES/GPL-2.0-only.txt;md5=b234ee4d69f5fce4486a80fdaf4a4263 \
"

RTVIRT_SUBDIR = "agent/inmate"
RTVIRT_SRC_PATHS = "LICENSE LICENSES/GPL-2.0-only.txt agent/inmate agent/core"

inherit rtvirt_src features_check
REQUIRED_DISTRO_FEATURES = "jailhouse"
COMPATIBLE_HOST = "aarch64.*-linux"

SRC_URI = "${RTVIRT_SRC_URI}"
# The inmate library is compiled from the Jailhouse sources of the revision the jailhouse
# recipe pins (tests/jailhouse checks that both name the same one).
SRC_URI:append = " git://github.com/siemens/jailhouse.git;protocol=https;branch=master;name=jailhouse;destsuffix=jailhouse"
SRCREV_jailhouse = "e57d1eff6d55aeed5f977fe4e2acfb6ccbdd7560"
SRCREV_FORMAT = "jailhouse"
S = "${RTVIRT_S}"
JAILHOUSE_S = "${UNPACKDIR}/jailhouse"
B = "${WORKDIR}/build"

# A bare-metal image: no C library, no target LDFLAGS; objects go to ${B}. The .bin is raw
# code, not an ELF file, so the package QA's architecture check does not look at it.
EXTRA_OEMAKE = "JAILHOUSE=${JAILHOUSE_S} CROSS_COMPILE=${TARGET_PREFIX} O=${B}"
TARGET_CC_ARCH = ""

do_compile() {
    oe_runmake -C ${S}
}

do_install() {
    install -d ${D}${datadir}/jailhouse/inmates
    install -m 0644 ${B}/rtvirt-inmate.bin ${D}${datadir}/jailhouse/inmates/
}

FILES:${PN} += "${datadir}/jailhouse/inmates/rtvirt-inmate.bin"
RRECOMMENDS:${PN} = "jailhouse rtvirt-agent"
