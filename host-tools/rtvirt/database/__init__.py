"""Where results are kept: a SQLite file (the default) or a PostgreSQL server, one schema.

``connect(location)`` takes a file path or a ``postgresql://`` URL and returns a ``Database``:
a DB-API connection plus what differs between the two (parameter style, column types). SQL in
rtvirt is written once, with ``?`` parameters; ``Database.execute`` adapts it.
"""

from rtvirt.database.schema import ensure_schema

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_url(location):
    return str(location).startswith(POSTGRES_SCHEMES)


def connect(location):
    """An open ``Database`` at ``location`` with the current schema."""
    if is_url(location):
        from rtvirt.database.postgres import connect_postgres

        database = connect_postgres(str(location))
    else:
        from rtvirt.database.sqlite import connect_sqlite

        database = connect_sqlite(location)
    with database.errors():
        ensure_schema(database)
    return database
