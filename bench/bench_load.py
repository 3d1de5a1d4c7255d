"""Benchmark: upsert one day (~25,000 rows) into a 13.5M-row table, and publish at that size.

    python bench/bench_load.py [--rows 13500000] [--day-rows 25000]

Builds a warehouse whose ``raw.bench_transactions`` holds 13.5M synthetic
transactions (DuckDB SQL, seed 003's shape: 50,000 customers, 18 months), then
times churnstack's merge loader (stage -> de-duplicate on the key -> MERGE) for
one day's partition in which a tenth of the rows update existing transactions,
and times publishing a marts schema holding a 13.5M-row fact table. Figures are
printed and written to bench/results/bench_load.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb

from churnstack.serving.publish import publish
from churnstack.settings import load_settings
from churnstack.sources.contracts import Column, Contract
from churnstack.warehouse.load import merge_load

ROOT = Path(__file__).resolve().parent.parent

TRANSACTIONS = Contract(
    table="bench_transactions",
    key=("transaction_id",),
    columns=(
        Column("transaction_id"),
        Column("customer_id"),
        Column("transaction_date", "timestamp"),
        Column("transaction_amount", "float"),
        Column("merchant_category"),
        Column("channel"),
        Column("status"),
    ),
)

ROWS_SQL = """
select
    'T' || lpad(cast(i as varchar), 9, '0') as transaction_id,
    'C' || lpad(cast(i % 50000 as varchar), 5, '0') as customer_id,
    timestamp '2025-05-01' + to_seconds(cast(hash(i) % 47304000 as bigint)) as transaction_date,
    round(5 + (hash(i * 7) % 50000) / 100.0, 2) as transaction_amount,
    ['grocery', 'travel', 'dining', 'fuel', 'online'][1 + cast(hash(i * 3) % 5 as bigint)]
        as merchant_category,
    ['Online', 'In-Store', 'Mobile'][1 + cast(hash(i * 5) % 3 as bigint)] as channel,
    case when hash(i * 11) % 100 < 97 then 'approved' else 'declined' end as status,
    '{run_id}' as _run_id,
    timestamp '{load_time}' as _load_time,
    'bench' as _source_file,
    i as _row_number
from range({start}, {stop}) as t(i)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=13_500_000)
    parser.add_argument("--day-rows", type=int, default=25_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="churnstack-bench-load-") as tmp:
        folder = Path(tmp)
        settings = load_settings(None, environ={}, cwd=folder)
        settings = replace(settings, warehouse_path=folder / "warehouse.duckdb")
        con = duckdb.connect(str(settings.warehouse_path))
        con.execute("create schema raw")
        began = time.perf_counter()
        history = ROWS_SQL.format(
            run_id="history", load_time="2026-11-20 00:00:00", start=0, stop=args.rows
        )
        con.execute(f"create table raw.bench_transactions as {history}")
        con.execute("checkpoint")  # a warehouse at rest, as between two runs
        build_s = time.perf_counter() - began
        # One day: a tenth updates existing transactions (scattered), the rest are new.
        updates = args.day_rows // 10
        day_sql = ROWS_SQL.format(
            run_id="day",
            load_time="2026-11-21 00:00:00",
            start=args.rows,
            stop=args.rows + args.day_rows - updates,
        )
        late = (
            ROWS_SQL.format(run_id="day", load_time="2026-11-21 00:00:00", start=0, stop=args.rows)
            + f" using sample {updates} rows (reservoir, 42)"
        )
        day_file = folder / "day.parquet"
        con.execute(
            f"copy (select * from ({day_sql}) union all "
            f"select * replace (transaction_amount + 1 as transaction_amount) from ({late})) "
            f"to '{day_file}' (format parquet)"
        )
        began = time.perf_counter()
        total = merge_load(con, TRANSACTIONS, day_file, datetime(2026, 11, 21))
        upsert_s = time.perf_counter() - began
        assert total == args.rows + args.day_rows - updates, total
        con.execute("create schema marts")
        con.execute("create table marts.fct_transactions as select * from raw.bench_transactions")
        con.close()
        size_mb = settings.warehouse_path.stat().st_size / 1e6
        began = time.perf_counter()
        publish(settings, "bench", "2026-11-21")
        publish_s = time.perf_counter() - began
    figures = {
        "table_rows": args.rows,
        "day_rows": args.day_rows,
        "day_updates": updates,
        "build_history_s": round(build_s, 2),
        "upsert_one_day_s": round(upsert_s, 3),
        "publish_s": round(publish_s, 2),
        "warehouse_mb": round(size_mb),
    }
    print(json.dumps(figures, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_load.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
