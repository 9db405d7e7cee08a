# ivshmem: the transport's benchmark measures the end-to-end rate in the emulated x86 target
# too (bench/ivshmem.py), so `make bench` builds the lab's x86 boot files first.
BENCH_DEPS += lab-x86
