"""Lake -> DuckDB ``raw`` schema, one atomic statement per table.

Each table is replaced by a single ``CREATE OR REPLACE TABLE ... AS SELECT``,
which DuckDB runs as one transaction: a reader sees the old table or the new
one, never an empty or half-loaded one (the *swap* pattern). Daily tables that
must be merged rather than replaced get their own loader beside
:func:`swap_load`; the per-table choice lives in :data:`LOADERS`.

Every raw table gets ``_ingested_at`` (the run's logical time, so re-running a
date reproduces the same content), and tables whose contract names columns to
pseudonymise get a keyed-hash twin ``<column>_pseudonym`` computed here, in
Python, so the key never reaches SQL text, dbt's compiled files or logs.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from churnstack.errors import TerminalError
from churnstack.lake.partitions import DATA_FILE, Manifest, partition_dir, read_manifest
from churnstack.settings import Settings
from churnstack.sources.contracts import CONTRACTS, Contract
from churnstack.sources.extract import empty_lake_schema

RAW = "raw"
PSEUDONYM_FUNCTION = "churnstack_pseudonym"


@dataclass(frozen=True)
class TableLoad:
    table: str
    rows: int
    manifest: Manifest | None  # None when the source was absent or disabled for this date


@dataclass(frozen=True)
class LoadResult:
    run_id: str
    tables: list[TableLoad]
    quarantined_rows: int


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    # fetchall, not fetchone: DuckDB 2 keeps a half-read result open and blocks the connection.
    return int(con.execute(f"select count(*) from {table}").fetchall()[0][0])


def register_pseudonym(con: duckdb.DuckDBPyConnection, key: bytes) -> None:
    def pseudonym(value: str | None) -> str | None:
        if value is None:
            return None
        return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()

    con.create_function(
        PSEUDONYM_FUNCTION, pseudonym, ["VARCHAR"], "VARCHAR", null_handling="special"
    )


def _select_list(contract: Contract, ingested_at: datetime) -> str:
    extra = [f"{PSEUDONYM_FUNCTION}({col}) as {col}_pseudonym" for col in contract.pseudonymise]
    extra.append(f"timestamp {_sql_string(ingested_at.isoformat(sep=' '))} as _ingested_at")
    return ", ".join(["*", *extra])


def swap_load(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    parquet: Path | None,
    ingested_at: datetime,
) -> int:
    """Replace ``raw.<table>`` with the partition (or an empty table of the contract schema)."""
    target = f"{RAW}.{contract.table}"
    select = _select_list(contract, ingested_at)
    if parquet is not None:
        source = f"read_parquet({_sql_string(str(parquet))})"
        con.execute(
            f"create or replace table {target} as "
            f"select {select} from {source} order by _row_number"
        )
    else:
        empty = pa.Table.from_pylist([], schema=empty_lake_schema(contract))
        con.register("_churnstack_empty", empty)
        try:
            con.execute(
                f"create or replace table {target} as select {select} from _churnstack_empty"
            )
        finally:
            con.unregister("_churnstack_empty")
    return count_rows(con, target)


LOADERS: dict[str, Callable[..., int]] = {table: swap_load for table in CONTRACTS}

QUARANTINE_COLUMNS = (
    "_table varchar, _raw varchar, _error varchar, _run_id varchar, "
    "_load_time timestamp, _source_file varchar, _row_number bigint"
)


def _load_quarantine(con: duckdb.DuckDBPyConnection, parts: list[tuple[str, Path]]) -> int:
    selects = [
        f"select {_sql_string(table)} as _table, _raw, _error, _run_id, _load_time, "
        f"_source_file, _row_number from read_parquet({_sql_string(str(path))})"
        for table, path in parts
    ]
    body = " union all ".join(selects) if selects else None
    with con.cursor() as cur:
        cur.execute("begin")
        cur.execute(f"create or replace table {RAW}._quarantine ({QUARANTINE_COLUMNS})")
        if body:
            cur.execute(f"insert into {RAW}._quarantine {body} order by _table, _row_number")
        cur.execute("commit")
    return count_rows(con, f"{RAW}._quarantine")


def _load_audit(con: duckdb.DuckDBPyConnection, run_id: str, loads: list[TableLoad]) -> None:
    rows = [
        (
            t.table,
            run_id,
            t.manifest.source_file if t.manifest else None,
            t.manifest.source_rows if t.manifest else 0,
            t.manifest.lake_rows if t.manifest else 0,
            t.manifest.quarantined_rows if t.manifest else 0,
        )
        for t in loads
    ]
    with con.cursor() as cur:
        cur.execute("begin")
        cur.execute(
            f"create or replace table {RAW}._load_audit (table_name varchar, run_id varchar, "
            "source_file varchar, source_rows bigint, lake_rows bigint, quarantined_rows bigint)"
        )
        if rows:
            cur.executemany(f"insert into {RAW}._load_audit values (?, ?, ?, ?, ?, ?)", rows)
        cur.execute("commit")


def find_partitions(settings: Settings, run_date: date) -> dict[str, Manifest]:
    """Complete lake partitions (those with a manifest) for ``run_date``, by table."""
    found: dict[str, Manifest] = {}
    for table in CONTRACTS:
        source = settings.sources.get(table)
        if source is None or not source.enabled:
            continue
        directory = partition_dir(settings.lake_path, "raw", source.system, table, run_date)
        manifest = read_manifest(directory)
        if manifest is not None:
            found[table] = manifest
    return found


def load_date(settings: Settings, run_date: date, key: bytes) -> LoadResult:
    """Load every table's lake partition for ``run_date`` into the ``raw`` schema."""
    manifests = find_partitions(settings, run_date)
    if not manifests:
        raise TerminalError(
            f"lake {settings.lake_path}: no partitions for {run_date.isoformat()} "
            f"(run `churnstack ingest --date {run_date.isoformat()}` first)"
        )
    run_ids = {m.run_id for m in manifests.values()}
    if len(run_ids) > 1:
        raise TerminalError(
            f"lake {settings.lake_path}: partitions for {run_date.isoformat()} come from "
            f"different runs ({', '.join(sorted(run_ids))}); re-run `churnstack ingest`"
        )
    run_id = run_ids.pop()
    ingested_at = datetime.combine(run_date, datetime.min.time())
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    loads: list[TableLoad] = []
    quarantine_parts: list[tuple[str, Path]] = []
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute(f"create schema if not exists {RAW}")
        register_pseudonym(con, key)
        for table, contract in CONTRACTS.items():
            manifest = manifests.get(table)
            parquet = None
            if manifest is not None:
                base = (settings.lake_path, manifest.system, table, run_date)
                parquet = partition_dir(settings.lake_path, "raw", *base[1:]) / DATA_FILE
                quarantine_parts.append(
                    (table, partition_dir(settings.lake_path, "quarantine", *base[1:]) / DATA_FILE)
                )
            rows = LOADERS[table](con, contract, parquet, ingested_at)
            loads.append(TableLoad(table, rows, manifest))
        quarantined = _load_quarantine(con, quarantine_parts)
        _load_audit(con, run_id, loads)
        con.execute("checkpoint")
    return LoadResult(run_id=run_id, tables=loads, quarantined_rows=quarantined)
