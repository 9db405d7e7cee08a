SUMMARY = "Declarative symmetric parser and builder for binary data"
DESCRIPTION = "Defines binary formats once for parsing and building; used by rtvirt's wire protocol."
HOMEPAGE = "https://construct.readthedocs.io/"
SECTION = "devel/python"
LICENSE = "MIT"
LIC_FILES_CHKSUM = "file://LICENSE;md5=202b39559c1c79fe4715ce81e9e0ac02"

SRC_URI[sha256sum] = "4d2472f9684731e58cc9c56c463be63baa1447d674e0d66aeb5627b22f512c29"

inherit pypi setuptools3

# Modules construct imports at load time (construct/core.py, debug.py).
RDEPENDS:${PN} = "\
    python3-core \
    python3-crypt \
    python3-debugger \
    python3-pickle \
"

BBCLASSEXTEND = "native nativesdk"
