SUMMARY = "rtvirt measurement core: cyclictest-compatible latency measurement"
DESCRIPTION = "cyclictest semantics; counts missed periods and keeps every sample above the histogram."
SECTION = "console/tools"
LICENSE = "MIT"
LIC_FILES_CHKSUM = "file://${RTVIRT_SRC_TOP}/LICENSE;md5=2a2178665e16555ebd132d6a1c385aec"

RTVIRT_SUBDIR = "agent/core"

inherit rtvirt_src

SRC_URI = "${RTVIRT_SRC_URI}"
S = "${RTVIRT_S}"

# Objects go to ${B}, away from any host build in the checkout. CFLAGS and LDFLAGS come from
# the environment. WERROR=0: a newer cross compiler's new warnings must not fail the image.
B = "${WORKDIR}/build"
EXTRA_OEMAKE = "'CC=${CC}' 'PREFIX=${prefix}' 'O=${B}' WERROR=0"

do_compile() {
    oe_runmake -C ${S}
}

do_install() {
    oe_runmake -C ${S} install DESTDIR=${D}
}
