"""Benchmark: customer 360 + commerce at a scale (default large: 50,000 customers, ~13.5M txns).

Prints the figures and writes them to bench/results/bench_c360.json. Nothing
here asserts a speed; the targets (generation under 15 s, the whole run under
60 s, peak RSS under 3 GB on 2 cores) are reported next to the figures.

    python bench/bench_c360.py [--scale large] [--days 1]

Each phase runs in a child process, so every peak RSS is that phase's own:

* generation: ``churnstack generate`` equivalent (Telco demo, customer 360,
  commerce) into a fresh folder;
* ``churnstack run`` for the anchor date (the initial load: every history
  file plus the day's files): its ingest (extract -> lake), load (lake ->
  warehouse) and transform (``dbt build`` of every area: models, snapshots,
  tests) durations come from the run log;
* total wall = generation + run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 3, 1)
TARGETS = {"generation_s": 15, "total_wall_s": 60, "peak_rss_mib": 3 * 1024}


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


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHURNSTACK")}
    env.update(DBT_SEND_ANONYMOUS_USAGE_STATS="false", DO_NOT_TRACK="1")
    return env


def _child(args: list[str]) -> tuple[float, float]:
    """Run a child process; (wall seconds, that child's own peak RSS in MiB, from wait4)."""
    began = time.perf_counter()
    process = subprocess.Popen(args, env=_env(), stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - began
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed with status {process.returncode}")
    return wall, usage.ru_maxrss / 1024


def generate(folder: Path, scale: str, days: int) -> dict[str, float]:
    """(in the child) every demo source; returns timings per generator."""
    from churnstack.generate import generate_demo
    from churnstack.generate.c360 import generate_c360
    from churnstack.generate.commerce import generate_commerce

    data = folder / "data"
    timings = {}
    began = time.perf_counter()
    generate_demo(data, customers=7043, seed=42, as_of=DAY, defects=True)
    timings["telco_s"] = time.perf_counter() - began
    began = time.perf_counter()
    c360 = generate_c360(data, scale=scale, seed=42, as_of=DAY, days=days, telco_customers=7043)
    timings["c360_s"] = time.perf_counter() - began
    began = time.perf_counter()
    commerce = generate_commerce(data, base=c360.base, scale=scale, seed=42)
    timings["commerce_s"] = time.perf_counter() - began
    counts = c360.counts | commerce.counts
    timings["customers"] = counts["customers.csv"]
    timings["transactions"] = sum(v for k, v in counts.items() if k.startswith("transactions/"))
    timings["orders"] = sum(v for k, v in counts.items() if k.startswith("orders/"))
    timings["clickstream_events"] = sum(
        v for k, v in counts.items() if k.startswith("clickstream/")
    )
    (folder / "generation.json").write_text(json.dumps(timings), encoding="utf-8")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="large", choices=("small", "medium", "large"))
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--generate-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_into is not None:  # the generation child
        generate(args.generate_into, args.scale, args.days)
        return

    with tempfile.TemporaryDirectory(prefix="churnstack-bench-c360-") as tmp:
        folder = Path(tmp)
        config = _project(folder)
        me = [sys.executable, str(Path(__file__).resolve())]
        gen_wall, gen_rss = _child([*me, "--scale", args.scale, "--generate-into", str(folder)])
        generated = json.loads((folder / "generation.json").read_text(encoding="utf-8"))
        cli = [sys.executable, "-m", "churnstack", "--config", str(config)]
        run_wall, run_rss = _child([*cli, "run", "--date", DAY.isoformat()])
        record = json.loads(sorted((folder / "state" / "runs").glob("*.json"))[-1].read_text())
        steps = {s["name"]: s for s in record["steps"]}
        transform = steps["transform"]["detail"]
        lake_bytes = sum(p.stat().st_size for p in (folder / "lake").rglob("*.parquet"))
        warehouse_bytes = (folder / "warehouse.duckdb").stat().st_size
    generation_s = generated["c360_s"] + generated["commerce_s"]
    figures = {
        "scale": args.scale,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "rows": {
            "customers": generated["customers"],
            "transactions": generated["transactions"],
            "orders": generated["orders"],
            "clickstream_events": generated["clickstream_events"],
        },
        "generation_s": round(generation_s, 2),
        "generation_detail_s": {
            "c360": round(generated["c360_s"], 2),
            "commerce": round(generated["commerce_s"], 2),
            "telco_demo": round(generated["telco_s"], 2),
            "child_wall": round(gen_wall, 2),
        },
        "extract_load_s": round(steps["ingest"]["duration_s"] + steps["load"]["duration_s"], 2),
        "extract_s": steps["ingest"]["duration_s"],
        "load_s": steps["load"]["duration_s"],
        "dbt_build_s": steps["transform"]["duration_s"],
        "dbt": {
            "models": transform.get("models"),
            "tests_passed": transform.get("tests_passed"),
            "tests_failed": transform.get("tests_failed"),
        },
        "publish_s": steps["publish"]["duration_s"],
        "run_wall_s": round(run_wall, 2),
        "total_wall_s": round(gen_wall + run_wall, 2),
        "peak_rss_mib": {"generation": round(gen_rss, 1), "run": round(run_rss, 1)},
        "lake_mib": round(lake_bytes / 2**20, 1),
        "warehouse_mib": round(warehouse_bytes / 2**20, 1),
        "targets": TARGETS,
    }
    print(json.dumps(figures, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_c360.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
