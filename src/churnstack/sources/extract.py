"""Read one configured source, apply its contract and attach lineage.

The result is two Arrow tables for the lake: accepted rows (typed by the
contract) and quarantined rows (raw text and the reason), both carrying the
lineage columns ``_run_id``, ``_load_time``, ``_source_file`` and
``_row_number``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl
import pyarrow as pa

from churnstack.errors import SourceError
from churnstack.settings import SourceSettings
from churnstack.sources.contracts import Contract, get_contract
from churnstack.sources.files import READERS
from churnstack.sources.validate import POLARS_TYPES, validate

LINEAGE = ("_run_id", "_load_time", "_source_file", "_row_number")


@dataclass
class Extracted:
    source: SourceSettings
    contract: Contract
    accepted: pa.Table
    quarantined: pa.Table
    source_rows: int
    sha256: str
    run_id: str

    @property
    def table(self) -> str:
        return self.contract.table


def file_sha256(path: Path, source: str) -> str:
    """Content hash of a source file (part of the run id); a missing file is a SourceError."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        raise SourceError(source, "file not found") from None
    except IsADirectoryError:
        raise SourceError(source, "is a directory, expected a file") from None
    except PermissionError:
        raise SourceError(source, "permission denied") from None
    return digest.hexdigest()


def _lineage(
    frame: pl.DataFrame, run_id: str, load_time: datetime, source_file: str
) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(run_id, dtype=pl.String()).alias("_run_id"),
        pl.lit(load_time, dtype=pl.Datetime("us")).alias("_load_time"),
        pl.lit(source_file, dtype=pl.String()).alias("_source_file"),
    ).select(pl.exclude("_row_number"), pl.col("_row_number"))


def empty_lake_schema(contract: Contract) -> pa.Schema:
    """The lake schema of a table with no extra columns (used when a source is absent)."""
    frame = pl.DataFrame(schema={c.name: POLARS_TYPES[c.type] for c in contract.columns})
    frame = frame.with_columns(pl.lit(None, dtype=pl.Int64()).alias("_row_number"))
    return _lineage(frame, "", datetime(1970, 1, 1), "").to_arrow().schema


def extract_source(
    source: SourceSettings, *, run_id: str, load_time: datetime, sha256: str
) -> Extracted:
    contract = get_contract(source.table)
    label = source.display_path or str(source.path)
    reader = READERS[source.kind]
    batch = reader(source.path, contract, source=label, encoding=source.encoding)
    result = validate(batch, contract)
    accepted = _lineage(result.accepted, run_id, load_time, label)
    quarantined = _lineage(result.quarantined, run_id, load_time, label)
    return Extracted(
        source=source,
        contract=contract,
        accepted=accepted.to_arrow(),
        quarantined=quarantined.to_arrow(),
        source_rows=batch.source_rows,
        sha256=sha256,
        run_id=run_id,
    )
