"""End to end for customer 360 and commerce: initial load, a daily run, SCD2, telemetry.

One project is built per module: Telco, customer 360 and commerce sources
generated for 2026-03-01 (history + two daily files), ``churnstack run`` for
that date (the initial load), one customer moved to another city, ``churnstack
run`` for 2026-03-02 (a daily load). The tests read it; the telemetry tests
corrupt copies of its warehouse and rebuild only the telemetry model and its
tests, which is enough to show each check failing and stopping publication.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from churnstack.generate import generate_demo
from churnstack.generate.c360 import generate_c360
from churnstack.generate.commerce import generate_commerce
from churnstack.generate.story import Scale
from churnstack.quality.checksums import table_checksums
from churnstack.serving.publish import current_publication
from churnstack.settings import Settings, load_settings
from churnstack.transform.dbt import invoke
from tests.conftest import TEST_KEY, write_project
from tests.e2e_support import DemoProject

pytestmark = pytest.mark.slow

D1, D2 = date(2026, 3, 1), date(2026, 3, 2)
SCALE = Scale("e2e", customers=400, products=40, warehouses=2)  # small: 400 customers
TELCO_CUSTOMERS = 300  # fewer than the 360 file: 100 customers have no Telco account
DAILY = ("transactions", "orders", "order_items", "clickstream", "inventory")
SOURCES = textwrap.dedent(
    """
    sources:
      telco_customers: {kind: csv, path: "{data}/telco_customers.csv", required: true}
      customer_location: {kind: csv, path: "{data}/customer_location.csv"}
      zip_population: {kind: csv, path: "{data}/zip_population.csv"}
      customer_reviews: {kind: jsonl, path: "{data}/customer_reviews.jsonl"}
      customers: {kind: csv, path: "{data}/customers.csv"}
      products: {kind: csv, path: "{data}/products.csv"}
      campaigns: {kind: csv, path: "{data}/campaigns.csv"}
    """
) + "".join(
    f'  {t}: {{kind: parquet, path: "{{data}}/{t}/{{date}}.parquet", '
    "history: history.parquet, daily: true, load: merge}\n"
    for t in DAILY
)
NEW_MARTS = {
    "dim_customer_history",
    "dim_date",
    "dim_merchant_category",
    "dim_product",
    "dim_campaign",
    "fct_transactions",
    "fct_orders",
    "fct_order_items",
    "fct_clickstream",
    "fct_inventory",
    "customer_segments",
    "customer_360_profile",
    "metric_customer_ltv",
    "metric_mom_spend_change",
    "metric_avg_transaction_value",
    "rfm_scores",
    "cohort_retention",
    "sales_daily",
    "sales_monthly",
    "product_performance",
    "campaign_attribution",
    "data_quality_telemetry",
    "v_data_quality_dashboard",
    "v_segment_performance",
}


@dataclass
class Built:
    project: DemoProject
    moved: str  # the customer who moved between the two runs
    old_city: str
    new_city: str
    history_rows: int
    day_rows: dict[date, int]
    raw_after_d1: int


def _settings(project: DemoProject) -> Settings:
    return load_settings(project.config, environ={}, cwd=project.root)


def _warehouse(project: DemoProject, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(_settings(project).warehouse_path), read_only=read_only)


def _run(project: DemoProject, *args: str):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHURNSTACK_PSEUDONYM_KEY", TEST_KEY)
        return project.cli(*args)


def _move_a_customer(data: Path) -> tuple[str, str, str]:
    """Move a customer who buys on D2 (and before) to another city in customers.csv."""
    today = pl.read_parquet(data / "transactions" / f"{D2}.parquet")
    customers = pl.read_csv(data / "customers.csv", infer_schema=False)
    moved = str(today["customer_id"].cast(pl.String).sort()[0])
    old_city = customers.filter(pl.col("customer_id") == moved)["city"][0]
    new_city, new_state = ("Reno", "NV") if old_city != "Reno" else ("Boston", "MA")
    customers = customers.with_columns(
        pl.when(pl.col("customer_id") == moved)
        .then(pl.lit(new_city))
        .otherwise(pl.col("city"))
        .alias("city"),
        pl.when(pl.col("customer_id") == moved)
        .then(pl.lit(new_state))
        .otherwise(pl.col("state"))
        .alias("state"),
    )
    customers.write_csv(data / "customers.csv")
    return moved, old_city, new_city


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("c360-e2e")
    config = write_project(root, SOURCES)
    data = root / "data"
    generate_demo(data, customers=TELCO_CUSTOMERS, seed=7, as_of=D1, defects=False)
    c360 = generate_c360(
        data, scale=SCALE, seed=7, as_of=D1, days=1, telco_customers=TELCO_CUSTOMERS
    )
    generate_commerce(data, base=c360.base, scale=SCALE, seed=7)
    project = DemoProject(root=root, config=config)
    result = _run(project, "run", "--date", D1.isoformat())
    assert result.exit_code == 0, result.output
    with _warehouse(project) as con:
        raw_after_d1 = con.execute("select count(*) from raw.transactions").fetchall()[0][0]
    moved, old_city, new_city = _move_a_customer(data)
    result = _run(project, "run", "--date", D2.isoformat())
    assert result.exit_code == 0, result.output
    counts = c360.counts
    return Built(
        project=project,
        moved=moved,
        old_city=old_city,
        new_city=new_city,
        history_rows=counts["transactions/history.parquet"],
        day_rows={d: counts[f"transactions/{d}.parquet"] for d in (D1, D2)},
        raw_after_d1=raw_after_d1,
    )


def test_the_first_run_loads_the_history_and_later_runs_the_day(built: Built) -> None:
    assert built.raw_after_d1 == built.history_rows + built.day_rows[D1]
    with _warehouse(built.project) as con:
        total = con.execute("select count(*) from raw.transactions").fetchall()[0][0]
        labels = dict(
            con.execute(
                "select _load_time::date, any_value(_source_file) from raw.transactions group by 1"
            ).fetchall()
        )
    assert total == built.history_rows + built.day_rows[D1] + built.day_rows[D2]
    assert labels[D1].endswith(
        "transactions/history.parquet + data/transactions/2026-03-01.parquet"
    )
    assert labels[D2].endswith("transactions/2026-03-02.parquet")
    assert "history" not in labels[D2]


def test_a_move_gives_two_adjacent_versions(built: Built) -> None:
    with _warehouse(built.project) as con:
        versions = con.execute(
            "select city, valid_from, valid_to, is_current, version_number "
            "from marts.dim_customer_history where customer_id = ? order by version_number",
            [built.moved],
        ).fetchall()
        changed = con.execute(
            "select count(*) from marts.dim_customer_history where version_number > 1"
        ).fetchall()[0][0]
    assert versions == [
        (built.old_city, datetime(1900, 1, 1), datetime(2026, 3, 2), False, 1),
        (built.new_city, datetime(2026, 3, 2), datetime(9999, 12, 31), True, 2),
    ]
    assert changed == 1  # nobody else changed between the two runs


def test_transactions_join_the_version_valid_on_their_date(built: Built) -> None:
    with _warehouse(built.project) as con:
        rows = con.execute(
            "select t.transaction_date = date '2026-03-02' as on_d2, h.city, count(*) "
            "from marts.fct_transactions as t "
            "join marts.dim_customer_history as h using (customer_version_key) "
            "where t.customer_id = ? group by all order by 1",
            [built.moved],
        ).fetchall()
        orphans = con.execute(
            "select count(*) from marts.fct_transactions where customer_version_key is null"
        ).fetchall()[0][0]
    assert [(r[0], r[1]) for r in rows] == [(False, built.old_city), (True, built.new_city)]
    assert orphans == 0


def test_fct_transactions_reconcile_with_the_lake(built: Built) -> None:
    lake = _settings(built.project).lake_path / "raw" / "files" / "transactions"
    with _warehouse(built.project) as con:
        lake_rows, lake_approved = con.execute(
            "select count(*), sum(case when status = 'approved' then transaction_amount end)"
            "::decimal(18, 2) from ("
            f"  select * from read_parquet('{lake}/dt=*/data.parquet') "
            "   qualify row_number() over (partition by transaction_id "
            "   order by _load_time desc) = 1)"
        ).fetchall()[0]
        fact_rows, fact_approved = con.execute(
            "select count(*), sum(approved_amount) from marts.fct_transactions"
        ).fetchall()[0]
        ltv = con.execute("select sum(lifetime_value) from marts.metric_customer_ltv").fetchall()
    assert fact_rows == lake_rows
    assert fact_approved == lake_approved
    assert ltv == [(fact_approved,)]


def test_every_run_records_twelve_passing_checks_and_publishes(built: Built) -> None:
    settings = _settings(built.project)
    with _warehouse(built.project) as con:
        checks = con.execute(
            "select run_date, count(*), count(*) filter (where status = 'pass') "
            "from marts.data_quality_telemetry group by 1 order by 1"
        ).fetchall()
        profile = con.execute(
            "select count(*), count(*) filter (where has_telco_account) "
            "from marts.customer_360_profile"
        ).fetchall()[0]
        segments = con.execute(
            "select as_of_date, count(*) from marts.customer_segments group by 1 order by 1"
        ).fetchall()
    assert checks == [(D1, 12, 12), (D2, 12, 12)]
    assert profile == (SCALE.customers, TELCO_CUSTOMERS)
    assert segments == [(D1, SCALE.customers), (D2, SCALE.customers)]
    publication = current_publication(settings)
    assert publication is not None and publication.run_date == D2.isoformat()
    assert set(publication.tables) >= NEW_MARTS


def test_rerunning_the_daily_date_changes_nothing(built: Built, tmp_path: Path) -> None:
    copy = DemoProject(root=tmp_path / "copy", config=tmp_path / "copy" / built.project.config.name)
    shutil.copytree(built.project.root, copy.root)
    with _warehouse(copy) as con:
        before = table_checksums(con, "marts")
        snapshots = table_checksums(con, "snapshots")
    result = _run(copy, "run", "--date", D2.isoformat())
    assert result.exit_code == 0, result.output
    with _warehouse(copy) as con:
        assert table_checksums(con, "marts") == before
        assert table_checksums(con, "snapshots") == snapshots


# --- each telemetry check can be made to fail -----------------------------------------

LAST_ID = "(select max(transaction_id) from raw.transactions)"
FIRST_ID = "(select min(transaction_id) from raw.transactions)"
CORRUPTIONS = {
    "row_count": "delete from raw.transactions where transaction_id % 2 = 0",
    "unique_transaction_ids": "insert into raw.transactions select * from raw.transactions limit 1",
    "null_values": (
        f"update raw.transactions set merchant_name = null where transaction_id = {FIRST_ID}"
    ),
    "customer_representation": (
        "insert into raw.customers select * replace ('9999-ZZZZZ' as customer_id) "
        "from raw.customers limit 1"
    ),
    "referential_integrity": (
        f"update raw.transactions set customer_id = '0000-AAAAA' where transaction_id = {FIRST_ID}"
    ),
    "date_range": (
        "update raw.transactions set transaction_date = transaction_date + interval 30 day "
        f"where transaction_id = {LAST_ID}"
    ),
    "transaction_amounts": (
        f"update raw.transactions set transaction_amount = -5 where transaction_id = {FIRST_ID}"
    ),
    "status_distribution": (
        "update raw.transactions set status = 'declined' where transaction_id % 10 = 0"
    ),
    "channel_distribution": (
        "update raw.transactions set channel = 'Online' where channel = 'Mobile'"
    ),
    "merchant_category_distribution": (
        "update raw.transactions set merchant_category = 'Groceries' where transaction_id % 2 = 0"
    ),
    "segment_patterns": (
        "update raw.customers set customer_segment = case customer_segment "
        "when 'High-Value Travelers' then 'Budget-Conscious' "
        "when 'Budget-Conscious' then 'High-Value Travelers' else customer_segment end"
    ),
    "monthly_trends": (
        "delete from raw.transactions "
        "where transaction_date >= date '2025-06-01' and transaction_date < date '2025-07-01'"
    ),
}


@dataclass
class Prepared:
    project: DemoProject
    pristine: Path  # the warehouse as built, restored before each corruption


@pytest.fixture(scope="module")
def prepared(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    root = tmp_path_factory.mktemp("c360-telemetry") / "project"
    shutil.copytree(built.project.root, root)
    project = DemoProject(root=root, config=root / built.project.config.name)
    pristine = root.parent / "pristine.duckdb"
    shutil.copyfile(_settings(project).warehouse_path, pristine)
    return Prepared(project=project, pristine=pristine)


def _corrupt(prepared: Prepared, statement: str) -> Settings:
    settings = _settings(prepared.project)
    shutil.copyfile(prepared.pristine, settings.warehouse_path)
    with _warehouse(prepared.project, read_only=False) as con:
        con.execute(statement)
    return settings


@pytest.mark.parametrize("check", sorted(CORRUPTIONS))
def test_each_check_fails_on_a_corrupted_load(prepared: Prepared, check: str) -> None:
    settings = _corrupt(prepared, CORRUPTIONS[check])
    result = invoke(settings, "build", "--select", "data_quality_telemetry+")
    assert not result.success
    failed = {n.name for n in result.problems}
    assert "assert_data_quality_telemetry_passes" in failed
    with _warehouse(prepared.project) as con:
        status = dict(
            con.execute(
                "select check_name, status from marts.data_quality_telemetry where run_date = ?",
                [D2],
            ).fetchall()
        )
    assert status[check] == "fail", status


def test_a_failing_check_stops_publication(prepared: Prepared) -> None:
    settings = _corrupt(prepared, CORRUPTIONS["transaction_amounts"])
    published = current_publication(settings)
    result = _run(prepared.project, "transform", "--date", D2.isoformat())
    assert result.exit_code == 1
    assert "nothing published" in result.output
    assert current_publication(settings) == published
