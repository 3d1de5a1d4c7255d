"""Apply a table contract to parsed text records: type them, or quarantine them with a reason.

Vectorised with Polars: every check is an expression that yields an error
message for the rows it fails, so a million-row file is checked in one pass.
A row with any failed check goes to quarantine with all its messages joined;
a row whose natural key repeats an earlier accepted row goes to quarantine
naming the line it repeats. Accepted rows keep their source order.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from churnstack.sources.contracts import Column, Contract
from churnstack.sources.files import ROW_NUMBER as ROW
from churnstack.sources.files import TextBatch

POLARS_TYPES: dict[str, pl.DataType] = {
    "string": pl.String(),
    "json": pl.String(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "timestamp": pl.Datetime("us"),
}

# Timestamp spellings accepted from sources; values with an offset are converted to UTC.
_NAIVE_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d")
_OFFSET_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z")


@dataclass
class Validated:
    accepted: pl.DataFrame  # typed contract columns + extra text columns + _row_number
    quarantined: pl.DataFrame  # _row_number, _raw, _error


def _parse_timestamp(raw: pl.Expr) -> pl.Expr:
    text = raw.str.replace(r"Z$", "+00:00")
    naive = [text.str.strptime(pl.Datetime("us"), f, strict=False) for f in _NAIVE_FORMATS]
    aware = [
        text.str.strptime(pl.Datetime("us", "UTC"), f, strict=False)
        .dt.convert_time_zone("UTC")
        .dt.replace_time_zone(None)
        for f in _OFFSET_FORMATS
    ]
    return pl.coalesce(*aware, *naive)


# Typed columns (from Parquet, a database cursor, ...) are checked as they are, without a
# round trip through text, when their dtype already fits the contract type.
_FITS: dict[str, tuple[type[pl.DataType], ...]] = {
    "int": (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32),
    "float": (pl.Float32, pl.Float64, pl.Decimal, pl.Int8, pl.Int16, pl.Int32, pl.Int64),
    "timestamp": (pl.Datetime, pl.Date),
    "string": (pl.String, pl.Categorical, pl.Enum),
    "json": (pl.String,),
}
_TEXT_LIKE = (pl.String, pl.Categorical, pl.Enum)


def _is_typed(col: Column, dtype: pl.DataType) -> bool:
    """Does a non-text column already hold the contract's type (so no parsing is needed)?"""
    return dtype != pl.String() and isinstance(dtype, _FITS[col.type])


def _typed(col: Column, dtype: pl.DataType | None = None) -> pl.Expr:
    """The contract-typed column: parsed from text, or (``dtype`` given) cast from a typed one."""
    raw = pl.col(col.name)
    if dtype is not None:
        if col.type == "int":
            return raw.cast(pl.Int64).alias(col.name)
        if col.type == "float":
            return raw.cast(pl.Float64).alias(col.name)
        if col.type == "timestamp":
            if isinstance(dtype, pl.Datetime) and dtype.time_zone:
                raw = raw.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
            return raw.cast(pl.Datetime("us")).alias(col.name)
        return raw.alias(col.name)
    if col.type == "int":
        # Accept "5" and "5.0"; refuse "5.5".
        as_float = raw.cast(pl.Float64, strict=False)
        return (
            pl.when(as_float == as_float.floor()).then(as_float.cast(pl.Int64, strict=False))
        ).alias(col.name)
    if col.type == "float":
        return raw.cast(pl.Float64, strict=False).alias(col.name)
    if col.type == "timestamp":
        return _parse_timestamp(raw).alias(col.name)
    return raw.alias(col.name)


def _checks(
    col: Column,
    dtype: pl.DataType | None = None,
    bad_values: dict[str, pl.Series] | None = None,
) -> list[tuple[pl.Expr, pl.Expr]]:
    """(failure condition, message) pairs for one column; messages are built for bad rows only.

    ``bad_values``: for a categorical column, the distinct values that break its
    vocabulary (``"allowed"``) or pattern (``"pattern"``), found once over the
    categories instead of per row.
    """
    raw = pl.col(col.name)
    typed_input = dtype is not None
    text = raw.cast(pl.String) if typed_input else raw
    typed = _typed(col, dtype)
    checks: list[tuple[pl.Expr, pl.Expr]] = []
    if not col.nullable:
        checks.append((raw.is_null(), pl.lit(f"{col.name}: missing value")))
    if col.type in ("int", "float", "timestamp") and not typed_input:
        expected = {"int": "an integer", "float": "a number", "timestamp": "a timestamp"}[col.type]
        checks.append(
            (
                raw.is_not_null() & typed.is_null(),
                pl.concat_str([pl.lit(f"{col.name}: '"), raw, pl.lit(f"' is not {expected}")]),
            )
        )
    if col.allowed is not None:
        allowed = ", ".join(col.allowed)
        outside = (
            _among(raw, bad_values["allowed"])
            if bad_values is not None
            else raw.is_not_null() & ~text.is_in(list(col.allowed))
        )
        checks.append(
            (
                outside,
                pl.concat_str([pl.lit(f"{col.name}: '"), text, pl.lit(f"' not in [{allowed}]")]),
            )
        )
    if col.pattern is not None:
        mismatch = (
            _among(raw, bad_values["pattern"])
            if bad_values is not None
            else raw.is_not_null() & ~text.str.contains(f"^(?:{col.pattern})$")
        )
        checks.append(
            (
                mismatch,
                pl.concat_str(
                    [pl.lit(f"{col.name}: '"), text, pl.lit(f"' does not match {col.pattern}")]
                ),
            )
        )
    if col.minimum is not None:
        checks.append(
            (
                typed < col.minimum,
                pl.concat_str(
                    [pl.lit(f"{col.name}: "), text, pl.lit(f" is below {col.minimum:g}")]
                ),
            )
        )
    if col.maximum is not None:
        checks.append(
            (
                typed > col.maximum,
                pl.concat_str(
                    [pl.lit(f"{col.name}: "), text, pl.lit(f" is above {col.maximum:g}")]
                ),
            )
        )
    return checks


def _among(raw: pl.Expr, values: pl.Series) -> pl.Expr:
    """Rows holding one of ``values`` (none when the list is empty: no per-row work)."""
    return raw.is_in(values.implode()) if len(values) else pl.lit(False)


def _categorical_bad_values(frame: pl.DataFrame, col: Column) -> dict[str, pl.Series]:
    """Distinct values of a categorical column outside its vocabulary / not matching its pattern."""
    values = frame.get_column(col.name).unique().drop_nulls()
    text = values.cast(pl.String)
    bad = {"allowed": values.clear(), "pattern": values.clear()}
    if col.allowed is not None:
        bad["allowed"] = values.filter(~text.is_in(list(col.allowed)))
    if col.pattern is not None:
        bad["pattern"] = values.filter(~text.str.contains(f"^(?:{col.pattern})$"))
    return bad


def validate(batch: TextBatch, contract: Contract) -> Validated:
    """Type ``batch`` by ``contract``; return accepted rows and quarantined rows.

    Text columns are parsed; columns that already hold the contract's type (a
    typed Parquet or database column) are checked as they are. Checks first
    yield one boolean per row; error messages are built for failing rows only,
    and a batch without problems is passed on without being copied.
    """
    frame = batch.to_frame()
    # Optional contract columns the source does not carry are added as nulls.
    for col in contract.columns:
        if col.name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String()).alias(col.name))
    # Columns already of their contract type (None: text to parse). A typed column that does
    # not fit its contract type is checked as text.
    dtypes: dict[str, pl.DataType | None] = {}
    casts = []
    for col in contract.columns:
        dtype = frame.schema[col.name]
        dtypes[col.name] = dtype if _is_typed(col, dtype) else None
        if dtypes[col.name] is None and dtype != pl.String():
            casts.append(pl.col(col.name).cast(pl.String))
    if casts:
        frame = frame.with_columns(casts)
    checks: list[tuple[pl.Expr, pl.Expr]] = []
    for col in contract.columns:
        dtype = dtypes[col.name]
        bad_values = None
        if isinstance(dtype, (pl.Categorical, pl.Enum)) and (col.allowed or col.pattern):
            bad_values = _categorical_bad_values(frame, col)
        checks += _checks(col, dtype, bad_values)
    failed = (
        pl.any_horizontal([cond.fill_null(False) for cond, _ in checks])
        if checks
        else pl.lit(False)
    )
    frame = frame.with_columns(failed.alias("_failed"))
    if contract.key:
        # Only rows that passed every other check compete for a key; the first such line wins.
        if frame.select(pl.col("_failed").any()).item():
            clean = ~pl.col("_failed")
            repeated = clean & ~pl.struct(*contract.key, clean).is_first_distinct()
        else:  # every row is clean: hash the key alone (a struct costs gigabytes at 10M+ rows)
            key = pl.col(contract.key[0]) if len(contract.key) == 1 else pl.struct(*contract.key)
            repeated = ~key.is_first_distinct()
        frame = frame.with_columns(repeated.alias("_duplicate"))
    else:
        frame = frame.with_columns(pl.lit(False).alias("_duplicate"))
    problems = pl.col("_failed") | pl.col("_duplicate")
    bad_count = int(frame.select(problems.sum()).item())
    contract_names = contract.names
    helper_columns = (ROW, "_failed", "_duplicate")
    extras = [c for c in frame.columns if c not in contract_names and c not in helper_columns]
    select = [
        *[_typed(c, dtypes[c.name]) for c in contract.columns],
        *[pl.col(c) for c in extras],
        pl.col(ROW),
    ]
    if bad_count == 0:
        accepted = frame.select(select)  # no copy of the columns
        quarantined = _empty_quarantine()
    else:
        accepted = frame.filter(~problems).select(select)
        quarantined = _quarantine(frame.filter(problems), frame, batch, contract, checks)
    rejects = pl.DataFrame(
        {
            ROW: [r.row_number for r in batch.rejects],
            "_raw": [r.raw for r in batch.rejects],
            "_error": [r.error for r in batch.rejects],
        },
        schema={ROW: pl.Int64(), "_raw": pl.String(), "_error": pl.String()},
    )
    quarantined = pl.concat([quarantined, rejects]).sort(ROW)
    return Validated(accepted=accepted, quarantined=quarantined)


def _empty_quarantine() -> pl.DataFrame:
    return pl.DataFrame(schema={ROW: pl.Int64(), "_raw": pl.String(), "_error": pl.String()})


def _quarantine(
    bad: pl.DataFrame,
    frame: pl.DataFrame,
    batch: TextBatch,
    contract: Contract,
    checks: list[tuple[pl.Expr, pl.Expr]],
) -> pl.DataFrame:
    """Quarantine rows (ROW, _raw, _error) for the failing rows ``bad`` of ``frame``."""
    messages = [pl.when(cond.fill_null(False)).then(message) for cond, message in checks]
    errors = (
        pl.concat_str(messages, separator="; ", ignore_nulls=True)
        if messages
        else pl.lit(None, dtype=pl.String())
    )
    bad = bad.with_columns(pl.when(pl.col("_failed")).then(errors).alias("_error"))
    duplicates = bad.filter(pl.col("_duplicate"))
    if duplicates.height:
        # The line each repeated key was first accepted on (clean rows only).
        key = list(contract.key)
        firsts = (
            frame.lazy()
            .filter(~pl.col("_failed"))
            .join(duplicates.lazy().select(key).unique(), on=key, how="semi", nulls_equal=True)
            .group_by(key, maintain_order=True)
            .agg(pl.col(ROW).first().alias("_first"))
            .collect()
        )
        bad = bad.join(firsts, on=key, how="left", nulls_equal=True, maintain_order="left")
        repeated = "duplicate key " + ", ".join(contract.key) + " (first seen on line "
        bad = bad.with_columns(
            pl.when(pl.col("_duplicate"))
            .then(
                pl.concat_str(
                    [
                        pl.lit(repeated),
                        pl.col("_first").cast(pl.String),
                        pl.lit(")"),
                    ]
                )
            )
            .otherwise(pl.col("_error"))
            .alias("_error")
        )
    return bad.select(
        pl.col(ROW),
        pl.struct([pl.col(c) for c in batch.columns]).struct.json_encode().alias("_raw")
        if batch.columns
        else pl.lit("{}").alias("_raw"),
        pl.col("_error"),
    )
