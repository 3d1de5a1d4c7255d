"""Chunked extraction: a large source is read, checked and spooled one chunk at a time.

A reader that can stream (a database table of any size) returns a
:class:`ChunkedRead`: a factory of text chunks instead of one batch. Each chunk
is validated by the table's contract as it arrives; accepted rows go to a spool
Parquet file in the source's state folder (never the lake), quarantined rows
stay in memory (few), and natural keys are remembered so a key repeated in a
*later* chunk is quarantined too, naming the first line. Memory stays at about
one chunk plus the keys, whatever the table's size.

The whole read is one retry unit: a connection dropped mid-stream discards the
spool and starts again. Only after every source has been read does the
pipeline write the lake: :meth:`SpooledExtracted.write_lake` streams the spool
into the partition (lineage columns added row group by row group) through a
temporary file renamed into place, so the lake never holds half a table.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from churnstack.sources.base import SourceRead
from churnstack.sources.files import ROW_NUMBER, TextBatch
from churnstack.sources.validate import validate

if TYPE_CHECKING:  # pragma: no cover
    from churnstack.settings import SourceSettings
    from churnstack.sources.contracts import Contract

T = TypeVar("T")
# The spool: Arrow IPC, LZ4-compressed per buffer (fast, and a column read back owns its
# memory instead of pinning the whole batch it came with).
SPOOL_OPTIONS = pa.ipc.IpcWriteOptions(compression="lz4")


@dataclass
class ChunkedRead(SourceRead):
    """A streamed read: ``batch`` holds only the mapped header (no rows).

    ``open_chunks()`` starts a fresh pass over the source and yields text
    frames (contract column names, ``_row_number``); ``run(fn)`` runs ``fn``
    under the source's retry policy; ``on_commit`` runs once the run's lake
    manifest is written (e.g. to save an incremental cursor).
    """

    open_chunks: Callable[[], Iterator[pl.DataFrame]] = field(default=lambda: iter(()))
    run: Callable[[Callable[[], object]], object] = field(default=lambda fn: fn())
    on_commit: Callable[[], None] | None = None


def spool_root(source: SourceSettings) -> Path:
    """Where a source's temporary files go: its state folder, else the system temp folder."""
    if source.state_dir is not None:
        folder = source.state_dir / "spool"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return Path(tempfile.gettempdir())


def text_fingerprint(digest: hashlib._Hash, chunk: pl.DataFrame) -> None:
    """Feed a text chunk (values and column names, in order) into ``digest``."""
    digest.update("\x1f".join(chunk.columns).encode())
    if chunk.height:
        digest.update(chunk.hash_rows(seed=0).to_numpy().tobytes())


def repeated_keys(
    spool: Path, hashes: list[np.ndarray], rows: list[np.ndarray], key: tuple[str, ...]
) -> pl.DataFrame:
    """Accepted rows whose natural key an earlier accepted row already has.

    ``hashes``/``rows`` hold a 64-bit hash of the key and the ``_row_number`` of
    every spooled row (16 bytes a row, far less than the keys themselves);
    duplicates within a chunk were already caught by the contract step. Rows
    whose hash repeats are the only candidates: their keys are read back from
    the spool and compared exactly. Returns ``_row_number`` and ``_first``, the
    line that holds the key first.
    """
    none = pl.DataFrame(schema={ROW_NUMBER: pl.Int64(), "_first": pl.Int64()})
    if not key or not hashes:
        return none
    h = np.concatenate(hashes)
    ordered = np.sort(h)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if len(repeated) == 0:
        return none  # the usual case
    candidates = pl.Series(np.concatenate(rows)[np.isin(h, repeated)]).implode()
    parts = []
    for table in spool_batches(spool, [*key, ROW_NUMBER]):
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        parts.append(frame.filter(pl.col(ROW_NUMBER).is_in(candidates)))
    return (
        pl.concat(parts)
        .sort(ROW_NUMBER)
        .with_columns(pl.col(ROW_NUMBER).first().over(list(key)).alias("_first"))
        .filter(pl.col(ROW_NUMBER) != pl.col("_first"))
        .select(ROW_NUMBER, "_first")
    )


def spool_batches(spool: Path, columns: list[str] | None = None) -> Iterator[pa.Table]:
    """The spool's record batches one at a time (read, not memory-mapped), as tables."""
    with pa.OSFile(str(spool), "rb") as handle:
        source = pa.ipc.open_file(handle)
        if source.num_record_batches == 0:
            empty = source.schema.empty_table()
            yield empty.select(columns) if columns else empty
        for index in range(source.num_record_batches):
            table = pa.Table.from_batches([source.get_batch(index)])
            yield table.select(columns) if columns else table


def read_spool(spool: Path, columns: list[str] | None = None) -> pa.Table:
    return pa.concat_tables(spool_batches(spool, columns))


def _repeat_quarantine(spool: Path, repeats: pl.DataFrame, key: tuple[str, ...]) -> pl.DataFrame:
    wanted = repeats[ROW_NUMBER].implode()
    parts = []
    for table in spool_batches(spool):
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        parts.append(frame.filter(pl.col(ROW_NUMBER).is_in(wanted)))
    rows = pl.concat(parts)
    columns = [c for c in rows.columns if c != ROW_NUMBER]
    raw = rows.select(
        pl.col(ROW_NUMBER),
        pl.struct([pl.col(c) for c in columns]).struct.json_encode().alias("_raw"),
    )
    message = pl.concat_str(
        [
            pl.lit("duplicate key " + ", ".join(key) + " (first seen on line "),
            pl.col("_first").cast(pl.String),
            pl.lit(")"),
        ]
    )
    return raw.join(repeats.select(ROW_NUMBER, message.alias("_error")), on=ROW_NUMBER).select(
        ROW_NUMBER, "_raw", "_error"
    )


def _empty_quarantine() -> pl.DataFrame:
    return pl.DataFrame(schema={ROW_NUMBER: pl.Int64(), "_raw": pl.String(), "_error": pl.String()})


def extract_chunked(source: SourceSettings, contract: Contract, read: ChunkedRead):  # noqa: ANN201
    """Validate a streamed read chunk by chunk into a spool; returns a SpooledExtracted."""
    from churnstack.sources.extract import SpooledExtracted

    columns = read.batch.columns

    def attempt() -> SpooledExtracted:
        folder = Path(tempfile.mkdtemp(prefix=f"{contract.table}-", dir=spool_root(source)))
        spool = folder / "accepted.arrow"
        writer: pa.ipc.RecordBatchFileWriter | None = None
        try:
            digest = hashlib.sha256()
            quarantine: list[pl.DataFrame] = []
            key_hashes: list[np.ndarray] = []  # 64-bit hashes of the keys, and their rows
            key_rows: list[np.ndarray] = []
            source_rows = accepted_rows = 0
            pool = pa.default_memory_pool()
            for chunk in read.open_chunks():
                text_fingerprint(digest, chunk)
                source_rows += chunk.height
                result = validate(TextBatch.from_frame(chunk), contract)
                quarantine.append(result.quarantined)
                accepted = result.accepted
                if contract.key:
                    key_hashes.append(
                        accepted.select(pl.struct(list(contract.key)).hash(seed=0))
                        .to_series()
                        .to_numpy()
                    )
                    key_rows.append(accepted[ROW_NUMBER].to_numpy())
                table = accepted.to_arrow(compat_level=pl.CompatLevel.oldest())
                if writer is None:
                    writer = pa.ipc.new_file(str(spool), table.schema, options=SPOOL_OPTIONS)
                writer.write_table(table)
                accepted_rows += accepted.height
                del table, accepted, result
                pool.release_unused()  # give the chunk's buffers back before the next one
            if writer is None:  # no rows at all: an empty spool with the contract's types
                empty = validate(TextBatch(columns=columns), contract).accepted
                schema = empty.to_arrow(compat_level=pl.CompatLevel.oldest()).schema
                writer = pa.ipc.new_file(str(spool), schema, options=SPOOL_OPTIONS)
            writer.close()
            writer = None
            repeats = repeated_keys(spool, key_hashes, key_rows, contract.key)
            key_hashes.clear()
            key_rows.clear()
            if repeats.height:
                quarantine.append(_repeat_quarantine(spool, repeats, contract.key))
                accepted_rows -= repeats.height
            quarantined = (
                pl.concat(quarantine).sort(ROW_NUMBER) if quarantine else _empty_quarantine()
            )
            return SpooledExtracted(
                source=source,
                contract=contract,
                label=read.label,
                fingerprint=digest.hexdigest(),
                source_rows=source_rows,
                accepted=pl.DataFrame(),
                quarantined=quarantined,
                spool=spool,
                spool_rows=accepted_rows,
                excluded_rows=repeats[ROW_NUMBER].to_list(),
                on_commit=read.on_commit,
            )
        except BaseException:
            if writer is not None:
                writer.close()
            shutil.rmtree(folder, ignore_errors=True)
            raise

    result = read.run(attempt)
    assert isinstance(result, SpooledExtracted)
    return result


def stream_to_lake(
    spool: Path,
    target: Path,
    run_id: str,
    load_time: datetime,
    label: str,
    excluded_rows: list[int] | None = None,
) -> int:
    """Copy a spool file into ``target`` row group by row group, adding lineage; atomic.

    The lineage columns are appended with Arrow (constant columns, no copy of
    the data through another library), in the order the in-memory path uses:
    the data, ``_run_id``, ``_load_time``, ``_source_file``, ``_row_number``.
    """
    from churnstack.lake.partitions import _atomic_write_bytes

    rows = 0

    excluded = pa.array(excluded_rows or [], type=pa.int64())

    def with_lineage(part: pa.Table) -> pa.Table:
        if len(excluded):
            import pyarrow.compute as pc

            part = part.filter(pc.invert(pc.is_in(part.column(ROW_NUMBER), value_set=excluded)))
        n = part.num_rows
        index = pa.array(np.zeros(n, dtype=np.int32))
        row_numbers = part.column(ROW_NUMBER)
        part = part.drop_columns([ROW_NUMBER])
        for name, value, dtype in (
            ("_run_id", run_id, pa.large_string()),
            ("_load_time", load_time, pa.timestamp("us")),
            ("_source_file", label, pa.large_string()),
        ):
            constant = pa.DictionaryArray.from_arrays(index, pa.array([value], type=dtype))
            part = part.append_column(name, constant.dictionary_decode())
        return part.append_column(ROW_NUMBER, row_numbers)

    def write(tmp: Path) -> None:
        nonlocal rows
        writer: pq.ParquetWriter | None = None
        try:
            for part in spool_batches(spool):
                table = with_lineage(part)
                if writer is None:
                    writer = pq.ParquetWriter(
                        tmp,
                        table.schema,
                        compression="zstd",
                        compression_level=3,
                        use_dictionary=True,
                        write_statistics=True,
                    )
                writer.write_table(table, row_group_size=1_000_000)
                rows += table.num_rows
        finally:
            if writer is not None:
                writer.close()

    _atomic_write_bytes(target, write)
    return rows
