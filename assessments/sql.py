"""Hand-written statements for the hottest paths, with instances built as the ORM builds them.

Every page of an assessment and every save of the workshop grid starts with one lookup: the
object, its relations and the user's role, in one query. Through the ORM that query costs more
to build (0.3-0.5 ms of Python per request) and to plan (0.3 ms in PostgreSQL for a five-table
join) than to run (under 0.1 ms). So these few statements are written out once per process
and, on PostgreSQL, prepared once per connection (`PREPARE`; the server then keeps a generic
plan and skips planning). The rows become model instances through `Model.from_db`, with the
same database converters the ORM applies (dates on SQLite, JSON on PostgreSQL), so callers
cannot tell the difference. Column lists come from the models' metadata, so a new field needs
no change here.

Prepared statements belong to a database session. Behind a pooler in transaction mode
(PgBouncer `pool_mode = transaction`) sessions are shared, so switch them off there with
`DATABASE_PREPARED_STATEMENTS=0`; the statements then run as plain queries.
"""

import functools
import re
import zlib

from django.conf import settings
from django.db import connection


class Columns:
    """The concrete columns of `model` under table alias `alias` in a SELECT list."""

    def __init__(self, model, alias: str):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.attnames = [field.attname for field in self.fields]
        quote = connection.ops.quote_name
        self.sql = ", ".join(f"{alias}.{quote(field.column)}" for field in self.fields)
        self.width = len(self.fields)
        self.converters = []
        for index, field in enumerate(self.fields):
            column = field.get_col(alias)  # as SQLCompiler.get_converters: backend, then field
            for converter in connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            ):
                self.converters.append((index, converter, column))

    def build(self, row, start: int):
        """The instance from `row[start:start + width]`, as the ORM would build it."""
        values = list(row[start : start + self.width])
        for index, converter, column in self.converters:
            values[index] = converter(values[index], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


def split(row, *parts: Columns) -> tuple:
    """The instances `parts` describe, in the order their columns open `row`, then the values
    that follow them."""
    instances, start = [], 0
    for part in parts:
        instances.append(part.build(row, start))
        start += part.width
    return (*instances, *row[start:])


@functools.cache
def columns(model, alias: str, vendor: str) -> Columns:
    """`Columns` kept per process (`vendor` in the key: tests switch databases)."""
    return Columns(model, alias)


class Statement:
    """One SQL statement with `%s` parameters, prepared on first use per PostgreSQL session."""

    def __init__(self, name: str, sql: str):
        if "%" in sql.replace("%s", ""):
            raise ValueError("a statement takes %s parameters and no other %")
        # Unique per SQL and within PostgreSQL's 63 characters for a name.
        self.name = f"dvo_{name[:40]}_{zlib.crc32(sql.encode()):08x}"
        self.sql = sql
        self.arity = sql.count("%s")
        numbered = iter(range(1, self.arity + 1))
        self.prepare = f"PREPARE {self.name} AS " + re.sub(
            "%s", lambda _match: f"${next(numbered)}", sql
        )
        arguments = f"({', '.join(['%s'] * self.arity)})" if self.arity else ""
        self.execute_prepared = f"EXECUTE {self.name}{arguments}"

    def run(self, cursor, params) -> None:
        if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
            cursor.execute(self.sql, params)
            return
        prepared = _prepared_on_this_session()
        if self.name not in prepared:
            # Once per session, on the driver's own cursor: set-up, not one of the request's
            # queries (query counts stay the same on a new session).
            with connection.wrap_database_errors, connection.connection.cursor() as setup:
                setup.execute(self.prepare)
            prepared.add(self.name)
        cursor.execute(self.execute_prepared, params)

    def fetch_one(self, params) -> tuple | None:
        with connection.cursor() as cursor:
            self.run(cursor, params)
            return cursor.fetchone()

    def fetch_all(self, params) -> list[tuple]:
        with connection.cursor() as cursor:
            self.run(cursor, params)
            return cursor.fetchall()

    def execute(self, params) -> int:
        with connection.cursor() as cursor:
            self.run(cursor, params)
            return cursor.rowcount


def _prepared_on_this_session() -> set[str]:
    """The names prepared on the database session in use (a new session starts empty)."""
    session = connection.connection
    known = getattr(connection, "dvo_prepared", None)
    if known is None or known[0] is not session:
        known = (session, set())
        connection.dvo_prepared = known
    return known[1]


@functools.cache
def update_statement(model, field_names: tuple[str, ...], vendor: str) -> Statement:
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in field_names]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    return Statement(
        f"update_{meta.db_table}",
        f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608 (names from the model)
        f"WHERE {quote(meta.pk.column)} = %s",
    )


def update_row(instance, field_names) -> None:
    """`instance.save(update_fields=field_names)` without the signals and the query building:
    one UPDATE of those columns from the instance's values, prepared as the ORM prepares them.
    For hot paths that record their own history (signals are not sent)."""
    field_names = tuple(field_names)
    statement = update_statement(type(instance), field_names, connection.vendor)
    fields = [instance._meta.get_field(name) for name in field_names]
    params = [
        field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields
    ]
    statement.execute([*params, instance.pk])


@functools.cache
def insert_statement(model, vendor: str) -> tuple[Statement, list]:
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    names = ", ".join(quote(field.column) for field in fields)
    values = ", ".join(["%s"] * len(fields))
    return (
        Statement(
            f"insert_{meta.db_table}",
            f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({values}) "  # noqa: S608
            f"RETURNING {quote(meta.pk.column)}",
        ),
        fields,
    )


def insert_row(instance) -> None:
    """`instance.save()` of a new row whose primary key the database assigns, without the
    signals and the query building: one INSERT, prepared as the ORM prepares it."""
    statement, fields = insert_statement(type(instance), connection.vendor)
    params = [
        field.get_db_prep_save(field.pre_save(instance, add=True), connection) for field in fields
    ]
    (instance.pk,) = statement.fetch_one(params)
    instance._state.adding = False
    instance._state.db = connection.alias


# The largest id a database integer column holds: a larger id in a URL matches nothing (and
# SQLite would refuse to bind it).
MAX_ID = 2**63 - 1
