"""End to end: `churnstack run` on generated data in a temporary folder.

One warehouse is built per session (see the ``demo`` fixture in tests/conftest.py);
the tests read it, then the re-run and failure tests work on copies of it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from churnstack.quality.checksums import table_checksums
from churnstack.serving.publish import connect_published, current_publication
from churnstack.settings import load_settings
from tests.conftest import TEST_KEY
from tests.e2e_support import DEMO_CUSTOMERS, DEMO_DATE, DemoProject

pytestmark = pytest.mark.slow

MARTS = {
    "dim_customer",
    "dim_geography",
    "dim_service",
    "fct_churn",
    "customer_churn_analytics",
    "data_quality_metrics",
}


def _settings(project: DemoProject):
    return load_settings(project.config, environ={}, cwd=project.root)


def test_run_publishes_every_mart(demo: DemoProject) -> None:
    publication = current_publication(_settings(demo))
    assert publication is not None
    assert set(publication.tables) >= MARTS
    with connect_published(_settings(demo)) as con:
        assert con.execute("select count(*) from marts.fct_churn").fetchall() == [(DEMO_CUSTOMERS,)]
        churned = con.execute("select count(*) from marts.fct_churn where churned").fetchall()
        assert 0.15 * DEMO_CUSTOMERS < churned[0][0] < 0.40 * DEMO_CUSTOMERS


def test_quarantine_holds_the_planted_defects_with_lineage(demo: DemoProject) -> None:
    settings = _settings(demo)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        rows = con.execute(
            "select _table, _source_file, _row_number, _error from raw._quarantine "
            "order by _table, _row_number"
        ).fetchall()
        audit = con.execute(
            "select table_name, source_rows, lake_rows, quarantined_rows from raw._load_audit "
            "order by table_name"
        ).fetchall()
    by_table: dict[str, list[str]] = {}
    for table, source_file, line, error in rows:
        assert source_file.endswith((".csv", ".jsonl")) and line > 1
        by_table.setdefault(table, []).append(error)
    assert any("duplicate key customer_id" in e for e in by_table["telco_customers"])
    assert any("expected 21 fields" in e for e in by_table["telco_customers"])
    assert any("invalid JSON" in e for e in by_table["customer_reviews"])
    for table, source_rows, lake_rows, quarantined in audit:
        assert source_rows == lake_rows + quarantined, table
    telco = next(a for a in audit if a[0] == "telco_customers")
    assert telco[2] == DEMO_CUSTOMERS


def test_dbt_tests_all_pass_and_are_logged(demo: DemoProject) -> None:
    result = demo.cli("status", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert "transform" in result.output and "publish" in result.output
    runs = sorted((_settings(demo).state_path / "runs").glob("*.json"))
    record = json.loads(runs[-1].read_text())
    transform = next(s for s in record["steps"] if s["name"] == "transform")
    assert transform["status"] == "ok"
    assert transform["detail"]["tests_failed"] == 0
    assert transform["detail"]["tests_passed"] >= 40


def test_analytics_mart_is_pseudonymised(demo: DemoProject) -> None:
    with connect_published(_settings(demo)) as con:
        columns = [r[0] for r in con.execute("describe marts.customer_churn_analytics").fetchall()]
        pseudonyms = {
            r[0]
            for r in con.execute(
                "select customer_pseudonym from marts.customer_churn_analytics"
            ).fetchall()
        }
        ids = [r[0] for r in con.execute("select customer_id from marts.dim_customer").fetchall()]
    assert "customer_id" not in columns
    expected = {hmac.new(TEST_KEY.encode(), i.encode(), hashlib.sha256).hexdigest() for i in ids}
    assert pseudonyms == expected


def _copy_project(demo: DemoProject, target: Path) -> DemoProject:
    shutil.copytree(demo.root, target)
    return DemoProject(root=target, config=target / demo.config.name)


def test_rerunning_a_date_changes_nothing(demo: DemoProject, tmp_path: Path) -> None:
    project = _copy_project(demo, tmp_path / "copy")
    settings = _settings(project)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        before = table_checksums(con, "marts")
    lake_files = sorted(settings.lake_path.rglob("*.parquet"))
    lake_before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in lake_files}
    result = project.cli("run", "--date", DEMO_DATE.isoformat())
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        after = table_checksums(con, "marts")
    assert after == before
    assert before["data_quality_metrics"][0] == 1
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in lake_files} == lake_before


def test_a_new_date_adds_a_metrics_row(demo: DemoProject, tmp_path: Path) -> None:
    project = _copy_project(demo, tmp_path / "copy")
    result = project.cli("run", "--date", "2026-03-02")
    assert result.exit_code == 0, result.output
    with connect_published(_settings(project)) as con:
        rows = con.execute(
            "select run_date from marts.data_quality_metrics order by run_date"
        ).fetchall()
    assert [str(r[0]) for r in rows] == ["2026-03-01", "2026-03-02"]


def test_fatal_source_problem_is_one_line_and_keeps_the_lake(
    demo: DemoProject, tmp_path: Path
) -> None:
    project = _copy_project(demo, tmp_path / "copy")
    settings = _settings(project)
    telco = settings.sources["telco_customers"].path
    lines = telco.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    header[5] = "months"  # no tenure column any more
    telco.write_text("\n".join([",".join(header), *lines[1:]]) + "\n", encoding="utf-8")
    lake_before = {p: p.read_bytes() for p in settings.lake_path.rglob("*") if p.is_file()}
    published = current_publication(settings)
    result = project.cli("run", "--date", DEMO_DATE.isoformat())
    assert result.exit_code == 1
    assert "telco_customers.csv: missing required column(s) tenure" in result.output
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in settings.lake_path.rglob("*") if p.is_file()} == lake_before
    assert current_publication(settings) == published


def test_steps_one_by_one_give_the_same_marts(demo: DemoProject, tmp_path: Path) -> None:
    project = _copy_project(demo, tmp_path / "copy")
    settings = _settings(project)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        before = table_checksums(con, "marts")
    settings.warehouse_path.unlink()
    day = DEMO_DATE.isoformat()
    for step in ("ingest", "load", "transform"):
        result = project.cli(step, "--date", day)
        assert result.exit_code == 0, f"{step}: {result.output}"
    assert "Data quality (published marts)" in result.output
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        assert table_checksums(con, "marts") == before
