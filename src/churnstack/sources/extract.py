"""Read one configured source, apply its contract, and attach lineage.

Extraction is split in two so a run can read and check every source before it
writes anything: :func:`extract_source` reads and validates, and
:meth:`Extracted.with_lineage` adds ``_run_id``, ``_load_time``,
``_source_file`` and ``_row_number`` once the run id (derived from every
source's fingerprint) is known.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

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
    # Runs once the run's lake manifest is written (e.g. saves an incremental cursor).
    on_commit: Callable[[], None] | None = None

    @property
    def table(self) -> str:
        return self.contract.table

    @property
    def lake_rows(self) -> int:
        return self.accepted.height

    @property
    def quarantined_rows(self) -> int:
        return self.quarantined.height

    def write_lake(
        self, raw_file: Path, quarantine_file: Path, run_id: str, load_time: datetime
    ) -> tuple[int, int]:
        """Write the accepted and quarantined rows, with lineage, atomically each."""
        from churnstack.lake.partitions import write_parquet

        accepted, quarantined = self.with_lineage(run_id, load_time)
        write_parquet(accepted, raw_file)
        write_parquet(quarantined, quarantine_file)
        return accepted.num_rows, quarantined.num_rows

    def commit(self) -> None:
        """The run's lake partitions are complete: let the source save its state."""
        if self.on_commit is not None:
            self.on_commit()

    def close(self) -> None:
        """Release temporary files (nothing to do for an in-memory extraction)."""

    def with_lineage(self, run_id: str, load_time: datetime) -> tuple[pa.Table, pa.Table]:
        """(accepted, quarantined) as Arrow tables carrying the lineage columns."""
        return (
            _lineage(self.accepted, run_id, load_time, self.label).to_arrow(),
            _lineage(self.quarantined, run_id, load_time, self.label).to_arrow(),
        )


@dataclass
class SpooledExtracted(Extracted):
    """A chunked extraction: accepted rows wait in a spool Parquet file, not in memory."""

    spool: Path | None = None
    spool_rows: int = 0
    excluded_rows: list[int] = field(default_factory=list)  # spooled, then found repeated

    @property
    def lake_rows(self) -> int:
        return self.spool_rows

    def write_lake(
        self, raw_file: Path, quarantine_file: Path, run_id: str, load_time: datetime
    ) -> tuple[int, int]:
        from churnstack.lake.partitions import write_parquet
        from churnstack.sources.chunked import stream_to_lake

        assert self.spool is not None
        rows = stream_to_lake(
            self.spool, raw_file, run_id, load_time, self.label, self.excluded_rows
        )
        quarantined = _lineage(self.quarantined, run_id, load_time, self.label).to_arrow()
        write_parquet(quarantined, quarantine_file)
        return rows, quarantined.num_rows

    def with_lineage(self, run_id: str, load_time: datetime) -> tuple[pa.Table, pa.Table]:
        """Materialises the spool: for small tables and tests only."""
        from churnstack.sources.chunked import read_spool

        assert self.spool is not None
        accepted = pl.from_arrow(read_spool(self.spool))
        assert isinstance(accepted, pl.DataFrame)
        accepted = accepted.filter(~pl.col("_row_number").is_in(self.excluded_rows))
        return (
            _lineage(accepted, run_id, load_time, self.label).to_arrow(),
            _lineage(self.quarantined, run_id, load_time, self.label).to_arrow(),
        )

    def close(self) -> None:
        if self.spool is not None:
            shutil.rmtree(self.spool.parent, ignore_errors=True)


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
    from churnstack.sources.chunked import ChunkedRead, extract_chunked

    if isinstance(read, ChunkedRead):
        return extract_chunked(source, contract, read)
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
