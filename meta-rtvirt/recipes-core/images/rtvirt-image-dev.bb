SUMMARY = "rtvirt image with debuggers and tracers"
DESCRIPTION = "rtvirt-image (which has rt-tests and stress-ng) plus debuggers, tracers and NUMA and network tools."

SECTION = "images"

require rtvirt-image.inc

IMAGE_INSTALL += "\
    ethtool \
    gdb \
    numactl \
    perf \
    strace \
"
