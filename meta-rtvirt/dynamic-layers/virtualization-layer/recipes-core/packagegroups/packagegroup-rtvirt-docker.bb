SUMMARY = "rtvirt container experiment: docker to run rtvirt-measure in a container"
DESCRIPTION = "docker-moby, to run the same measurement in a privileged container on isolated CPUs."
SECTION = "packagegroups"
LICENSE = "MIT"

inherit packagegroup features_check

REQUIRED_DISTRO_FEATURES = "virtualization"

RDEPENDS:${PN} = "\
    docker-moby \
    rtvirt-measure \
"
