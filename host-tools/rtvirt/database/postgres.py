"""A central store on a PostgreSQL server (psycopg 3), for the results of many stations.

The URL is libpq's (``postgresql://user@host/db``, ``postgresql:///db?host=/run/socket``).
A server that cannot be reached is the ``Unreachable`` error (exit 3) naming the cause; every
connection and statement has a deadline.
"""

import contextlib
import re

from rtvirt_agent.wire.errors import Unreachable, UsageError

from rtvirt.database.dialect import Database
from rtvirt.errors import StorageError

CONNECT_TIMEOUT_S = 10
STATEMENT_TIMEOUT_MS = 60_000


def without_password(url):
    """The URL for messages: ``postgresql://user:secret@host`` → ``postgresql://user:…@host``."""
    return re.sub(r"(://[^/:@]*):[^/@]*@", r"\1:…@", url)


def connect_postgres(url):
    try:
        import psycopg
    except ImportError as err:
        raise UsageError("a postgresql:// store needs psycopg 3: pip install "
                         "'rtvirt[postgres]'") from err
    name = without_password(url)
    try:
        connection = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                                     options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}")
    except psycopg.ProgrammingError as err:
        raise UsageError(f"bad database URL {name}: {err}") from err
    except psycopg.OperationalError as err:
        cause = " ".join(str(err).split())
        raise Unreachable(f"cannot connect to the result store {name}: {cause}") from err
    return Database(connection, name, errors=_errors(psycopg, name), blob="BYTEA",
                    real="DOUBLE PRECISION", paramstyle="format",
                    tables="SELECT table_name FROM information_schema.tables "
                           "WHERE table_schema = current_schema()",
                    schema_lock="SELECT pg_advisory_xact_lock(7273848)")


def _errors(psycopg, name):
    """A lost server is Unreachable (exit 3); anything else it refuses is a StorageError."""
    @contextlib.contextmanager
    def errors():
        try:
            yield
        except psycopg.OperationalError as err:
            raise Unreachable(f"result store {name}: {' '.join(str(err).split())}") from err
        except psycopg.Error as err:
            raise StorageError(f"result store {name}: {' '.join(str(err).split())}") from err
    return errors
