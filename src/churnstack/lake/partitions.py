"""Deterministic partition paths and atomic, reproducible Parquet writes.

Layout (``zone`` is ``raw`` or ``quarantine``)::

    <lake>/<zone>/<system>/<table>/dt=YYYY-MM-DD/data.parquet
    <lake>/raw/<system>/<table>/dt=YYYY-MM-DD/_manifest.json

The manifest is written last: a partition without one is an interrupted write
and is ignored by the loader. Files go to a temporary name beside the target
and are renamed into place, so a reader sees the old file or the new one,
never half of one. Writer settings are fixed so the same rows give the same
bytes.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

DATA_FILE = "data.parquet"
MANIFEST_FILE = "_manifest.json"


def partition_dir(lake: Path, zone: str, system: str, table: str, run_date: date) -> Path:
    return lake / zone / system / table / f"dt={run_date.isoformat()}"


@dataclass(frozen=True)
class Manifest:
    """What one extraction wrote for one table and run date."""

    table: str
    system: str
    run_id: str
    run_date: str
    source_file: str
    source_sha256: str
    source_rows: int
    lake_rows: int
    quarantined_rows: int


def _atomic_write_bytes(path: Path, writer) -> None:  # noqa: ANN001 - a callable taking a path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer(tmp)
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` atomically with fixed, reproducible settings."""
    _atomic_write_bytes(
        path,
        lambda tmp: pq.write_table(
            table,
            tmp,
            compression="zstd",
            compression_level=3,
            use_dictionary=True,
            write_statistics=True,
            row_group_size=1_000_000,
        ),
    )


def write_manifest(manifest: Manifest, directory: Path) -> None:
    text = json.dumps(asdict(manifest), indent=2, sort_keys=True) + "\n"
    _atomic_write_bytes(directory / MANIFEST_FILE, lambda tmp: tmp.write_text(text, "utf-8"))


def read_manifest(directory: Path) -> Manifest | None:
    path = directory / MANIFEST_FILE
    if not path.exists():
        return None
    return Manifest(**json.loads(path.read_text("utf-8")))


RUNS_DIR = "_runs"
EXTRACTED, ABSENT, DISABLED, KEPT = "extracted", "absent", "disabled", "kept"


@dataclass(frozen=True)
class RunManifest:
    """What one ingest did for a run date, table by table. Written after every partition.

    ``tables`` maps a table to ``extracted`` (a new partition), ``absent`` (an
    optional source had nothing), ``disabled``, or ``kept`` (a static source
    not refreshed on this date of a backfill: the warehouse keeps what it has).
    """

    run_id: str
    run_date: str
    tables: dict[str, str]


def run_manifest_path(lake: Path, run_date: date) -> Path:
    return lake / RUNS_DIR / f"dt={run_date.isoformat()}.json"


def write_run_manifest(lake: Path, manifest: RunManifest) -> None:
    text = json.dumps(asdict(manifest), indent=2, sort_keys=True) + "\n"
    path = run_manifest_path(lake, date.fromisoformat(manifest.run_date))
    _atomic_write_bytes(path, lambda tmp: tmp.write_text(text, "utf-8"))


def read_run_manifest(lake: Path, run_date: date) -> RunManifest | None:
    path = run_manifest_path(lake, run_date)
    if not path.exists():
        return None
    return RunManifest(**json.loads(path.read_text("utf-8")))


def has_runs_before(lake: Path, run_date: date) -> bool:
    """Did any ingest complete for a date earlier than ``run_date``?"""
    folder = lake / RUNS_DIR
    if not folder.exists():
        return False
    cutoff = f"dt={run_date.isoformat()}.json"
    return any(p.name < cutoff for p in folder.glob("dt=*.json"))


def clear_run_manifest(lake: Path, run_date: date) -> None:
    run_manifest_path(lake, run_date).unlink(missing_ok=True)


def remove_stale_temp_files(directory: Path) -> None:
    """Temp files left by a write that was killed before its rename."""
    if directory.exists():
        for tmp in directory.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def clear_manifest(directory: Path) -> None:
    """Mark a partition as being rewritten (the loader skips it until a new manifest lands)."""
    (directory / MANIFEST_FILE).unlink(missing_ok=True)
