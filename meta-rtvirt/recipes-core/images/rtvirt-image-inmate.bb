SUMMARY = "rtvirt Jailhouse Linux inmate initramfs: the agent on the cell's UART and link"
DESCRIPTION = "A small initramfs for the rtvirt-linux-rt cell: busybox, python3, rtvirt-agent and rtvirt-measure; /init (rtvirt-cell-init) serves the host on the cell's UART and the root cell's relay on the ivshmem link. No kernel (the cell boots the root image's /boot/Image), no systemd, no package management."
SECTION = "images"
LICENSE = "MIT"

inherit image features_check
REQUIRED_DISTRO_FEATURES = "jailhouse"
# The Linux inmate cells (and their device trees) exist for arm64 only.
COMPATIBLE_HOST = "aarch64.*-linux"

# Only these and what they depend on: the agent pulls python3-core, the modules it imports,
# construct, pyserial, rtvirt-measure and stress-ng.
PACKAGE_INSTALL = "base-files busybox rtvirt-agent rtvirt-agent-cell-init"
PACKAGE_EXCLUDE = "kernel-image-* systemd"
NO_RECOMMENDATIONS = "1"
IMAGE_FEATURES = ""
IMAGE_LINGUAS = ""

INITRAMFS_FSTYPES = "cpio.gz"
IMAGE_FSTYPES = "${INITRAMFS_FSTYPES}"
# The link rtvirt-image-inmate-${MACHINE}.cpio.gz that rtvirt-cells installs.
IMAGE_NAME_SUFFIX = ""
IMAGE_ROOTFS_SIZE = "8192"
IMAGE_ROOTFS_EXTRA_SPACE = "0"
# In KiB. The cell unpacks the archive into its RAM (224 MiB on QEMU, 768 MiB on the
# i.MX8MP EVK) next to the kernel and the packed archive: 64 MiB leaves most of it to the
# agent and the measurement.
INITRAMFS_MAXSIZE = "65536"

# The kernel opens /dev/console for /init before devtmpfs is mounted.
ROOTFS_POSTPROCESS_COMMAND += "rtvirt_inmate_console_node"
rtvirt_inmate_console_node() {
    install -d ${IMAGE_ROOTFS}/dev
    [ -e ${IMAGE_ROOTFS}/dev/console ] || mknod -m 0600 ${IMAGE_ROOTFS}/dev/console c 5 1
}
rtvirt_inmate_console_node[doc] = "Creates /dev/console in the initramfs"
