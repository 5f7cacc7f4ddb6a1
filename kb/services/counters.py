"""Counters kept in tables: add to rows by key, creating missing rows, in one statement a batch.

``increment(model, keys, values, rows)`` runs ``INSERT … ON CONFLICT (keys) DO UPDATE SET
v = v + excluded.v`` (PostgreSQL and SQLite alike), so concurrent writers never lose each
other's counts. Rows are written in key order, so two transactions that touch the same rows
lock them in the same order and cannot deadlock each other.
"""

from __future__ import annotations

from django.db import connection

BATCH = 400


def increment(model, keys: tuple[str, ...], values: tuple[str, ...], rows: list[tuple]) -> None:
    """Add ``rows`` (key columns then value columns) to ``model``'s table, creating missing rows.

    Rows whose values are all zero are skipped."""
    rows = sorted((r for r in rows if any(r[len(keys) :])), key=lambda r: r[: len(keys)])
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(c) for c in (*keys, *values))
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in map(quote, values))
    conflict = ", ".join(quote(k) for k in keys)
    width = len(keys) + len(values)
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            chunk = rows[i : i + BATCH]
            placeholders = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(chunk))
            # Table and column names come from the models; every value is a parameter.
            sql = (
                f"INSERT INTO {table} ({columns}) VALUES {placeholders} "  # noqa: S608
                f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
            )
            cursor.execute(sql, [v for row in chunk for v in row])
