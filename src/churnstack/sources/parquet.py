"""Parquet sources: typed columnar files, read as they are (no round trip through text).

A ``parquet`` source names one file per run date (a ``{date}`` placeholder in
``path``) or one static file. Columns are matched to the contract by their
normalised names, like a CSV header; a column whose type already fits the
contract (an int64 id, a timestamp, a dictionary-encoded label) is checked as
it is, anything else is checked as text. Struct columns are flattened
(``metadata.device`` -> ``metadata_device``), list columns kept as JSON text,
index artefacts such as ``__index_level_0__`` dropped.

**Initial load.** A daily source may name a ``history`` file (``history:
history.parquet``, relative to the folder of the daily files, or absolute):
the pipeline sets ``options["initial_load"]`` on the project's first run, and
then this reader reads the history file *and* the run date's file, history
first, numbering rows on across both (``_row_number``) and naming both in the
lineage (``history.parquet + 2026-03-01.parquet``). Every later run reads the
run date's file only; merge loading upserts it on the contract's key.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from churnstack.errors import SourceError
from churnstack.sources.base import SourceRead, register
from churnstack.sources.files import ROW_NUMBER, TextBatch, file_sha256
from churnstack.sources.sanitize import map_header

if TYPE_CHECKING:  # pragma: no cover
    from churnstack.settings import SourceSettings
    from churnstack.sources.contracts import Contract

HISTORY_OPTION = "history"
INITIAL_LOAD_OPTION = "initial_load"


def history_file(source: SourceSettings, run_date: date) -> tuple[Path, str] | None:
    """(path, label) of the source's history file, or None when it names none."""
    name = source.options.get(HISTORY_OPTION)
    if not name:
        return None
    relative = Path(str(name))
    if relative.is_absolute():
        return relative, str(relative)
    daily = source.path_for(run_date)
    label_folder = Path(source.label_for(run_date)).parent
    return daily.parent / relative, str(label_folder / relative)


def _read_file(path: Path, label: str) -> pl.DataFrame:
    """Polars' own reader: multi-threaded, dictionary-encoded text comes back categorical."""
    if not path.exists():
        raise SourceError(label, "file not found")
    if path.is_dir():
        raise SourceError(label, "is a directory, expected a Parquet file")
    try:
        return pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SourceError(label, f"not a readable Parquet file ({reason})") from None


def _flatten(frame: pl.DataFrame) -> pl.DataFrame:
    """Struct columns become ``<column>_<field>`` columns; lists become JSON text."""
    while any(isinstance(t, pl.Struct) for t in frame.dtypes):
        columns = []
        for name, dtype in frame.schema.items():
            if isinstance(dtype, pl.Struct):
                columns += [
                    pl.col(name).struct.field(f.name).alias(f"{name}_{f.name}")
                    for f in dtype.fields
                ]
            else:
                columns.append(pl.col(name))
        frame = frame.select(columns)
    lists = [n for n, t in frame.schema.items() if isinstance(t, (pl.List, pl.Array))]
    if lists:
        frame = frame.with_columns(
            pl.when(pl.col(n).is_not_null())
            .then(pl.struct(pl.col(n).alias("v")).struct.json_encode().str.slice(5).str.head(-1))
            .alias(n)
            for n in lists
        )
    return frame


def _clean_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Trim text and turn blanks into nulls, as for CSV values (categories checked once)."""
    fixes = []
    for name, dtype in frame.schema.items():
        if dtype == pl.String():
            fixes.append(pl.col(name).str.strip_chars().replace("", None).alias(name))
        elif isinstance(dtype, pl.Categorical):
            labels = frame.get_column(name).unique().drop_nulls().cast(pl.String)
            if (labels != labels.str.strip_chars()).any() or (labels == "").any():
                fixes.append(
                    pl.col(name).cast(pl.String).str.strip_chars().replace("", None).alias(name)
                )
    return frame.with_columns(fixes) if fixes else frame


def read_parquet_frame(path: Path, contract: Contract, label: str) -> pl.DataFrame:
    """One Parquet file as a frame of contract-named columns (types kept)."""
    frame = _read_file(path, label)
    frame = frame.drop([n for n in frame.columns if n.startswith("__index_level_")])
    frame = _flatten(frame)
    names = map_header(frame.columns, contract, label)
    frame = frame.rename(dict(zip(frame.columns, names, strict=True)))
    return _clean_text(frame)


@register("parquet")
def read_parquet(source: SourceSettings, run_date: date, contract: Contract) -> SourceRead | None:
    """The run date's file (and, on the initial load, the history file before it)."""
    path = source.path_for(run_date)
    label = source.label_for(run_date)
    parts: list[tuple[Path, str]] = []
    history = history_file(source, run_date)
    if history is not None and source.options.get(INITIAL_LOAD_OPTION):
        parts.append(history)
    if path.exists() or source.required:
        parts.append((path, label))
    elif not parts:
        return None  # an optional daily source with nothing for this date
    frames = []
    digest = hashlib.sha256()
    for part_path, part_label in parts:
        digest.update(f"{part_label}\n{file_sha256(part_path, part_label)}\n".encode())
        frames.append(read_parquet_frame(part_path, contract, part_label))
    frame = frames[0] if len(frames) == 1 else pl.concat(frames, how="diagonal_relaxed")
    frame = frame.with_columns(pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(ROW_NUMBER))
    batch = TextBatch(columns=[c for c in frame.columns if c != ROW_NUMBER], frame=frame)
    return SourceRead(
        batch=batch,
        fingerprint=digest.hexdigest(),
        label=" + ".join(part_label for _, part_label in parts),
    )
