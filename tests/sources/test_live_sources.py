"""Live sources through the CLI: seed-sources + run against PostgreSQL/MariaDB, failures, and
incremental extraction down to the warehouse.

The customer reviews come from MongoDB in the live run: no MongoDB server can
run here, so the reader's client factory hands out one shared mongomock client
(seed-sources writes to it, the run reads it back).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import mongomock
import pytest
import yaml
from typer.testing import CliRunner

from churnstack.cli import app
from churnstack.generate import generate_demo
from churnstack.generate.cx import demo_customer_ids, generate_cx
from churnstack.quality.checksums import table_checksums
from churnstack.settings import DEFAULTS
from tests.conftest import telco_csv, write_project
from tests.services import Database, S3Server, closed_port, connect

REPO = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 3, 1)
CUSTOMERS = 300
# Lineage that must differ between the two runs: the run id is a hash of the inputs'
# fingerprints (a file's bytes vs. a table's rows; telemetry_id is a surrogate key of run_id
# and a check), and the source file names the file or the table a row came from.
RUN_LINEAGE = ("_run_id", "run_id", "telemetry_id", "_source_file", "source_file")
CHURN_MARTS = {
    "dim_customer",
    "dim_geography",
    "dim_service",
    "fct_churn",
    "customer_churn_analytics",
    "data_quality_metrics",
}
RAW_LINEAGE = ("_run_id", "_source_file", "_row_number")


def cli(config: Path, *args: str):
    return CliRunner().invoke(app, ["--config", str(config), *args])


def _compare_copy(
    con: duckdb.DuckDBPyConnection, source: str, schema: str, target: str, exclude: tuple[str, ...]
) -> None:
    con.execute(f"create schema {target}")
    tables = con.execute(
        "select table_name from information_schema.tables where table_catalog = ? "
        "and table_schema = ? and table_type = 'BASE TABLE'",
        [source, schema],
    ).fetchall()
    for (table,) in tables:
        if table.startswith("_"):
            continue  # _load_audit, _quarantine, _run_context: about the run itself
        columns = [
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_catalog = ? "
                "and table_schema = ? and table_name = ? order by ordinal_position",
                [source, schema, table],
            ).fetchall()
        ]
        keep = ", ".join(f'"{c}"' for c in columns if c not in exclude)
        con.execute(
            f'create table {target}."{table}" as select {keep} from {source}.{schema}."{table}"'
        )


def checksums(warehouse: Path, schema: str, exclude: tuple[str, ...]) -> dict:
    with duckdb.connect() as con:
        con.execute(f"attach '{warehouse}' as w (read_only)")
        _compare_copy(con, "w", schema, "cmp", exclude)
        return table_checksums(con, "cmp")


@pytest.mark.slow
def test_live_sources_give_the_same_marts_as_the_files(
    tmp_path: Path, postgres: Database, mariadb: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1. The file-based demo (no defects): the live project's sources, each read from the
    #    file `churnstack generate` writes for it (the embedded defaults).
    files = tmp_path / "files"
    live_spec = yaml.safe_load((REPO / "examples" / "live-sources.yml").read_text("utf-8"))
    file_sources = {
        name: DEFAULTS["sources"][name] if spec["kind"] in ("sql", "mongo") else spec
        for name, spec in live_spec["sources"].items()
    }
    file_spec = live_spec | {
        "paths": {"data": "data", "lake": "lake", "state": "state"},
        "warehouse": {"type": "duckdb", "path": "warehouse.duckdb"},
        "sources": file_sources,
    }
    files.mkdir()
    config = files / "churnstack.yml"
    config.write_text(yaml.safe_dump(file_spec), encoding="utf-8")
    generate_demo(files / "data", customers=CUSTOMERS, seed=5, as_of=DAY, defects=False)
    generate_cx(
        files / "data", customer_ids=demo_customer_ids(files / "data"), seed=5, as_of=DAY, days=3
    )
    result = cli(config, "run", "--date", DAY.isoformat())
    assert result.exit_code == 0, result.output
    args = ("--customers", str(CUSTOMERS), "--seed", "5", "--as-of", DAY.isoformat())

    # 2. The live demo: examples/live-sources.yml, seeded, in this session's schemas.
    live = tmp_path / "live" / "examples"
    live.mkdir(parents=True)
    shutil.copy(REPO / "examples" / "live-sources.yml", live / "live-sources.yml")
    live_config = live / "live-sources.yml"
    for name in ("telco_customers", "customer_location", "zip_population"):
        monkeypatch.setenv(f"CHURNSTACK__SOURCES__{name.upper()}__SCHEMA", mariadb.schema)
    monkeypatch.setenv("CHURNSTACK__SOURCES__WEB_FORMS__SCHEMA", postgres.schema)
    reviews = "CHURNSTACK__SOURCES__CUSTOMER_REVIEWS__"
    monkeypatch.setenv(reviews + "KIND", "mongo")
    monkeypatch.setenv(reviews + "URL", "mongodb://127.0.0.1:27017")
    monkeypatch.setenv(reviews + "DATABASE", "telecom_data")
    monkeypatch.setenv(reviews + "COLLECTION", "customer_reviews")
    mongo_server = mongomock.MongoClient()
    from churnstack.sources import mongo

    monkeypatch.setattr(mongo, "client_factory", lambda url, timeout: mongo_server)
    result = cli(live_config, "seed-sources", *args, "--days", "3")
    assert result.exit_code == 0, result.output
    tables = {
        r[0]
        for r in postgres.execute(
            "select table_name from information_schema.tables where table_schema = %s",
            params=(postgres.schema,),
        )
    }
    assert {f"web_form_request_2026_02_{d}" for d in (27, 28)} < tables
    assert "web_form_request_2026_03_01" in tables
    assert mongo_server.telecom_data.customer_reviews.count_documents({}) > 0
    result = cli(live_config, "run", "--date", DAY.isoformat())
    assert result.exit_code == 0, result.output

    # 3. Same marts (row counts and content), and the same raw rows.
    file_wh = files / "warehouse.duckdb"
    live_wh = tmp_path / "live" / ".churnstack-live" / "warehouse.duckdb"
    file_marts = checksums(file_wh, "marts", RUN_LINEAGE)
    live_marts = checksums(live_wh, "marts", RUN_LINEAGE)
    assert file_marts["fct_churn"][0] == CUSTOMERS
    # Other subject areas' marts come and go while their dbt models are being written; the
    # marts both warehouses have must match, and the churn marts must be among them.
    common = set(file_marts) & set(live_marts)
    assert common >= CHURN_MARTS
    assert {t: live_marts[t] for t in common} == {t: file_marts[t] for t in common}
    file_raw = checksums(file_wh, "raw", RAW_LINEAGE)
    assert file_raw["web_forms"][0] > 0 and file_raw["customer_reviews"][0] > 0
    assert checksums(live_wh, "raw", RAW_LINEAGE) == file_raw


# --- failures: one line naming the source and the problem, nothing in the lake ---------------


def _assert_clean_failure(project: Path, result, *expected: str, secret: str = "") -> None:
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    for text in expected:
        assert text in errors[0], errors[0]
    if secret:
        assert secret not in result.output
    lake = project.parent / "lake"
    assert not lake.exists() or not any(p.is_file() for p in lake.rglob("*"))


def _project(tmp_path: Path, extra: str) -> Path:
    sources = (
        "sources:\n"
        '  telco_customers: {kind: csv, path: "{data}/telco_customers.csv", required: true}\n'
        + extra
    )
    config = write_project(tmp_path, sources)
    telco_csv(tmp_path / "data" / "telco_customers.csv")
    return config


def test_missing_daily_table(tmp_path: Path, postgres: Database) -> None:
    config = _project(
        tmp_path,
        "  web_forms:\n    kind: sql\n    url: postgresql://postgres@127.0.0.1:5432/test\n"
        f"    schema: {postgres.schema}\n"
        '    table: "web_form_request_{date:%Y_%m_%d}"\n    daily: true\n    load: merge\n',
    )
    result = cli(config, "ingest", "--date", "2026-03-05")
    _assert_clean_failure(
        config,
        result,
        f"{postgres.schema}.web_form_request_2026_03_05 does not exist",
        "has not created the table for 2026-03-05",
    )


def test_wrong_password(tmp_path: Path, mariadb: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHURNSTACK_TEST_TELCO_PASSWORD", "Wr0ng-Pa55word")
    config = _project(
        tmp_path,
        "  zip_population:\n    kind: sql\n    url: mysql://root@127.0.0.1:3306/test\n"
        f"    schema: {mariadb.schema}\n    table: zips\n"
        "    password_env: CHURNSTACK_TEST_TELCO_PASSWORD\n",
    )
    result = cli(config, "ingest", "--date", "2026-03-01")
    _assert_clean_failure(
        config,
        result,
        "zip_population (mysql://127.0.0.1:3306/test)",
        "refused the credentials of user root",
        secret="Wr0ng-Pa55word",
    )


def test_unreachable_host(tmp_path: Path) -> None:
    config = _project(
        tmp_path,
        "  zip_population:\n    kind: sql\n"
        f"    url: postgresql://postgres@127.0.0.1:{closed_port()}/test\n"
        "    table: zips\n    retries: 2\n    retry_backoff: 0.01\n",
    )
    result = cli(config, "ingest", "--date", "2026-03-01")
    _assert_clean_failure(
        config,
        result,
        "zip_population (postgresql://127.0.0.1:",
        "cannot reach",
        "gave up after 2 attempts",
    )


def test_missing_bucket_key(tmp_path: Path, s3_env: S3Server) -> None:
    s3_env.client().create_bucket(Bucket="cx-failures")
    config = _project(
        tmp_path,
        "  call_logs:\n    kind: csv\n"
        '    path: "s3://cx-failures/call logs/call_logs_{date:%Y-%m-%d}.csv"\n'
        "    daily: true\n    load: merge\n    required: true\n",
    )
    result = cli(config, "ingest", "--date", "2026-03-01")
    _assert_clean_failure(
        config, result, "s3://cx-failures/call logs/call_logs_2026-03-01.csv", "object not found"
    )


def test_spreadsheet_without_a_required_column(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "agents"
    book.active.append(["iD", "NamE", "state"])
    book.active.append([1, "Ada", "CA"])
    (tmp_path / "data").mkdir(parents=True, exist_ok=True)
    book.save(tmp_path / "data" / "agents.xlsx")
    config = _project(
        tmp_path, '  agents: {kind: xlsx, path: "{data}/agents.xlsx", sheet: agents}\n'
    )
    result = cli(config, "ingest", "--date", "2026-03-01")
    _assert_clean_failure(
        config, result, "agents.xlsx#agents", "missing required column(s) experience"
    )


# --- incremental extraction, down to the warehouse --------------------------------------------


def test_incremental_rows_reach_the_warehouse_once(tmp_path: Path, postgres: Database) -> None:
    table = postgres.table("forms_live_inc")
    postgres.execute(
        f"drop table if exists {table}",
        f"create table {table} (request_id text primary key, customer_id text, agent_id int, "
        "complaint_category text, resolution_status text, request_date timestamp, "
        "resolution_date timestamp, updated_at timestamp)",
    )

    def insert(*rows: tuple[int, str, str]) -> None:
        db = connect("postgresql", postgres.url)
        with db.cursor() as cur:
            for n, status, updated in rows:
                cur.execute(
                    f"insert into {table} values (%s, '7590-VHVEG', 1, 'Data Plan', %s, "
                    "'2026-03-01 08:00', null, %s) on conflict (request_id) do update set "
                    "resolution_status = excluded.resolution_status, "
                    "updated_at = excluded.updated_at",
                    (f"WF-{n}", status, updated),
                )
        db.commit()
        db.close()

    insert((1, "Backlog", "2026-03-01 09:00"), (2, "Backlog", "2026-03-01 10:00"))
    config = _project(
        tmp_path,
        "  web_forms:\n    kind: sql\n    url: postgresql://postgres@127.0.0.1:5432/test\n"
        f"    schema: {postgres.schema}\n    table: forms_live_inc\n    daily: true\n"
        "    load: merge\n    cursor: updated_at\n    lookback: 1h\n",
    )
    for args in (("ingest", "--date", "2026-03-01"), ("load", "--date", "2026-03-01")):
        assert cli(config, *args).exit_code == 0
    # Row 1 resolved (an update), row 3 new, row 4 late but inside the 1-hour look-back.
    insert(
        (1, "Resolved", "2026-03-02 08:00"),
        (3, "Backlog", "2026-03-02 09:00"),
        (4, "Backlog", "2026-03-01 09:30"),
    )
    result = cli(config, "ingest", "--date", "2026-03-02")
    assert result.exit_code == 0, result.output
    assert cli(config, "load", "--date", "2026-03-02").exit_code == 0
    partition = tmp_path / "lake" / "raw" / "files" / "web_forms" / "dt=2026-03-02"
    with duckdb.connect() as con:
        lake_ids = con.execute(
            f"select request_id from read_parquet('{partition}/data.parquet') order by 1"
        ).fetchall()
    # Exactly the rows changed since 10:00 minus the 1-hour look-back (09:00 < updated_at).
    assert [r[0] for r in lake_ids] == ["WF-1", "WF-2", "WF-3", "WF-4"]
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select request_id, resolution_status from raw.web_forms order by 1"
        ).fetchall()
    assert rows == [
        ("WF-1", "Resolved"),
        ("WF-2", "Backlog"),
        ("WF-3", "Backlog"),
        ("WF-4", "Backlog"),
    ]
