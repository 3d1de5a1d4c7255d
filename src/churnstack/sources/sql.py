"""SQL sources: a PostgreSQL or MySQL/MariaDB table (or query), streamed into the lake.

Project file (``kind: sql``)::

    web_forms:
      kind: sql
      url: postgresql://postgres@127.0.0.1:5432/test   # or url_env / driver+host+...
      password_env: CHURNSTACK_CRM_PASSWORD            # or password_file (optional)
      schema: crm                                      # PostgreSQL schema / MySQL database
      table: "web_form_request_{date:%Y_%m_%d}"        # or query: "select ..."
      daily: true
      load: merge
      cursor: updated_at    # optional: incremental extraction on this column
      lookback: 2d          # re-read this window before the last high-water mark

How a read goes:

1. *Connect* with the native driver (psycopg / PyMySQL) under the retry policy:
   a refused connection or a timeout is retried with bounded backoff; bad
   credentials or an unknown database fail at once.
2. *Look up the table's columns* in ``information_schema`` (a query's through
   ``limit 0``): a missing table (e.g. a day the CRM never created) is a
   :class:`SourceError` naming the table; the header is matched to the
   contract, so a missing required column fails before a row is read.
3. *Stream* the rows with connectorx (``arrow_stream``: Arrow record batches of
   ``batch_size`` rows, never the whole table in memory), ordered by the
   contract's key so reruns give the same lake file. Each batch is turned into
   the contract step's text frame (see :mod:`churnstack.sources.chunked`).

Incremental extraction: with ``cursor``, only rows whose cursor is greater
than the previous high-water mark minus ``lookback`` are read. The high-water
mark of each run date is saved in ``<state>/sources/<table>/cursor.json`` once
the run's lake manifest is written, and a run date only ever starts from the
marks of *earlier* dates, so re-running a date reads the same window again.
Late rows (inserted after a run with a cursor value inside the look-back
window) are picked up by the next run; rows read twice are merged on the
contract key by the loader (``load: merge``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import polars as pl

from churnstack.errors import ConfigError, SourceError
from churnstack.sources.base import register
from churnstack.sources.chunked import ChunkedRead
from churnstack.sources.connection import Connection, connection_for
from churnstack.sources.contracts import normalise_name
from churnstack.sources.files import ROW_NUMBER, TextBatch
from churnstack.sources.retry import TERMINAL, TRANSIENT, Problem, RetryPolicy, call_with_retries
from churnstack.sources.sanitize import map_header

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

    from churnstack.settings import SourceSettings
    from churnstack.sources.contracts import Contract

DEFAULT_BATCH_ROWS = 25_000
STATE_FILE = "cursor.json"

# Driver messages that mean "try again later" vs "fix the configuration".
_TRANSIENT = re.compile(
    r"connection refused|timed out|timeout|could not connect|can't connect|"
    r"connection reset|broken pipe|server closed the connection|lost connection|"
    r"gone away|network is unreachable|no route to host|terminating connection|"
    r"connection to server .* failed|too many connections|the database system is starting up",
    re.IGNORECASE,
)
_CREDENTIALS = re.compile(
    r"password authentication failed|access denied|authentication failed|"
    r"role \".*\" does not exist|no password supplied|pg_hba\.conf",
    re.IGNORECASE,
)
_UNKNOWN_DATABASE = re.compile(r"unknown database|database \".*\" does not exist", re.IGNORECASE)
_MISSING_TABLE = re.compile(r"does not exist|doesn't exist|unknown table", re.IGNORECASE)


def classifier(conn: Connection) -> Callable[[BaseException], Problem | None]:
    """Sort driver errors into transient and terminal problems, passwords masked."""

    def classify(exc: BaseException) -> Problem | None:
        text = conn.mask(" ".join(str(exc).split()))
        if _CREDENTIALS.search(text):
            return Problem(
                TERMINAL,
                f"the server at {conn.where} refused the credentials of user "
                f"{conn.user or '(none)'} (check the user and the password in password_env/"
                "password_file or url_env)",
            )
        if _UNKNOWN_DATABASE.search(text):
            return Problem(
                TERMINAL,
                f"database {conn.database!r} does not exist on {conn.where.split('/')[0]} "
                "(check the url)",
            )
        if _TRANSIENT.search(text):
            return Problem(TRANSIENT, f"cannot reach {conn.where}: {_short(text)}")
        if _MISSING_TABLE.search(text):
            return Problem(TERMINAL, f"{_short(text)} (check table/query in the project file)")
        if type(exc).__module__.split(".")[0] in ("psycopg", "pymysql") or isinstance(
            exc, RuntimeError
        ):
            return Problem(TERMINAL, f"the database said: {_short(text)}")
        return None

    return classify


def _short(text: str) -> str:
    text = re.sub(r"^timed out waiting for connection: ", "", text)
    return text if len(text) <= 300 else text[:297] + "..."


# --- dialects ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dialect:
    name: str  # postgresql | mysql

    def quote(self, identifier: str) -> str:
        if self.name == "mysql":
            return "`" + identifier.replace("`", "``") + "`"
        return '"' + identifier.replace('"', '""') + '"'

    def literal(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float | Decimal):
            return str(value)
        if isinstance(value, datetime):
            return "'" + value.isoformat(sep=" ") + "'"
        if isinstance(value, date):
            return "'" + value.isoformat() + "'"
        text = str(value).replace("'", "''")
        if self.name == "mysql":
            text = text.replace("\\", "\\\\")
        return "'" + text + "'"


class NativeSession:
    """A short DB-API session (psycopg or PyMySQL) for metadata queries."""

    def __init__(self, conn: Connection, timeout: float) -> None:
        self.conn = conn
        if conn.scheme == "postgresql":
            import psycopg

            self._db = psycopg.connect(conn.url, connect_timeout=max(1, int(timeout)))
        else:
            import pymysql

            self._db = pymysql.connect(
                host=conn.host,
                port=conn.port or 3306,
                user=conn.user or "root",
                password=conn.password or "",
                database=conn.database,
                connect_timeout=timeout,
                read_timeout=max(timeout, 60),
                charset="utf8mb4",
            )

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._db.cursor() as cur:
            cur.execute(sql, params)
            return list(cur.fetchall())

    def columns_of(self, sql: str) -> list[str]:
        with self._db.cursor() as cur:
            cur.execute(sql)
            names = [d[0] for d in cur.description or []]
            cur.fetchall()
            return names

    def close(self) -> None:
        self._db.close()


def default_schema(session: NativeSession) -> str:
    sql = "select current_schema()" if session.conn.scheme == "postgresql" else "select database()"
    value = session.rows(sql)[0][0]
    if not value:
        raise SourceError(session.conn.where, "no default schema: set schema on the source")
    return str(value)


def table_columns(session: NativeSession, schema: str, table: str) -> list[str]:
    return [
        str(r[0])
        for r in session.rows(
            "select column_name from information_schema.columns "
            "where table_schema = %s and table_name = %s order by ordinal_position",
            (schema, table),
        )
    ]


# --- incremental state ----------------------------------------------------------------------


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hours?|d|days?)?\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "hours": 3600}
_UNIT_SECONDS |= {"d": 86400, "day": 86400, "days": 86400}


def parse_lookback(value: Any, source: str) -> float:
    """``2d``, ``36h``, ``15m``, ``30s`` or a bare number (seconds, or cursor units)."""
    if value in (None, "", 0):
        return 0.0
    match = _DURATION.match(str(value))
    if not match:
        raise ConfigError(f"source {source}: lookback {value!r} is not a duration like 2d or 36h")
    unit = (match.group(2) or "s").lower()
    return float(match.group(1)) * _UNIT_SECONDS[unit]


@dataclass
class CursorState:
    """High-water marks of an incremental source, one per run date."""

    path: Any  # Path | None
    cursor: str

    def load(self) -> dict[str, dict[str, Any]]:
        if self.path is None or not self.path.exists():
            return {}
        data = json.loads(self.path.read_text("utf-8"))
        if data.get("cursor") != self.cursor:
            return {}  # another cursor column: start again
        return dict(data.get("runs", {}))

    def previous_high(self, run_date: date) -> Any:
        """The highest mark saved by a run date *before* ``run_date`` (None: full read)."""
        marks = [
            _decode(entry["high"])
            for day, entry in self.load().items()
            if day < run_date.isoformat() and entry.get("high") is not None
        ]
        return max(marks) if marks else None

    def save(self, run_date: date, low: Any, high: Any, rows: int) -> None:
        if self.path is None:
            return
        from churnstack.lake.partitions import _atomic_write_bytes

        runs = self.load()
        previous = self.previous_high(run_date)
        runs[run_date.isoformat()] = {
            "low": _encode(low),
            "high": _encode(high if high is not None else previous),
            "rows": rows,
        }
        text = json.dumps({"cursor": self.cursor, "runs": runs}, indent=2, sort_keys=True)
        _atomic_write_bytes(self.path, lambda tmp: tmp.write_text(text + "\n", "utf-8"))


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"timestamp": value.isoformat()}
    if isinstance(value, date):
        return {"timestamp": datetime.combine(value, datetime.min.time()).isoformat()}
    if isinstance(value, Decimal):
        return float(value)
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "timestamp" in value:
        return datetime.fromisoformat(value["timestamp"])
    return value


def lower_bound(previous: Any, lookback: float) -> Any:
    if previous is None:
        return None
    if isinstance(previous, datetime):
        return previous - timedelta(seconds=lookback)
    return previous - lookback


# --- Arrow -> contract text -----------------------------------------------------------------


def to_text_frame(batch: pa.RecordBatch, names: list[str], first_row: int) -> pl.DataFrame:
    """A record batch as trimmed text columns named by the contract, plus ``_row_number``.

    Time-zone-aware timestamps become naive UTC first; empty text becomes null,
    as in the file readers.
    """
    frame = pl.from_arrow(batch)
    assert isinstance(frame, pl.DataFrame)
    exprs = []
    for (column, dtype), name in zip(frame.schema.items(), names, strict=True):
        expr = pl.col(column)
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
            expr = expr.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        expr = expr.cast(pl.String)
        if dtype == pl.String:
            expr = expr.str.strip_chars()
            expr = pl.when(expr == "").then(None).otherwise(expr)
        exprs.append(expr.alias(name))
    rows = pl.int_range(first_row, first_row + frame.height, dtype=pl.Int64, eager=True)
    return frame.select(exprs).with_columns(rows.alias(ROW_NUMBER))


def batch_high(batch: pa.RecordBatch, column: int) -> Any:
    import pyarrow.compute as pc

    value = pc.max(batch.column(column)).as_py()
    if isinstance(value, datetime) and value.tzinfo is not None:
        from datetime import UTC

        value = value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, Decimal):
        value = float(value)
    return value


# --- the reader -----------------------------------------------------------------------------


def _option_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


@dataclass
class SqlPlan:
    sql: str
    label: str
    columns: list[str]  # source spellings, in select order
    names: list[str]  # contract names, same order
    cursor_index: int | None
    low: Any


def plan_read(
    source: SourceSettings, run_date: date, contract: Contract, conn: Connection
) -> tuple[SqlPlan, CursorState | None]:
    """Connect, check the table and its header, and build the query (all under retries)."""
    options = source.options
    dialect = Dialect(conn.scheme)
    table = source.format_option("table", run_date)
    query = source.format_option("query", run_date)
    if bool(table) == bool(query):
        raise ConfigError(f"source {source.table}: set exactly one of table or query")
    timeout = float(options.get("connect_timeout", 10))
    session = NativeSession(conn, timeout)
    try:
        schema = str(options.get("schema") or default_schema(session))
        if table:
            qualified = f"{dialect.quote(schema)}.{dialect.quote(table)}"
            label = f"{conn.scheme}://{conn.where}/{schema}.{table}"
            columns = table_columns(session, schema, table)
            if not columns:
                hint = (
                    f"the source system has not created the table for {run_date.isoformat()}"
                    if "{date" in str(options.get("table"))
                    else "check schema and table in the project file"
                )
                raise SourceError(
                    label,
                    f"table {schema}.{table} does not exist in database {conn.database} "
                    f"({hint}; `churnstack seed-sources` loads the demo tables)",
                )
            origin = qualified
        else:
            label = f"{conn.scheme}://{conn.where} (query)"
            origin = f"({query}) as q"
            columns = session.columns_of(f"select * from {origin} where 1 = 0")
    finally:
        session.close()
    names = map_header(columns, contract, label)
    by_name = dict(zip(names, columns, strict=True))
    order = _option_list(options.get("order_by")) or [
        by_name[k] for k in contract.key if k in by_name
    ]
    cursor = options.get("cursor")
    state: CursorState | None = None
    where = ""
    low = None
    cursor_index = None
    if cursor:
        matches = [c for c in columns if normalise_name(c) == normalise_name(str(cursor))]
        if not matches:
            raise SourceError(label, f"cursor column {cursor!r} is not among {', '.join(columns)}")
        cursor_column = matches[0]
        cursor_index = columns.index(cursor_column)
        state_path = source.state_dir / STATE_FILE if source.state_dir else None
        state = CursorState(state_path, cursor_column)
        low = lower_bound(
            state.previous_high(run_date), parse_lookback(options.get("lookback"), source.table)
        )
        if low is not None:
            where = f" where {dialect.quote(cursor_column)} > {dialect.literal(low)}"
    select = ", ".join(dialect.quote(c) for c in columns)
    order_sql = f" order by {', '.join(dialect.quote(c) for c in order)}" if order else ""
    sql = f"select {select} from {origin}{where}{order_sql}"
    return SqlPlan(sql, label, columns, names, cursor_index, low), state


def stream_batches(conn: Connection, sql: str, batch_rows: int) -> Iterator[pa.RecordBatch]:
    """Arrow record batches straight from the server (connectorx, streamed)."""
    import connectorx

    reader = connectorx.read_sql(conn.url, sql, return_type="arrow_stream", batch_size=batch_rows)
    yield from reader


@register("sql")
def read_sql_source(source: SourceSettings, run_date: date, contract: Contract) -> ChunkedRead:
    conn = connection_for(source, allowed=("postgresql", "mysql"))
    policy = RetryPolicy.from_options(source.options, source.table)
    classify = classifier(conn)
    where = f"{source.table} ({conn.scheme}://{conn.where})"

    def retried(fn: Callable[[], Any]) -> Any:
        return call_with_retries(fn, source=where, policy=policy, classify=classify)

    plan, state = retried(lambda: plan_read(source, run_date, contract, conn))
    try:
        batch_rows = int(source.options.get("batch_size", DEFAULT_BATCH_ROWS))
    except (TypeError, ValueError):
        raise ConfigError(f"source {source.table}: batch_size must be a whole number") from None
    high: dict[str, Any] = {"value": None, "rows": 0}

    def open_chunks() -> Iterator[pl.DataFrame]:
        high.update(value=None, rows=0)
        first = 1
        for batch in stream_batches(conn, plan.sql, batch_rows):
            if batch.num_rows == 0:
                continue
            if plan.cursor_index is not None:
                value = batch_high(batch, plan.cursor_index)
                if value is not None and (high["value"] is None or value > high["value"]):
                    high["value"] = value
            high["rows"] += batch.num_rows
            yield to_text_frame(batch, plan.names, first)
            first += batch.num_rows

    def commit() -> None:
        if state is not None:
            state.save(run_date, plan.low, high["value"], high["rows"])

    def run(fn: Callable[[], object]) -> object:
        return call_with_retries(fn, source=plan.label, policy=policy, classify=classify)

    return ChunkedRead(
        batch=TextBatch(columns=plan.names),
        fingerprint="",
        label=plan.label,
        open_chunks=open_chunks,
        run=run,
        on_commit=commit,
    )
