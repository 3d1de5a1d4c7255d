"""Content checksums of warehouse tables: the evidence that a re-run changed nothing."""

from __future__ import annotations

import duckdb


def table_checksums(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, tuple[int, str]]:
    """``{table: (row count, order-independent content hash)}`` for every table of ``schema``."""
    tables = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
            [schema],
        ).fetchall()
    ]
    result: dict[str, tuple[int, str]] = {}
    for table in tables:
        # hash(t) hashes the whole row; the sum does not depend on row order.
        count, digest = con.execute(
            f'select count(*), coalesce(sum(hash(t)), 0)::varchar from {schema}."{table}" as t'
        ).fetchall()[0]
        result[table] = (int(count), str(digest))
    return result
