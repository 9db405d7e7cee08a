# The central result store's tests start a real PostgreSQL server (rtvirt.database.local_server);
# the labgrid tests a real exporter, which serves serial ports with ser2net.
APT_PACKAGES += postgresql ser2net
