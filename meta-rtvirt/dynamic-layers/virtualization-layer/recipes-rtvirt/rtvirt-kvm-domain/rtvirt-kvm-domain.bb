SUMMARY = "libvirt domain of the rtvirt KVM guest, pinned to the isolated CPUs"
DESCRIPTION = "vCPUs on RTVIRT_ISOLATED_CPUS at SCHED_FIFO 1, emulator threads on the other CPUs; \
               /etc/rtvirt/vms.toml tells the rtvirt agent where the guest's agent listens."
SECTION = "admin"
LICENSE = "MIT"
LIC_FILES_CHKSUM = "file://${COMMON_LICENSE_DIR}/MIT;md5=0835ade698e0bcf8506ecda2f7b4f302"

SRC_URI = "file://rtvirt-guest.xml.in"
S = "${UNPACKDIR}"

inherit rtvirt_config

# The domain depends on the machine's CPUs and architecture; nothing is compiled.
PACKAGE_ARCH = "${MACHINE_ARCH}"
INHIBIT_DEFAULT_DEPS = "1"
do_configure[noexec] = "1"
do_compile[noexec] = "1"

python () {
    if not d.getVar('RTVIRT_ISOLATED_CPUS').strip():
        raise bb.parse.SkipRecipe('the KVM guest domain needs RTVIRT_ISOLATED_CPUS for its vCPUs')
}

python do_install() {
    import os
    from rtvirt_layer.cpulist import CpuListError, parse_cpu_count
    from rtvirt_layer.kvmdomain import AGENT_SOCKET, domain_xml, vms_toml
    with open(d.expand('${S}/rtvirt-guest.xml.in')) as template:
        text = template.read()
    try:
        xml = domain_xml(text, d.getVar('RTVIRT_ISOLATED_CPUS'),
                         parse_cpu_count(d.getVar('RTVIRT_MACHINE_CPUS')),
                         d.getVar('TARGET_ARCH'))
    except CpuListError as error:
        bb.fatal('RTVIRT_ISOLATED_CPUS = "%s": %s' % (d.getVar('RTVIRT_ISOLATED_CPUS'), error))
    destdir = d.expand('${D}${datadir}/rtvirt/kvm')
    os.makedirs(destdir, exist_ok=True)
    with open(os.path.join(destdir, 'rtvirt-guest.xml'), 'w') as domain:
        domain.write(xml)
    confdir = d.expand('${D}${sysconfdir}/rtvirt')
    os.makedirs(confdir, exist_ok=True)
    with open(os.path.join(confdir, 'vms.toml'), 'w') as vms:
        vms.write(vms_toml())
    tmpfiles = d.expand('${D}${nonarch_libdir}/tmpfiles.d')
    os.makedirs(tmpfiles, exist_ok=True)
    with open(os.path.join(tmpfiles, 'rtvirt-vms.conf'), 'w') as conf:
        conf.write('d %s 0755 root root -\n' % os.path.dirname(AGENT_SOCKET))
}

FILES:${PN} += "${datadir}/rtvirt/kvm ${sysconfdir}/rtvirt/vms.toml ${nonarch_libdir}/tmpfiles.d"
CONFFILES:${PN} = "${sysconfdir}/rtvirt/vms.toml"
