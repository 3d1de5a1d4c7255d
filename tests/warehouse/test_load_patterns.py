"""The two load patterns: swap for reference tables, merge for daily tables."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from churnstack.pipeline.run import ingest
from churnstack.settings import load_settings
from churnstack.sources.contracts import CONTRACTS
from churnstack.warehouse.load import load_date
from tests.conftest import TELCO_ROWS, TEST_KEY, telco_csv, write_project
from tests.support.daily import EVENTS, EVENTS_SOURCE, write_events

DAY = date(2026, 3, 1)
KEY = TEST_KEY.encode()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(CONTRACTS, EVENTS.table, EVENTS)
    sources = (
        "sources:\n"
        '  telco_customers: {kind: csv, path: "{data}/telco_customers.csv", required: true}\n'
        + EVENTS_SOURCE
    )
    settings = load_settings(write_project(tmp_path, sources), environ={}, cwd=tmp_path)
    telco_csv(tmp_path / "data" / "telco_customers.csv")
    return settings


def _rows(settings, sql: str):
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _load(settings, day: date) -> None:
    ingest(settings, day)
    load_date(settings, day, KEY)


def test_merge_upserts_on_the_natural_key(project, tmp_path: Path) -> None:
    for offset in range(3):
        write_events(tmp_path / "data", DAY + timedelta(days=offset), late_update=offset > 0)
        _load(project, DAY + timedelta(days=offset))
    # 3 days x 5 new events; the daily late update changes an existing row, adds none
    assert _rows(project, "select count(*), count(distinct event_id) from raw.test_events") == [
        (15, 15)
    ]
    updated = _rows(
        project,
        "select amount, _run_id, _source_file from raw.test_events where event_id = ?".replace(
            "?", "'E20260301-0'"
        ),
    )
    assert updated[0][0] == 2.25  # the update that arrived on 2026-03-02
    assert updated[0][2] == "data/events/2026-03-02.csv"


def test_merging_the_same_date_twice_changes_nothing(project, tmp_path: Path) -> None:
    write_events(tmp_path / "data", DAY)
    _load(project, DAY)
    sql = "select count(*), sum(hash(t)) from raw.test_events as t"
    before = _rows(project, sql)
    _load(project, DAY)
    assert _rows(project, sql) == before


def test_duplicates_within_a_day_are_quarantined_not_merged(project, tmp_path: Path) -> None:
    path = write_events(tmp_path / "data", DAY)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("E20260301-1,C9,99.00,2026-03-01T09:00:00Z\n")
    _load(project, DAY)
    assert _rows(project, "select amount from raw.test_events where event_id = 'E20260301-1'") == [
        (11.5,)
    ]
    assert _rows(project, "select _error from raw._quarantine where _table = 'test_events'") == [
        ("duplicate key event_id (first seen on line 3)",)
    ]


def test_missing_daily_file_leaves_the_table_as_it_was(project, tmp_path: Path) -> None:
    write_events(tmp_path / "data", DAY, late_update=False)
    _load(project, DAY)
    _load(project, DAY + timedelta(days=1))  # no file for that day: optional, absent
    assert _rows(project, "select count(*) from raw.test_events") == [(5,)]
    assert _rows(
        project, "select status from raw._load_audit where table_name = 'test_events'"
    ) == [("absent",)]


def test_failed_swap_leaves_the_old_table(project, tmp_path: Path) -> None:
    _load(project, DAY)
    before = _rows(project, "select count(*) from raw.telco_customers")
    telco_csv(tmp_path / "data" / "telco_customers.csv", TELCO_ROWS[:2])
    ingest(project, DAY + timedelta(days=1))
    partition = project.lake_path / "raw/files/telco_customers/dt=2026-03-02/data.parquet"
    partition.write_bytes(b"not parquet at all")
    with pytest.raises(duckdb.Error):
        load_date(project, DAY + timedelta(days=1), KEY)
    assert _rows(project, "select count(*) from raw.telco_customers") == before
