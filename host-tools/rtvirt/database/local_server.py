"""A throwaway PostgreSQL server from Debian's packages in a temporary directory: for the
tests, the benchmarks and for trying the central store without a database administrator.

The server listens on a unix socket only and trusts local connections. PostgreSQL refuses to
run as root, so under root (CI) its files belong to ``nobody`` and it runs through ``runuser``.
"""

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid

SUPERUSER = "rtvirt"


def server_binaries():
    """The directory of initdb and pg_ctl (Debian keeps them out of PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: make test installs the postgresql "
                           "package (mk/store.mk)")
    return os.path.dirname(found[-1])


def _as_owner(argv):
    if os.geteuid() == 0:
        return ["runuser", "-u", "nobody", "--", *argv]
    return argv


@contextlib.contextmanager
def postgres_server():
    """Yields the libpq URL of a running server's ``postgres`` database."""
    binaries = server_binaries()
    top = tempfile.mkdtemp(prefix="rtvirt-pg-")
    os.chmod(top, 0o755)
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(top, nobody.pw_uid, nobody.pw_gid)
    data = os.path.join(top, "data")
    run = {"check": True, "capture_output": True, "timeout": 120}
    try:
        subprocess.run(_as_owner([f"{binaries}/initdb", "-D", data, "-U", SUPERUSER,
                                  "--auth=trust", "-E", "UTF8", "--no-sync"]), **run)
        subprocess.run(_as_owner([f"{binaries}/pg_ctl", "-D", data, "-w", "-t", "60",
                                  "-l", os.path.join(top, "log"), "-o",
                                  f"-k {top} -c listen_addresses='' -F", "start"]), **run)
        try:
            yield f"postgresql://{SUPERUSER}@/postgres?host={top}"
        finally:
            subprocess.run(_as_owner([f"{binaries}/pg_ctl", "-D", data, "-m", "fast", "-w",
                                      "stop"]), capture_output=True, timeout=120)
    finally:
        shutil.rmtree(top, ignore_errors=True)


def fresh_database(server_url):
    """The URL of a new, empty database on the server at ``server_url``."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return server_url.replace("/postgres?", f"/{name}?")
