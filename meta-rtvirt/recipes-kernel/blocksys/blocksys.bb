SUMMARY = "blocksys: block CPUs with preemption and interrupts off, on request"
DESCRIPTION = "/dev/blocksys: a write blocks CPUs with preemption and interrupts off, like a bad driver."
SECTION = "kernel/modules"
LICENSE = "GPL-2.0-only"
LIC_FILES_CHKSUM = "file://${RTVIRT_SRC_TOP}/LICENSES/GPL-2.0-only.txt;md5=b234ee4d69f5fce4486a80fdaf4a4263"

RTVIRT_SUBDIR = "agent/blocksys"
RTVIRT_SRC_PATHS = "LICENSES/GPL-2.0-only.txt ${RTVIRT_SUBDIR}"

inherit module rtvirt_src

SRC_URI = "${RTVIRT_SRC_URI}"
S = "${RTVIRT_S}"

RPROVIDES:${PN} += "kernel-module-blocksys"
KERNEL_MODULE_AUTOLOAD += "blocksys"
