"""SQL sources against the live PostgreSQL and MariaDB servers of the machine.

Each test session works in a private schema (see tests/services.py); a missing
server skips these tests, or fails them under CI=true.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from churnstack.errors import ConfigError, SourceError, SourceUnavailable
from churnstack.settings import SourceSettings
from churnstack.sources.extract import extract_source
from churnstack.sources.retry import RetryPolicy
from tests.services import Database, closed_port, connect

DAY = dt.date(2026, 3, 1)
COLUMNS = (
    "request_id varchar(40), customer_id varchar(20), agent_id integer, "
    "complaint_category varchar(40), resolution_status varchar(20), request_date {ts}, "
    "resolution_date {ts}"
)


def _ts(db: Database) -> str:
    return "datetime(6)" if db.scheme == "mysql" else "timestamp"


def make_table(db: Database, name: str, rows: list[tuple], key: bool = True) -> None:
    pk = ", primary key (request_id)" if key else ""
    db.execute(
        f"drop table if exists {db.table(name)}",
        f"create table {db.table(name)} ({COLUMNS.format(ts=_ts(db))}{pk})",
    )
    insert_rows(db, name, rows)


def insert_rows(db: Database, name: str, rows: list[tuple]) -> None:
    conn = connect(db.scheme, db.url)
    try:
        with conn.cursor() as cur:
            cur.executemany(
                f"insert into {db.table(name)} values (%s, %s, %s, %s, %s, %s, %s)", rows
            )
        conn.commit()
    finally:
        conn.close()


def form(n: int, when: str, customer: str = "7590-VHVEG", status: str = "Resolved") -> tuple:
    return (f"WF-{n:05d}", customer, n % 7 + 1, "Network Failure", status, when, None)


def sql_source(db: Database, tmp_path: Path, **options) -> SourceSettings:
    daily = bool(options.pop("daily", False))
    return SourceSettings(
        table="web_forms",
        kind="sql",
        path=Path(),
        daily=daily,
        load="merge",
        options={"url": db.url, "schema": db.schema, "retries": 1, **options},
        state_dir=tmp_path / "state" / "sources" / "web_forms",
    )


def test_whole_table_is_streamed_typed_and_ordered_by_key(
    database: Database, tmp_path: Path
) -> None:
    rows = [form(n, f"2026-03-01 0{n}:00:00") for n in (3, 1, 2)]
    make_table(database, "forms_whole", rows)
    source = sql_source(database, tmp_path, table="forms_whole", batch_size=2)
    item = extract_source(source, DAY)
    assert item is not None
    try:
        accepted, quarantined = item.with_lineage("r1", dt.datetime(2026, 3, 1))
        assert quarantined.num_rows == 0
        assert accepted.column("request_id").to_pylist() == ["WF-00001", "WF-00002", "WF-00003"]
        assert accepted.column("_row_number").to_pylist() == [1, 2, 3]
        assert accepted.column("request_date").to_pylist()[0] == dt.datetime(2026, 3, 1, 1)
        assert accepted.column("agent_id").to_pylist() == [2, 3, 4]
        assert item.label.endswith(f"{database.schema}.forms_whole")
        assert "@" not in item.label  # no user, no password in lineage
        spool = item.spool
        assert spool is not None and spool.exists()
    finally:
        item.close()
    assert not spool.exists()


def test_query_source_with_a_date_placeholder(mariadb: Database, tmp_path: Path) -> None:
    rows = [form(1, "2026-03-01 10:00:00"), form(2, "2026-02-27 10:00")]
    make_table(mariadb, "forms_query", rows)
    query = (
        f"select * from {mariadb.table('forms_query')} "
        "where date(request_date) = '{date:%Y-%m-%d}'"
    )
    item = extract_source(sql_source(mariadb, tmp_path, query=query), DAY)
    assert item is not None
    assert item.lake_rows == 1 and item.source_rows == 1
    item.close()


def test_daily_table_is_resolved_from_the_run_date(postgres: Database, tmp_path: Path) -> None:
    make_table(postgres, "web_form_request_2026_03_01", [form(1, "2026-03-01 10:00:00")])
    source = sql_source(postgres, tmp_path, table="web_form_request_{date:%Y_%m_%d}", daily=True)
    item = extract_source(source, DAY)
    assert item is not None and item.lake_rows == 1
    assert item.label.endswith("web_form_request_2026_03_01")
    item.close()
    with pytest.raises(SourceError) as info:
        extract_source(source, DAY + dt.timedelta(days=1))
    message = str(info.value)
    assert "table " + postgres.schema + ".web_form_request_2026_03_02 does not exist" in message
    assert "has not created the table for 2026-03-02" in message


def test_missing_required_column_fails_before_reading(database: Database, tmp_path: Path) -> None:
    database.execute(
        f"drop table if exists {database.table('forms_narrow')}",
        f"create table {database.table('forms_narrow')} (request_id varchar(10))",
    )
    with pytest.raises(SourceError, match=r"missing required column\(s\) customer_id"):
        extract_source(sql_source(database, tmp_path, table="forms_narrow"), DAY)


def test_repeated_key_in_a_later_chunk_is_quarantined(database: Database, tmp_path: Path) -> None:
    rows = [form(1, "2026-03-01 01:00:00"), form(2, "2026-03-01 02:00:00")]
    rows += [
        form(1, "2026-03-01 03:00:00"),
        ("WF-00009", "bad-id", 1, "Nope", "Resolved", "2026-03-01 04:00:00", None),
    ]
    make_table(database, "forms_dupes", rows, key=False)
    source = sql_source(
        database, tmp_path, table="forms_dupes", batch_size=2, order_by="request_date"
    )
    item = extract_source(source, DAY)
    assert item is not None
    quarantined = item.quarantined
    errors = dict(zip(quarantined["_row_number"], quarantined["_error"], strict=True))
    assert errors[3] == "duplicate key request_id (first seen on line 1)"
    assert "customer_id: 'bad-id' does not match" in errors[4]
    assert item.lake_rows == 2 and item.source_rows == 4
    item.close()


def _run_incremental(source: SourceSettings, day: dt.date) -> list[str]:
    item = extract_source(source, day)
    assert item is not None
    try:
        accepted, _ = item.with_lineage("r", dt.datetime.combine(day, dt.time()))
        item.commit()  # what ingest does once the run manifest is written
        return sorted(accepted.column("request_id").to_pylist())
    finally:
        item.close()


def test_incremental_extraction_reads_new_and_late_rows(database: Database, tmp_path: Path) -> None:
    make_table(database, "forms_inc", [form(n, f"2026-03-01 0{n}:00:00") for n in range(1, 6)])
    source = sql_source(
        database, tmp_path, table="forms_inc", cursor="request_date", lookback="90m"
    )
    assert _run_incremental(source, DAY) == [f"WF-0000{n}" for n in range(1, 6)]
    # Re-running the same date reads the same window (its own mark is never its start).
    assert _run_incremental(source, DAY) == [f"WF-0000{n}" for n in range(1, 6)]
    insert_rows(
        database,
        "forms_inc",
        [
            form(6, "2026-03-01 09:00:00"),  # new
            form(7, "2026-03-01 04:30:00"),  # late, inside the 90-minute look-back
            form(8, "2026-03-01 01:30:00"),  # late, outside it: documented as missed
        ],
    )
    next_day = DAY + dt.timedelta(days=1)
    # high-water mark 05:00 minus 90 minutes: 03:30 < request_date
    assert _run_incremental(source, next_day) == ["WF-00004", "WF-00005", "WF-00006", "WF-00007"]
    state = (source.state_dir / "cursor.json").read_text()
    assert '"2026-03-02"' in state and "2026-03-01T09:00:00" in state
    # Nothing new: only the look-back window again (merged without duplicates downstream).
    assert _run_incremental(source, next_day + dt.timedelta(days=1)) == ["WF-00006"]


def test_unreachable_server_is_transient_and_retried(tmp_path: Path) -> None:
    source = SourceSettings(
        table="web_forms",
        kind="sql",
        path=Path(),
        options={
            "url": f"postgresql://postgres@127.0.0.1:{closed_port()}/test",
            "table": "t",
            "retries": 3,
            "retry_backoff": 0.01,
            "connect_timeout": 2,
        },
    )
    with pytest.raises(SourceUnavailable) as info:
        extract_source(source, DAY)
    assert "web_forms (postgresql://127.0.0.1:" in str(info.value)
    assert "gave up after 3 attempts" in str(info.value)


def test_wrong_password_fails_at_once_without_showing_it(
    mariadb: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHURNSTACK_TEST_DB_PASSWORD", "Sup3r-Secret!pw")
    source = sql_source(
        mariadb, tmp_path, table="t", password_env="CHURNSTACK_TEST_DB_PASSWORD", retries=3
    )
    with pytest.raises(SourceError) as info:
        extract_source(source, DAY)
    message = str(info.value)
    assert "refused the credentials of user root" in message
    assert "Sup3r-Secret" not in message and "Sup3r" not in repr(info.value.__cause__)


def test_unknown_role_on_postgres_masks_the_url_password(
    postgres: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHURNSTACK_TEST_CRM_URL", "postgresql://nobody:hunter2-xyz@127.0.0.1/test")
    source = SourceSettings(
        table="web_forms",
        kind="sql",
        path=Path(),
        options={"url_env": "CHURNSTACK_TEST_CRM_URL", "table": "t", "retries": 2},
    )
    with pytest.raises(SourceError) as info:
        extract_source(source, DAY)
    assert "refused the credentials of user nobody" in str(info.value)
    assert "hunter2" not in str(info.value)


def test_passwords_never_go_in_the_project_file(tmp_path: Path) -> None:
    source = SourceSettings(
        table="web_forms",
        kind="sql",
        path=Path(),
        options={"url": "postgresql://u:pw@127.0.0.1/test", "table": "t"},
    )
    with pytest.raises(ConfigError, match="carries a password") as info:
        extract_source(source, DAY)
    assert "pw@" not in str(info.value)
    missing = SourceSettings(
        table="web_forms",
        kind="sql",
        path=Path(),
        options={"url_env": "CHURNSTACK_NOT_SET_URL", "table": "t"},
    )
    with pytest.raises(ConfigError, match="CHURNSTACK_NOT_SET_URL is not set"):
        extract_source(missing, DAY)


def test_retry_policy_backs_off_with_a_cap() -> None:
    policy = RetryPolicy(attempts=5, backoff=0.5, max_backoff=1.5)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 1.5, 1.5]
