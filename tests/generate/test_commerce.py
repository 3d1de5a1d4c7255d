"""The commerce generator (seed 002): catalogue, campaigns, orders, clickstream, inventory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest

from churnstack.generate.c360 import generate_c360
from churnstack.generate.commerce import (
    CATEGORIES,
    PHYSICAL,
    generate_commerce,
    simulate_catalogue,
)
from churnstack.generate.story import HISTORY_FILE, Scale, Window

ANCHOR = dt.date(2026, 3, 1)
TINY = Scale("tiny", customers=300, products=60, warehouses=2)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("commerce")
    c360 = generate_c360(folder, scale=TINY, seed=3, as_of=ANCHOR, days=1, telco_customers=300)
    files = generate_commerce(folder, base=c360.base, scale=TINY, seed=3)
    con = duckdb.connect()
    for table in ("orders", "order_items", "clickstream", "inventory"):
        con.execute(
            f"create view {table} as select * from read_parquet('{folder}/{table}/*.parquet')"
        )
    for table in ("products", "campaigns", "customers"):
        con.execute(f"create view {table} as select * from read_csv('{folder}/{table}.csv')")
    return folder, files, con


def test_files_are_written_per_day_like_the_transactions(shop) -> None:
    folder, files, _ = shop
    for table in ("orders", "order_items", "clickstream", "inventory"):
        names = sorted(p.name for p in (folder / table).glob("*.parquet"))
        assert names == ["2026-03-01.parquet", "2026-03-02.parquet", HISTORY_FILE], table
        assert files.counts[f"{table}/{HISTORY_FILE}"] > 0
    assert files.products.name == "products.csv" and files.campaigns.name == "campaigns.csv"


def test_catalogue_has_six_categories_and_sane_prices(shop) -> None:
    _, _, con = shop
    rows = con.execute(
        "select category, count(*), min(unit_price), bool_and(unit_cost < unit_price) "
        "from products group by 1"
    ).fetchall()
    assert {r[0] for r in rows} == set(CATEGORIES)
    assert all(r[2] > 0 and r[3] for r in rows)
    assert con.execute("select count(distinct product_id) from products").fetchall() == [(60,)]


def test_orders_items_and_events_reference_each_other(shop) -> None:
    _, _, con = shop

    def count(sql: str) -> int:
        return int(con.execute(sql).fetchall()[0][0])

    assert count("select count(*) from orders") > 0
    assert count("select count(*) - count(distinct order_id) from orders") == 0
    assert (
        count(
            "select count(*) from orders "
            "where customer_id not in (select customer_id from customers)"
        )
        == 0
    )
    assert (
        count(
            "select count(*) from order_items where order_id not in (select order_id from orders)"
        )
        == 0
    )
    assert (
        count(
            "select count(*) from orders where order_id not in (select order_id from order_items)"
        )
        == 0
    )
    assert (
        count(
            "select count(*) from order_items "
            "where product_id not in (select product_id from products)"
        )
        == 0
    )
    assert (
        count(
            "select count(*) from clickstream where product_id is not null "
            "and product_id not in (select product_id from products)"
        )
        == 0
    )
    # Every online or app order has exactly one purchase event at its time.
    online = count("select count(*) from orders where channel <> 'In-Store'")
    assert count("select count(*) from clickstream where event_type = 'purchase'") == online
    anonymous = count("select avg((customer_id is null)::int) * 100 from clickstream")
    assert 5 < anonymous < 40


def test_campaign_orders_fall_in_their_campaign(shop) -> None:
    _, _, con = shop
    rows = con.execute(
        "select count(*), count(*) filter (where o.ordered_at::date "
        "between c.start_date and c.end_date "
        "and (c.target_segment = 'All' or c.target_segment = cu.customer_segment)) "
        "from orders o join campaigns c using (campaign_id) join customers cu using (customer_id)"
    ).fetchall()[0]
    assert rows[0] > 0
    # The order's segment is the customer's segment at the time; a few moved since.
    assert rows[1] >= 0.9 * rows[0]
    discounted = con.execute(
        "select avg(i.discount) from order_items i join orders o using (order_id) "
        "where o.campaign_id is not null"
    ).fetchall()[0][0]
    assert discounted >= 0.05


def test_inventory_is_a_daily_snapshot_of_physical_products(shop) -> None:
    _, _, con = shop
    window = Window(ANCHOR, 1)
    physical = con.execute(
        "select count(*) from products where category in ?", [list(PHYSICAL)]
    ).fetchall()[0][0]
    rows, days, negative = con.execute(
        "select count(*), count(distinct snapshot_date), count(*) filter (where on_hand < 0) "
        "from inventory"
    ).fetchall()[0]
    assert days == window.length
    assert rows == physical * TINY.warehouses * window.length
    assert negative == 0
    assert con.execute("select count(*) from inventory where on_order > 0").fetchall()[0][0] > 0


def test_order_lines_carry_the_price_in_force_on_the_order_date(shop) -> None:
    folder, _, con = shop
    catalogue = simulate_catalogue(3, TINY, Window(ANCHOR, 1))
    changed = int((catalogue.change_day < 99).sum())
    assert changed > 0  # some prices changed within the window
    distinct = con.execute(
        "select count(*) from (select product_id from order_items "
        "group by product_id having count(distinct unit_price) > 1)"
    ).fetchall()[0][0]
    assert distinct > 0


def test_a_later_as_of_shows_new_prices_for_the_same_products(tmp_path: Path) -> None:
    later = ANCHOR + dt.timedelta(days=180)
    frames = []
    for name, day in (("a", ANCHOR), ("b", later)):
        base = generate_c360(tmp_path / name, scale=TINY, seed=3, as_of=day, days=0).base
        generate_commerce(tmp_path / name, base=base, scale=TINY, seed=3)
        frames.append(pl.read_csv(tmp_path / name / "products.csv"))
    before, after = frames
    assert before["product_id"].to_list() == after["product_id"].to_list()
    assert before["product_name"].to_list() == after["product_name"].to_list()
    repriced = (before["unit_price"] != after["unit_price"]).sum()
    assert 0 < repriced < len(before)
    campaigns = [pl.read_csv(tmp_path / n / "campaigns.csv") for n in ("a", "b")]
    shared = campaigns[0].join(campaigns[1], on="campaign_id", suffix="_later")
    assert shared.height > 0  # the campaign calendar does not depend on the anchor
    assert (shared["start_date"] == shared["start_date_later"]).all()
