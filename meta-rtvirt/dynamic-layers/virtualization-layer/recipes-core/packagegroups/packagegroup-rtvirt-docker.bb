SUMMARY = "rtvirt container experiment: docker to run rtvirt-measure in a container"
DESCRIPTION = "docker-moby and its OCI runtime. The agent runs rtvirt-measure in a container through the runtime (runc or crun) with Docker's default capabilities and devices plus SYS_NICE and IPC_LOCK, as docker run --cap-add SYS_NICE --cap-add IPC_LOCK does: not a privileged container, and without /dev/cpu_dma_latency."
SECTION = "packagegroups"
LICENSE = "MIT"

inherit packagegroup features_check

REQUIRED_DISTRO_FEATURES = "virtualization"

RDEPENDS:${PN} = "\
    docker-moby \
    rtvirt-measure \
"
