from __future__ import annotations

import hashlib
import hmac
from datetime import date
from pathlib import Path

import duckdb
import pytest

from churnstack.errors import TerminalError
from churnstack.pipeline.run import ingest
from churnstack.settings import load_settings
from churnstack.warehouse.load import load_date
from tests.conftest import TELCO_ROWS, TEST_KEY, telco_csv, write_project

DAY = date(2026, 3, 1)


@pytest.fixture
def project(tmp_path: Path):
    settings = load_settings(write_project(tmp_path), environ={}, cwd=tmp_path)
    telco_csv(tmp_path / "data" / "telco_customers.csv", [*TELCO_ROWS, TELCO_ROWS[0]])
    return settings


def _query(settings, sql: str):
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_load_builds_raw_tables_with_lineage_and_pseudonyms(project) -> None:
    ingest(project, DAY)
    result = load_date(project, DAY, TEST_KEY.encode())
    assert {t.table: t.rows for t in result.tables}["telco_customers"] == 4
    rows = _query(
        project,
        "select customer_id, customer_id_pseudonym, _source_file, _row_number, _ingested_at "
        "from raw.telco_customers order by _row_number",
    )
    expected = hmac.new(TEST_KEY.encode(), b"7590-VHVEG", hashlib.sha256).hexdigest()
    assert rows[0][:4] == ("7590-VHVEG", expected, "data/telco_customers.csv", 2)
    assert str(rows[0][4]) == "2026-03-01 00:00:00"
    # absent optional sources still get (empty) raw tables with the contract's columns
    assert _query(project, "select count(*) from raw.customer_reviews") == [(0,)]
    columns = [r[0] for r in _query(project, "describe raw.customer_reviews")]
    assert columns[:3] == ["review_id", "customer_id", "rating"]


def test_quarantine_and_audit_reconcile(project) -> None:
    ingest(project, DAY)
    load_date(project, DAY, TEST_KEY.encode())
    assert _query(project, "select _table, _row_number, _error from raw._quarantine") == [
        ("telco_customers", 6, "duplicate key customer_id (first seen on line 2)")
    ]
    audit = _query(
        project,
        "select table_name, source_rows, lake_rows, quarantined_rows from raw._load_audit "
        "where table_name = 'telco_customers'",
    )
    assert audit == [("telco_customers", 5, 4, 1)]


def test_loading_twice_is_idempotent(project) -> None:
    ingest(project, DAY)
    load_date(project, DAY, TEST_KEY.encode())
    sql = "select count(*), sum(hash(customer_id, monthly_charges)) from raw.telco_customers"
    before = _query(project, sql)
    load_date(project, DAY, TEST_KEY.encode())
    assert _query(project, sql) == before


def test_load_without_partitions_says_what_to_run(project) -> None:
    with pytest.raises(TerminalError, match="no complete ingest for 2026-03-01"):
        load_date(project, DAY, TEST_KEY.encode())
