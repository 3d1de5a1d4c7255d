from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from churnstack.lake.partitions import (
    Manifest,
    clear_manifest,
    partition_dir,
    read_manifest,
    write_manifest,
    write_parquet,
)


def test_partition_path_is_deterministic(tmp_path: Path) -> None:
    path = partition_dir(tmp_path, "raw", "files", "telco_customers", date(2026, 1, 2))
    assert path == tmp_path / "raw/files/telco_customers/dt=2026-01-02"


def test_same_rows_give_the_same_bytes_and_no_temp_files(tmp_path: Path) -> None:
    table = pa.table({"a": [1, 2, 3], "b": ["x", None, "z"]})
    first, second = tmp_path / "one" / "data.parquet", tmp_path / "two" / "data.parquet"
    write_parquet(table, first)
    write_parquet(table, second)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second)]
    assert digest[0] == digest[1]
    assert pq.read_table(first).equals(table)
    assert sorted(p.name for p in first.parent.iterdir()) == ["data.parquet"]


def test_overwrite_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "data.parquet"
    write_parquet(pa.table({"a": list(range(1000))}), target)
    write_parquet(pa.table({"a": [7]}), target)
    assert pq.read_table(target).column("a").to_pylist() == [7]


def test_manifest_round_trip_and_clear(tmp_path: Path) -> None:
    manifest = Manifest("t", "files", "r1", "2026-01-02", "a.csv", "abc", 10, 8, 2)
    write_manifest(manifest, tmp_path)
    assert read_manifest(tmp_path) == manifest
    clear_manifest(tmp_path)
    assert read_manifest(tmp_path) is None
    clear_manifest(tmp_path)  # clearing twice is safe
