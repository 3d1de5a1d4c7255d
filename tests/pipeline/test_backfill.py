"""Backfills: every date in order, static sources on the last date only, re-runs reproduce."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from churnstack.errors import ConfigError
from churnstack.pipeline.run import backfill_dates, ingest
from churnstack.quality.checksums import table_checksums
from churnstack.settings import load_settings
from churnstack.sources.contracts import CONTRACTS
from churnstack.warehouse.load import load_date
from tests.conftest import CHURN_AREA, TEST_KEY, telco_csv, write_project
from tests.e2e_support import DemoProject
from tests.support.daily import EVENTS, EVENTS_SOURCE, write_events

START = date(2026, 2, 1)
SOURCES = (
    "sources:\n"
    '  telco_customers: {kind: csv, path: "{data}/telco_customers.csv", required: true}\n'
    + EVENTS_SOURCE
)


@pytest.fixture
def events_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(CONTRACTS, EVENTS.table, EVENTS)


def _project(root: Path, days: int) -> DemoProject:
    config = write_project(root, SOURCES, select=CHURN_AREA)
    telco_csv(root / "data" / "telco_customers.csv")
    for offset in range(days):
        write_events(root / "data", START + timedelta(days=offset), late_update=offset > 0)
    return DemoProject(root=root, config=config)


def _lake_digest(lake: Path) -> dict[str, str]:
    return {
        str(p.relative_to(lake)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(lake.rglob("*"))
        if p.is_file()
    }


def _raw_state(settings) -> tuple[dict, list]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        sums = table_checksums(con, "raw")
        duplicates = con.execute(
            "select event_id from raw.test_events group by event_id having count(*) > 1"
        ).fetchall()
    return sums, duplicates


def test_backfill_dates_are_in_order_and_mark_the_last() -> None:
    days = list(backfill_dates(START, START + timedelta(days=2)))
    assert [d for d, _ in days] == [START, START + timedelta(days=1), START + timedelta(days=2)]
    assert [last for _, last in days] == [False, False, True]
    with pytest.raises(ConfigError, match="is before"):
        list(backfill_dates(START, START - timedelta(days=1)))


def test_thirty_day_backfill_twice_is_identical(events_contract, tmp_path: Path) -> None:
    """The extract + load half of a backfill, 30 dates, run twice (dbt is covered below)."""
    project = _project(tmp_path, 30)
    settings = load_settings(project.config, environ={}, cwd=tmp_path)
    end = START + timedelta(days=29)
    states = []
    for _attempt in range(2):
        for day, last in backfill_dates(START, end):
            result = ingest(settings, day, refresh_static=last)
            assert ("telco_customers" in {e.table for e in result.extracted}) == last
            load_date(settings, day, TEST_KEY.encode())
        states.append((_raw_state(settings), _lake_digest(settings.lake_path)))
    (first_raw, first_lake), (second_raw, second_lake) = states
    assert first_raw == second_raw
    assert first_lake == second_lake
    sums, duplicates = first_raw
    assert duplicates == []
    assert sums["test_events"][0] == 30 * 5
    assert sums["telco_customers"][0] == 4


def test_backfill_command_builds_publishes_and_reproduces(events_contract, tmp_path: Path) -> None:
    project = _project(tmp_path, 3)
    settings = load_settings(project.config, environ={}, cwd=tmp_path)
    end = START + timedelta(days=2)
    marts = []
    for _attempt in range(2):
        result = project.cli("backfill", "--start", START.isoformat(), "--end", end.isoformat())
        assert result.exit_code == 0, result.output
        assert "backfill: 3 run dates" in result.output
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            marts.append((table_checksums(con, "marts"), table_checksums(con, "raw")))
    assert marts[0] == marts[1]
    runs = project.cli("status", "--limit", "6").output
    assert runs.count("`backfill`") == 6
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        metrics = con.execute("select run_date from marts.data_quality_metrics").fetchall()
    # only the tested (last) date of a backfill records data-quality history
    assert [str(r[0]) for r in metrics] == ["2026-02-03"]
