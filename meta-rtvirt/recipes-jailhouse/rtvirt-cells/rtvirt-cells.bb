SUMMARY = "rtvirt Jailhouse cells started at boot, and the root cell agent's cells.toml"
DESCRIPTION = "rtvirt-jailhouse.service enables Jailhouse with the machine's rtvirt root cell and starts the bare-metal measurement inmate and the Linux inmate (rtvirt-image-inmate); /etc/rtvirt/cells.toml tells the root cell's agent which ivshmem link belongs to which cell."
SECTION = "kernel"
LICENSE = "MIT"
LIC_FILES_CHKSUM = "file://${COMMON_LICENSE_DIR}/MIT;md5=0835ade698e0bcf8506ecda2f7b4f302"

SRC_URI = "\
    file://cells.toml.in \
    file://rtvirt-jailhouse \
    file://rtvirt-jailhouse.service.in \
"
S = "${UNPACKDIR}"

inherit rtvirt_config systemd features_check
REQUIRED_DISTRO_FEATURES = "jailhouse systemd"
# The Linux inmate's device trees and the bare-metal inmate exist for arm64 only.
COMPATIBLE_HOST = "aarch64.*-linux"

# Cell files of the root cell (<root>.cell, <root>-baremetal.cell, <root>-linux.cell/.dtb in
# /usr/share/jailhouse/cells), the virtual PCI domain of its links, the inmates to start, the
# tty the Linux inmate's kernel gives its UART, and the name the root cell's kernel gives that
# same UART (the root cell's agent must not sit on it).
RTVIRT_JAILHOUSE_ROOT_CELL_DEFAULT = ""
RTVIRT_JAILHOUSE_ROOT_CELL_DEFAULT:imx8mp-lpddr4-evk = "rtvirt-imx8mp"
RTVIRT_JAILHOUSE_ROOT_CELL_DEFAULT:qemuarm64 = "rtvirt-qemu-arm64"
RTVIRT_JAILHOUSE_ROOT_CELL ??= "${RTVIRT_JAILHOUSE_ROOT_CELL_DEFAULT}"
RTVIRT_JAILHOUSE_PCI_DOMAIN_DEFAULT = "0001"
RTVIRT_JAILHOUSE_PCI_DOMAIN_DEFAULT:imx8mp-lpddr4-evk = "0002"
RTVIRT_JAILHOUSE_PCI_DOMAIN ??= "${RTVIRT_JAILHOUSE_PCI_DOMAIN_DEFAULT}"
RTVIRT_JAILHOUSE_INMATES ??= "baremetal linux"
RTVIRT_INMATE_TTY_DEFAULT = "ttyAMA0"
RTVIRT_INMATE_TTY_DEFAULT:imx8mp-lpddr4-evk = "ttymxc3"
RTVIRT_INMATE_TTY ??= "${RTVIRT_INMATE_TTY_DEFAULT}"
RTVIRT_INMATE_ROOT_TTY_DEFAULT = "ttyAMA1"
RTVIRT_INMATE_ROOT_TTY_DEFAULT:imx8mp-lpddr4-evk = "ttymxc3"
RTVIRT_INMATE_ROOT_TTY ??= "${RTVIRT_INMATE_ROOT_TTY_DEFAULT}"
RTVIRT_INMATE_BOOTARGS ??= "console=${RTVIRT_INMATE_TTY} rtvirt.agent=${RTVIRT_INMATE_TTY} loglevel=4"
RTVIRT_INMATE_IMAGE = "rtvirt-image-inmate"
RTVIRT_INMATE_KERNEL = "/boot/${KERNEL_IMAGETYPE}"

def rtvirt_cells_check(d):
    """Reason to skip the recipe for these settings, or None."""
    import re
    inmates = d.getVar('RTVIRT_JAILHOUSE_INMATES').split()
    if not d.getVar('RTVIRT_JAILHOUSE_ROOT_CELL'):
        return ('no rtvirt root cell for MACHINE %s: set RTVIRT_JAILHOUSE_ROOT_CELL'
                % d.getVar('MACHINE'))
    unknown = sorted(set(inmates) - {'baremetal', 'linux'})
    if unknown:
        return ('RTVIRT_JAILHOUSE_INMATES = "%s": unknown inmate %s (baremetal, linux)'
                % (' '.join(inmates), ', '.join(unknown)))
    if not re.fullmatch('[0-9a-f]{4}', d.getVar('RTVIRT_JAILHOUSE_PCI_DOMAIN')):
        return ('RTVIRT_JAILHOUSE_PCI_DOMAIN = "%s": four hex digits, e.g. 0002'
                % d.getVar('RTVIRT_JAILHOUSE_PCI_DOMAIN'))
    if 'linux' in inmates and d.getVar('RTVIRT_AGENT_TTY') == d.getVar('RTVIRT_INMATE_ROOT_TTY'):
        return ('RTVIRT_AGENT_TTY = "%s" is the UART the Linux inmate takes from the root '
                'cell: move the agent (e.g. to the console tty) or drop "linux" from '
                'RTVIRT_JAILHOUSE_INMATES' % d.getVar('RTVIRT_AGENT_TTY'))
    return None

python () {
    reason = rtvirt_cells_check(d)
    if reason:
        raise bb.parse.SkipRecipe(reason)
    if 'linux' in d.getVar('RTVIRT_JAILHOUSE_INMATES').split():
        d.appendVarFlag('do_install', 'depends', ' ${RTVIRT_INMATE_IMAGE}:do_image_complete')
        d.appendVar('RDEPENDS:' + d.getVar('PN'),
                    ' kernel-image-' + d.getVar('KERNEL_IMAGETYPE').lower())
}

# The files depend on the machine's cells and the inmate image built for it.
PACKAGE_ARCH = "${MACHINE_ARCH}"
do_configure[noexec] = "1"
do_compile[noexec] = "1"

RTVIRT_CELLS_SUBSTITUTIONS = "\
    -e 's|@MACHINE@|${MACHINE}|g' \
    -e 's|@PCI_DOMAIN@|${RTVIRT_JAILHOUSE_PCI_DOMAIN}|g' \
    -e 's|@ROOT_CELL@|${RTVIRT_JAILHOUSE_ROOT_CELL}|g' \
    -e 's|@INMATES@|${RTVIRT_JAILHOUSE_INMATES}|g' \
    -e 's|@KERNEL@|${RTVIRT_INMATE_KERNEL}|g' \
    -e 's|@BOOTARGS@|${RTVIRT_INMATE_BOOTARGS}|g' \
    -e 's|@DATADIR@|${datadir}|g' \
    -e 's|@LIBEXECDIR@|${libexecdir}|g' \
"

do_install() {
    install -d ${D}${sysconfdir}/rtvirt ${D}${systemd_system_unitdir}
    sed ${RTVIRT_CELLS_SUBSTITUTIONS} ${S}/cells.toml.in > ${D}${sysconfdir}/rtvirt/cells.toml
    sed ${RTVIRT_CELLS_SUBSTITUTIONS} ${S}/rtvirt-jailhouse.service.in \
        > ${D}${systemd_system_unitdir}/rtvirt-jailhouse.service
    install -D -m 0755 ${S}/rtvirt-jailhouse ${D}${libexecdir}/rtvirt-jailhouse
    if ${@bb.utils.contains('RTVIRT_JAILHOUSE_INMATES', 'linux', 'true', 'false', d)}; then
        install -D -m 0644 ${DEPLOY_DIR_IMAGE}/${RTVIRT_INMATE_IMAGE}-${MACHINE}.cpio.gz \
            ${D}${datadir}/jailhouse/inmates/${RTVIRT_INMATE_IMAGE}.cpio.gz
    fi
}

SYSTEMD_SERVICE:${PN} = "rtvirt-jailhouse.service"
CONFFILES:${PN} = "${sysconfdir}/rtvirt/cells.toml"
FILES:${PN} += "${datadir}/jailhouse/inmates"
RDEPENDS:${PN} = "\
    jailhouse \
    ${@bb.utils.contains('RTVIRT_JAILHOUSE_INMATES', 'baremetal', 'rtvirt-inmate', '', d)} \
"
