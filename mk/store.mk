# The central result store's tests start a real PostgreSQL server (tests/host/postgres.py).
APT_PACKAGES += postgresql
