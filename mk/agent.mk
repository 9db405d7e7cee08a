# agent: what the on-target agent's tests use on this machine: stress-ng for LOAD, runc as the
# OCI runtime of MEASURE "container": true (crun 1.8 refuses hybrid cgroup v1/v2 hosts), and
# systemd-analyze to verify the agent's unit file.
APT_PACKAGES += stress-ng runc systemd
