"""The customer 360 generator (seed 003): customers, segments, transactions, daily files."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from churnstack.generate import generate_demo
from churnstack.generate.c360 import (
    CUSTOMER_COLUMNS,
    SEGMENTS,
    generate_c360,
    shared_customer_ids,
    simulate_customer_base,
)
from churnstack.generate.story import HISTORY_FILE, Scale, Window, add_months

ANCHOR = dt.date(2026, 3, 1)
TINY = Scale("tiny", customers=400, products=30, warehouses=2)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("c360")
    files = generate_c360(folder, scale=TINY, seed=11, as_of=ANCHOR, days=2, telco_customers=300)
    return folder, files


def _transactions(folder: Path) -> duckdb.DuckDBPyRelation:
    con = duckdb.connect()
    return con.sql(
        f"select * from read_parquet('{folder}/transactions/*.parquet', filename = true)"
    )


def _customers(folder: Path) -> pl.DataFrame:
    return pl.read_csv(folder / "customers.csv", infer_schema=False)


def test_customers_have_the_seed_003_columns_and_exact_segment_shares(generated) -> None:
    folder, _ = generated
    customers = _customers(folder)
    assert tuple(customers.columns) == CUSTOMER_COLUMNS
    assert customers.height == TINY.customers
    assert customers["customer_id"].n_unique() == TINY.customers
    counts = dict(customers["customer_segment"].value_counts().iter_rows())
    assert set(counts) == set(SEGMENTS)
    # Declining and New & Growing keep their exact 10 %; the three steady segments trade a
    # few customers through dated segment moves, around 15 / 40 / 25 %.
    assert counts["Declining"] == counts["New & Growing"] == 40
    nominal = {"High-Value Travelers": 60, "Stable Mid-Spenders": 160, "Budget-Conscious": 100}
    for segment, expected in nominal.items():
        assert abs(counts[segment] - expected) <= 0.15 * expected, segment
    base = simulate_customer_base(11, TINY, Window(ANCHOR, 2), 300)
    assert np.bincount(base.segment).tolist() == [60, 160, 100, 40, 40]  # exact shares
    declining = customers.filter(pl.col("customer_segment") == "Declining")
    assert set(declining["decline_type"].to_list()) <= {"gradual", "sudden"}
    assert customers.filter(pl.col("customer_segment") != "Declining")[
        "decline_type"
    ].null_count() == (TINY.customers - 40)


def test_ids_are_the_telco_files_ids_then_an_extension(tmp_path: Path) -> None:
    telco = generate_demo(tmp_path, customers=250, seed=5, as_of=ANCHOR, defects=False)
    written = pl.read_csv(telco.telco_customers, columns=["customerID"])["customerID"].to_list()
    more = shared_customer_ids(5, 250, 400).to_list()
    fewer = shared_customer_ids(5, 250, 100).to_list()
    assert more[:250] == written
    assert fewer == written[:100]
    assert len(set(more)) == 400
    assert all(len(i) == 10 and i[4] == "-" for i in more[250:])


def test_history_ends_the_day_before_the_anchor_and_days_follow(generated) -> None:
    folder, files = generated
    names = sorted(p.name for p in (folder / "transactions").glob("*.parquet"))
    assert names == ["2026-03-01.parquet", "2026-03-02.parquet", "2026-03-03.parquet", HISTORY_FILE]
    con = duckdb.connect()
    history = con.execute(
        "select min(transaction_date)::date, max(transaction_date)::date, count(*) "
        f"from read_parquet('{folder}/transactions/{HISTORY_FILE}')"
    ).fetchall()[0]
    assert history[0] == add_months(ANCHOR, -18)
    assert history[1] == ANCHOR - dt.timedelta(days=1)
    assert history[2] == files.counts[f"transactions/{HISTORY_FILE}"]
    for day in ("2026-03-01", "2026-03-02", "2026-03-03"):
        dates = con.execute(
            "select distinct transaction_date::date "
            f"from read_parquet('{folder}/transactions/{day}.parquet')"
        ).fetchall()
        assert dates == [(dt.date.fromisoformat(day),)]


def test_transactions_match_seed_003(generated) -> None:
    folder, _ = generated
    rel = _transactions(folder)
    total, distinct, approved, customers = rel.aggregate(
        "count(*), count(distinct transaction_id), avg((status = 'approved')::int), "
        "count(distinct customer_id)"
    ).fetchall()[0]
    assert total == distinct  # ids unique across history and daily files
    assert 200 < total / TINY.customers < 340  # seed 003: ~270 per customer over 18 months
    assert 0.95 < approved < 0.99
    assert customers == TINY.customers
    channels = dict(rel.aggregate("channel, count(*)").fetchall())
    assert set(channels) == {"Online", "In-Store", "Mobile"}
    assert min(channels.values()) / total > 0.1
    amounts = rel.aggregate("min(transaction_amount), max(transaction_amount)").fetchall()[0]
    assert amounts[0] > 0 and amounts[1] < 10_000


def test_segments_have_their_own_level_and_trend(generated) -> None:
    folder, _ = generated
    con = duckdb.connect()
    con.register("customers", _customers(folder).to_arrow())
    con.execute(
        "create view t as select t.*, c.customer_segment as segment from "
        f"read_parquet('{folder}/transactions/*.parquet') as t "
        "join customers as c using (customer_id) where status = 'approved'"
    )
    ticket = dict(
        con.execute("select segment, avg(transaction_amount) from t group by 1").fetchall()
    )
    assert (
        ticket["High-Value Travelers"] > ticket["Stable Mid-Spenders"] > ticket["Budget-Conscious"]
    )
    first, last = add_months(ANCHOR, -17), add_months(ANCHOR, -3)

    def spend(segment: str, start: dt.date, end: dt.date) -> float:
        return (
            con.execute(
                "select sum(transaction_amount) from t where segment = ? "
                "and transaction_date >= ? and transaction_date < ?",
                [segment, start, end],
            ).fetchall()[0][0]
            or 0.0
        )

    early = spend("Declining", first, add_months(first, 3))
    late = spend("Declining", last, ANCHOR)
    assert late < 0.7 * early  # Declining really declines
    growing_early = spend("New & Growing", add_months(ANCHOR, -6), add_months(ANCHOR, -3))
    assert spend("New & Growing", last, ANCHOR) > growing_early  # New & Growing grows
    stable = spend("Stable Mid-Spenders", last, ANCHOR) / spend(
        "Stable Mid-Spenders", first, add_months(first, 3)
    )
    assert 0.8 < stable < 1.25


def test_same_inputs_give_the_same_bytes(generated, tmp_path: Path) -> None:
    folder, _ = generated
    generate_c360(tmp_path, scale=TINY, seed=11, as_of=ANCHOR, days=2, telco_customers=300)

    def digest(root: Path) -> dict[str, str]:
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and (p.name == "customers.csv" or "transactions" in p.parts)
        }

    assert digest(tmp_path) == digest(folder)


def test_a_later_as_of_shows_dated_changes_for_the_same_customers(tmp_path: Path) -> None:
    later = ANCHOR + dt.timedelta(days=120)
    generate_c360(tmp_path / "a", scale=TINY, seed=11, as_of=ANCHOR, days=0, telco_customers=300)
    generate_c360(tmp_path / "b", scale=TINY, seed=11, as_of=later, days=0, telco_customers=300)
    before, after = _customers(tmp_path / "a"), _customers(tmp_path / "b")
    assert before["customer_id"].to_list() == after["customer_id"].to_list()
    for column in ("first_name", "last_name", "email", "age", "card_type"):
        assert before[column].to_list() == after[column].to_list(), column
    moved = (before["city"] != after["city"]).sum()
    raised = (before["credit_limit"] != after["credit_limit"]).sum()
    resegmented = before.filter(before["customer_segment"] != after["customer_segment"])
    assert 0 < moved < 0.2 * TINY.customers  # ~1 % of customers move each month
    assert 0 < raised < 0.2 * TINY.customers
    assert resegmented.height > 0
    steady = {"High-Value Travelers", "Stable Mid-Spenders", "Budget-Conscious"}
    assert set(resegmented["customer_segment"].to_list()) <= steady


def test_bad_days_are_refused(tmp_path: Path) -> None:
    from churnstack.errors import TerminalError

    with pytest.raises(TerminalError, match="days"):
        generate_c360(tmp_path, scale=TINY, as_of=ANCHOR, days=-1)
    with pytest.raises(TerminalError, match="scale"):
        generate_c360(tmp_path, scale="huge", as_of=ANCHOR)
