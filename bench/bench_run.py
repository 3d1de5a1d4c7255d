"""Benchmark: `churnstack run` on the demo data, and extract->lake against a pandas baseline.

Prints figures and writes them to bench/results/bench_run.json. Nothing here
asserts a speed; the figures are for the README and the closing notes.

    python bench/bench_run.py [--customers 7043] [--extract-rows 200000]

* end to end: wall time and peak RSS of `churnstack run` (a child process, measured
  with getrusage) on freshly generated demo data (7,043 customers by default);
* extract -> lake: rows/s of churnstack's ingest of a Telco-shaped CSV (parse,
  contract checks, lineage, Parquet partition) against the seed 001 approach,
  pandas `read_csv` followed by one INSERT per row into DuckDB, on the same file
  in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 3, 1)


def _project(folder: Path) -> Path:
    config = folder / "churnstack.yml"
    config.write_text(
        "paths: {data: data, lake: lake, state: state}\n"
        "warehouse: {type: duckdb, path: warehouse.duckdb}\n"
        "secrets: {pseudonym_key_file: key.txt}\n",
        encoding="utf-8",
    )
    (folder / "key.txt").write_text("benchmark-key-0123456789abcdef\n", encoding="utf-8")
    return config


def bench_end_to_end(folder: Path, customers: int) -> dict[str, float]:
    from churnstack.generate import generate_demo

    config = _project(folder)
    generate_demo(folder / "data", customers=customers, seed=42, as_of=DAY, defects=True)
    cli = [sys.executable, "-m", "churnstack", "--config", str(config)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHURNSTACK")}
    began = time.perf_counter()
    subprocess.run(
        [*cli, "run", "--date", DAY.isoformat()], check=True, env=env, stdout=subprocess.DEVNULL
    )
    wall = time.perf_counter() - began
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "customers": customers,
        "wall_s": round(wall, 2),
        "peak_rss_mib": round(peak_kib / 1024, 1),
    }


def _big_csv(folder: Path, rows: int) -> Path:
    from churnstack.generate import generate_demo

    files = generate_demo(folder, customers=rows, seed=1, as_of=DAY, defects=False)
    return files.telco_customers


def bench_extract(folder: Path, rows: int) -> dict[str, float]:
    import duckdb
    import pandas as pd

    from churnstack.pipeline.run import ingest
    from churnstack.settings import load_settings

    csv_path = _big_csv(folder / "big", rows)
    config = _project(folder / "extract")
    settings = load_settings(config, environ={}).with_source_paths(
        {"telco_customers": str(csv_path)}
    )
    settings = replace(settings, sources={"telco_customers": settings.sources["telco_customers"]})
    began = time.perf_counter()
    result = ingest(settings, DAY)
    ours = time.perf_counter() - began
    assert result.lake_rows == rows

    # The seed 001 approach: pandas read_csv, then one INSERT per row.
    began = time.perf_counter()
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    con = duckdb.connect(str(folder / "baseline.duckdb"))
    columns = ", ".join(f'"{c}" varchar' for c in frame.columns)
    con.execute(f"create or replace table staging ({columns})")
    marks = ", ".join("?" for _ in frame.columns)
    for record in frame.itertuples(index=False):
        con.execute(f"insert into staging values ({marks})", list(record))
    con.close()
    baseline = time.perf_counter() - began
    return {
        "rows": rows,
        "churnstack_s": round(ours, 3),
        "churnstack_rows_per_s": round(rows / ours),
        "pandas_row_insert_s": round(baseline, 3),
        "pandas_row_insert_rows_per_s": round(rows / baseline),
        "speedup": round(baseline / ours, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=7043)
    parser.add_argument("--extract-rows", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="churnstack-bench-") as tmp:
        folder = Path(tmp)
        (folder / "e2e").mkdir()
        (folder / "extract").mkdir()
        figures = {
            "end_to_end": bench_end_to_end(folder / "e2e", args.customers),
            "extract_to_lake": bench_extract(folder, args.extract_rows),
        }
    print(json.dumps(figures, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_run.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
