"""A DB-API connection and the little that differs between SQLite and PostgreSQL."""

import contextlib
import dataclasses


@dataclasses.dataclass
class Database:
    connection: object
    name: str          # what messages call it: a file path, or a URL without its password
    blob: str          # column type of binary records
    real: str          # column type of Unix times
    paramstyle: str    # "qmark" or "format"
    tables: str        # a query of the table names
    schema_lock: str = ""  # serialises schema changes by several stations at once
    errors: object = contextlib.nullcontext  # maps the driver's errors to rtvirt's

    def sql(self, statement):
        """``statement`` written with ``?`` parameters, in this database's style."""
        if self.paramstyle == "qmark":
            return statement
        return statement.replace("%", "%%").replace("?", "%s")

    def execute(self, statement, params=()):
        cursor = self.connection.cursor()
        cursor.execute(self.sql(statement), params)
        return cursor

    def transaction(self):
        """A context manager: commit on success, roll back on an exception (psycopg's
        ``transaction()``; a sqlite3 connection is that context manager itself)."""
        begin = getattr(self.connection, "transaction", None)
        return begin() if begin else self.connection

    def close(self):
        self.connection.close()
