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


def _typed(col: Column) -> pl.Expr:
    raw = pl.col(col.name)
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


def _checks(col: Column) -> list[pl.Expr]:
    raw = pl.col(col.name)
    typed = _typed(col)
    checks: list[pl.Expr] = []
    if not col.nullable:
        checks.append(pl.when(raw.is_null()).then(pl.lit(f"{col.name}: missing value")))
    if col.type in ("int", "float", "timestamp"):
        expected = {"int": "an integer", "float": "a number", "timestamp": "a timestamp"}[col.type]
        checks.append(
            pl.when(raw.is_not_null() & typed.is_null()).then(
                pl.concat_str([pl.lit(f"{col.name}: '"), raw, pl.lit(f"' is not {expected}")])
            )
        )
    if col.allowed is not None:
        allowed = ", ".join(col.allowed)
        checks.append(
            pl.when(raw.is_not_null() & ~raw.is_in(list(col.allowed))).then(
                pl.concat_str([pl.lit(f"{col.name}: '"), raw, pl.lit(f"' not in [{allowed}]")])
            )
        )
    if col.pattern is not None:
        checks.append(
            pl.when(raw.is_not_null() & ~raw.str.contains(f"^(?:{col.pattern})$")).then(
                pl.concat_str(
                    [pl.lit(f"{col.name}: '"), raw, pl.lit(f"' does not match {col.pattern}")]
                )
            )
        )
    if col.minimum is not None:
        checks.append(
            pl.when(typed < col.minimum).then(
                pl.concat_str([pl.lit(f"{col.name}: "), raw, pl.lit(f" is below {col.minimum:g}")])
            )
        )
    if col.maximum is not None:
        checks.append(
            pl.when(typed > col.maximum).then(
                pl.concat_str([pl.lit(f"{col.name}: "), raw, pl.lit(f" is above {col.maximum:g}")])
            )
        )
    return checks


def validate(batch: TextBatch, contract: Contract) -> Validated:
    """Type ``batch`` by ``contract``; return accepted rows and quarantined rows."""
    frame = batch.to_frame()
    # Optional contract columns the source does not carry are added as nulls.
    for col in contract.columns:
        if col.name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String()).alias(col.name))
    checks = [check for col in contract.columns for check in _checks(col)]
    errors = (
        pl.concat_str(checks, separator="; ", ignore_nulls=True)
        if checks
        else pl.lit(None, dtype=pl.String())
    )
    # concat_str of nothing but nulls is "", which means "no error".
    frame = frame.with_columns(pl.when(errors != "").then(errors).alias("_error"))
    if contract.key:
        key = pl.struct(list(contract.key))
        clean = pl.col("_error").is_null()
        # Only rows that passed every other check compete for a key; the first such line wins.
        frame = frame.with_columns(
            pl.when(clean & ~pl.struct(key, clean).is_first_distinct())
            .then(
                pl.concat_str(
                    [
                        pl.lit(
                            "duplicate key " + ", ".join(contract.key) + " (first seen on line "
                        ),
                        pl.col(ROW).filter(clean).first().over(list(contract.key)).cast(pl.String),
                        pl.lit(")"),
                    ]
                )
            )
            .otherwise(pl.col("_error"))
            .alias("_error")
        )
    text_columns = [c for c in frame.columns if c not in (ROW, "_error")]
    bad = frame.filter(pl.col("_error").is_not_null())
    quarantined = bad.select(
        pl.col(ROW),
        pl.struct([pl.col(c) for c in batch.columns]).struct.json_encode().alias("_raw")
        if batch.columns
        else pl.lit("{}").alias("_raw"),
        pl.col("_error"),
    )
    contract_names = contract.names
    extras = [c for c in text_columns if c not in contract_names]
    accepted = frame.filter(pl.col("_error").is_null()).select(
        *[_typed(c) for c in contract.columns], *[pl.col(c) for c in extras], pl.col(ROW)
    )
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
