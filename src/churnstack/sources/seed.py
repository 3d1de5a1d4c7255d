"""``churnstack seed-sources``: load the demo data into the configured source systems.

The demo normally reads generated files. To run it against live systems,
``seed_sources`` generates the same data (without planted defects: a database
column cannot hold half a CSV line) into ``paths.data`` and then, for every
enabled source of the project file:

* ``kind: sql`` (PostgreSQL, MySQL/MariaDB): creates the source's schema (a
  PostgreSQL schema, a MySQL database) and (re)creates its table from the
  generated file, with the file's own column names and types from the table's
  contract, keyed on the contract's natural key. A daily source whose table
  name holds ``{date}`` gets one table per day of the window (the CRM's
  ``web_form_request_YYYY_MM_DD``); one without gets every day in one table;
* ``kind: mongo``: replaces the collection with the generated documents
  (``_id`` as ObjectId, ``created_at`` as a date);
* a file kind whose path is an ``s3://`` URL: uploads the generated file(s).

Everything else (local files) is already in place after the generation.
Seeding replaces what it loads, so running it twice gives the same systems.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from churnstack.errors import ConfigError, SourceError
from churnstack.settings import DEFAULTS, Settings, SourceSettings, _format_date
from churnstack.sources.connection import Connection, connection_for
from churnstack.sources.contracts import Contract, get_contract
from churnstack.sources.retry import RetryPolicy, call_with_retries
from churnstack.sources.sanitize import map_header
from churnstack.sources.sql import Dialect, NativeSession, classifier

Notify = Callable[[str], None]
SQL_TYPES = {
    "postgresql": {"int": "bigint", "float": "double precision", "timestamp": "timestamp"},
    "mysql": {"int": "bigint", "float": "double", "timestamp": "datetime(6)"},
}


@dataclass
class SeedResult:
    loaded: list[tuple[str, str, int]] = field(default_factory=list)  # (source, where, rows)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, why)


def generated_file(data: Path, table: str, day: dt.date) -> Path | None:
    """Where ``churnstack generate`` writes ``table`` (for ``day`` if daily), or None."""
    spec = DEFAULTS["sources"].get(table)
    if spec is None:
        return None
    return Path(_format_date(str(spec["path"]).replace("{data}", str(data)), day))


def read_generated(path: Path) -> pl.DataFrame:
    """A generated CSV as text columns with the source's own header spellings."""
    frame = pl.read_csv(path, infer_schema=False)
    return frame.with_columns(pl.all().str.strip_chars()).with_columns(
        [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in frame.columns]
    )


def _column_types(
    header: list[str], contract: Contract, scheme: str, source: str
) -> tuple[list[str], list[str]]:
    """(SQL type of each column, the columns of the natural key) for a generated header."""
    names = map_header(header, contract, source)
    types = SQL_TYPES[scheme]
    key_columns = [header[names.index(k)] for k in contract.key if k in names]
    sql_types = []
    for raw, name in zip(header, names, strict=True):
        kind = contract.column(name).type if name in contract.names else "string"
        if raw in key_columns and kind == "string":
            sql_types.append("varchar(255)")
        else:
            sql_types.append(types.get(kind, "text"))
    return sql_types, key_columns


class SqlTarget:
    """DDL and bulk loading for one database (PostgreSQL COPY, MySQL LOAD DATA)."""

    def __init__(self, conn: Connection, source: SourceSettings) -> None:
        self.conn = conn
        self.dialect = Dialect(conn.scheme)
        self.source = source
        self.policy = RetryPolicy.from_options(source.options, source.table)

    def _session(self) -> NativeSession:
        timeout = float(self.source.options.get("connect_timeout", 10))
        return call_with_retries(
            lambda: NativeSession(self.conn, timeout),
            source=f"{self.source.table} ({self.conn.scheme}://{self.conn.where})",
            policy=self.policy,
            classify=classifier(self.conn),
        )

    def schema_name(self, session: NativeSession) -> str:
        from churnstack.sources.sql import default_schema

        return str(self.source.options.get("schema") or default_schema(session))

    def replace_table(self, table: str, frame: pl.DataFrame, contract: Contract, label: str) -> int:
        q = self.dialect.quote
        session = self._session()
        try:
            schema = self.schema_name(session)
            kind = "schema" if self.conn.scheme == "postgresql" else "database"
            db = session._db
            with db.cursor() as cur:
                cur.execute(f"create {kind} if not exists {q(schema)}")
                qualified = f"{q(schema)}.{q(table)}"
                cur.execute(f"drop table if exists {qualified}")
                types, key = _column_types(frame.columns, contract, self.conn.scheme, label)
                columns = [f"{q(c)} {t}" for c, t in zip(frame.columns, types, strict=True)]
                if key:
                    columns.append(f"primary key ({', '.join(q(k) for k in key)})")
                cur.execute(f"create table {qualified} ({', '.join(columns)})")
                self._bulk_load(cur, qualified, frame)
            db.commit()
        finally:
            session.close()
        return frame.height

    def _bulk_load(self, cur: Any, qualified: str, frame: pl.DataFrame) -> None:
        q = self.dialect.quote
        cols = ", ".join(q(c) for c in frame.columns)
        if frame.height == 0:
            return
        if self.conn.scheme == "postgresql":
            payload = frame.write_csv(include_header=False, null_value="").encode("utf-8")
            with cur.copy(f"copy {qualified} ({cols}) from stdin with (format csv)") as copy:
                for start in range(0, len(payload), 1 << 20):
                    copy.write(payload[start : start + (1 << 20)])
            return
        placeholders = ", ".join(["%s"] * frame.width)
        sql = f"insert into {qualified} ({cols}) values ({placeholders})"
        for chunk in frame.iter_slices(20_000):
            cur.executemany(sql, chunk.rows())


def seed_sql(
    source: SourceSettings, data: Path, window: list[dt.date], notify: Notify
) -> list[tuple[str, int]]:
    conn = connection_for(source, allowed=("postgresql", "mysql"))
    contract = get_contract(source.table)
    template = source.options.get("table")
    if not template:
        raise ConfigError(
            f"source {source.table}: seed-sources needs a table (not a query) to load into"
        )
    target = SqlTarget(conn, source)
    per_day = "{date" in str(template)
    days = window if (source.daily or per_day) else [window[-1]]
    frames: dict[str, list[pl.DataFrame]] = {}
    for day in days:
        path = generated_file(data, source.table, day)
        if path is None or not path.exists():
            raise SourceError(source.table, f"no generated file to seed from ({path})")
        if path.suffix != ".csv":
            raise SourceError(
                source.table, f"seed-sources loads SQL tables from CSV files, not {path.name}"
            )
        table = _format_date(str(template), day)
        frames.setdefault(table, []).append(read_generated(path))
    loaded = []
    for table, parts in frames.items():
        frame = pl.concat(parts) if len(parts) > 1 else parts[0]
        rows = target.replace_table(table, frame, contract, f"{source.table} -> {table}")
        where = f"{conn.scheme}://{conn.where}/{source.options.get('schema') or ''}.{table}"
        notify(f"{source.table}: {rows:,} rows -> {where}")
        loaded.append((where, rows))
    return loaded


def _mongo_document(line: str) -> dict[str, Any]:
    from bson import ObjectId

    doc = json.loads(line)
    if isinstance(doc.get("_id"), str) and ObjectId.is_valid(doc["_id"]):
        doc["_id"] = ObjectId(doc["_id"])
    created = doc.get("created_at")
    if isinstance(created, str):
        stamp = dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
        doc["created_at"] = stamp
    return doc


def seed_mongo(
    source: SourceSettings, data: Path, window: list[dt.date], notify: Notify
) -> list[tuple[str, int]]:
    from churnstack.sources import mongo

    conn = connection_for(source, allowed=("mongodb",))
    database = source.options.get("database") or conn.database
    collection = source.options.get("collection") or source.table
    path = generated_file(data, source.table, window[-1])
    if path is None or not path.exists() or path.suffix != ".jsonl":
        raise SourceError(source.table, f"no generated JSON Lines file to seed from ({path})")
    documents = [
        _mongo_document(line) for line in path.read_text("utf-8").splitlines() if line.strip()
    ]
    policy = RetryPolicy.from_options(source.options, source.table)

    def load() -> None:
        client = mongo.client_factory(conn.url, 10_000)
        try:
            target = client[database][collection]
            target.drop()
            if documents:
                target.insert_many(documents, ordered=True)
        finally:
            client.close()

    call_with_retries(load, source=source.table, policy=policy, classify=mongo.classifier(conn))
    where = f"mongodb://{conn.where.split('/')[0]}/{database}.{collection}"
    notify(f"{source.table}: {len(documents):,} documents -> {where}")
    return [(where, len(documents))]


def seed_object_storage(
    source: SourceSettings, data: Path, window: list[dt.date], notify: Notify
) -> list[tuple[str, int]]:
    from churnstack.sources.objectstore import Store

    store = Store(source.options, source.table)
    days = window if source.daily else [window[-1]]
    loaded = []
    for day in days:
        local = generated_file(data, source.table, day)
        url = source.url_for(day)
        if local is None or not local.exists() or url is None:
            raise SourceError(source.table, f"no generated file to upload ({local})")
        store.upload(local, url)
        notify(f"{source.table}: uploaded {local.name} -> {url}")
        loaded.append((url, 1))
    return loaded


def seed_sources(
    settings: Settings,
    *,
    customers: int,
    seed: int,
    as_of: dt.date,
    days: int,
    notify: Notify | None = None,
) -> SeedResult:
    """Generate the demo (defects off) and load it into every configured source system."""
    from churnstack.generate import generate_demo
    from churnstack.generate.cx import demo_customer_ids, generate_cx

    notify = notify or (lambda _m: None)
    data = settings.data_path
    generate_demo(data, customers=customers, seed=seed, as_of=as_of, defects=False)
    cx = generate_cx(data, customer_ids=demo_customer_ids(data), seed=seed, as_of=as_of, days=days)
    notify(f"generated the demo sources (no defects) in {data}")
    result = SeedResult()
    for name, source in sorted(settings.sources.items()):
        if not source.enabled:
            result.skipped.append((name, "disabled"))
            continue
        if source.kind == "sql":
            loaded = seed_sql(source, data, cx.days, notify)
        elif source.kind == "mongo":
            loaded = seed_mongo(source, data, cx.days, notify)
        elif source.url_for(as_of) is not None:
            loaded = seed_object_storage(source, data, cx.days, notify)
        else:
            result.skipped.append((name, "local file: written by the generator"))
            continue
        result.loaded += [(name, where, rows) for where, rows in loaded]
    return result
