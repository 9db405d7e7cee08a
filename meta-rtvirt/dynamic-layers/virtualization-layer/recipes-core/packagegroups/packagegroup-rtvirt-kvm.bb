SUMMARY = "rtvirt KVM experiment: QEMU, libvirt and a real-time guest domain"
DESCRIPTION = "QEMU, libvirt and the rtvirt guest domain (vCPUs on isolated CPUs, SCHED_FIFO 1)."
SECTION = "packagegroups"
LICENSE = "MIT"

inherit packagegroup features_check

REQUIRED_DISTRO_FEATURES = "virtualization"

RDEPENDS:${PN} = "\
    libvirt \
    libvirt-libvirtd \
    libvirt-virsh \
    qemu \
    rtvirt-kvm-domain \
"
