"""Read one configured source, apply its contract, and attach lineage.

Extraction is split in two so a run can read and check every source before it
writes anything: :func:`extract_source` reads and validates, and
:meth:`Extracted.with_lineage` adds ``_run_id``, ``_load_time``,
``_source_file`` and ``_row_number`` once the run id (derived from every
source's fingerprint) is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import polars as pl
import pyarrow as pa

from churnstack.settings import SourceSettings
from churnstack.sources.base import reader_for
from churnstack.sources.contracts import Contract, get_contract
from churnstack.sources.validate import POLARS_TYPES, validate

LINEAGE = ("_run_id", "_load_time", "_source_file", "_row_number")


@dataclass
class Extracted:
    source: SourceSettings
    contract: Contract
    label: str
    fingerprint: str
    source_rows: int
    accepted: pl.DataFrame
    quarantined: pl.DataFrame

    @property
    def table(self) -> str:
        return self.contract.table

    def with_lineage(self, run_id: str, load_time: datetime) -> tuple[pa.Table, pa.Table]:
        """(accepted, quarantined) as Arrow tables carrying the lineage columns."""
        return (
            _lineage(self.accepted, run_id, load_time, self.label).to_arrow(),
            _lineage(self.quarantined, run_id, load_time, self.label).to_arrow(),
        )


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


def extract_source(source: SourceSettings, run_date: date) -> Extracted | None:
    """Read and validate one source for ``run_date``; ``None`` if an optional one is absent."""
    contract = get_contract(source.table)
    read = reader_for(source.kind)(source, run_date, contract)
    if read is None:
        return None
    result = validate(read.batch, contract)
    return Extracted(
        source=source,
        contract=contract,
        label=read.label,
        fingerprint=read.fingerprint,
        source_rows=read.batch.source_rows,
        accepted=result.accepted,
        quarantined=result.quarantined,
    )
