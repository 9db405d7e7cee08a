SUMMARY = "rtvirt image with latency tools for comparison and debugging"
DESCRIPTION = "rtvirt-image plus rt-tests, stress-ng, debuggers and tracers to compare and debug."

SECTION = "images"

require rtvirt-image.inc

IMAGE_INSTALL += "\
    ethtool \
    gdb \
    numactl \
    perf \
    rt-tests \
    stress-ng \
    strace \
"
