"""Commerce (seed 002): products, campaigns, orders, order items, clickstream, inventory.

The customer 360 customers shop in the telecom's store: ``generate_commerce``
takes the :class:`~churnstack.generate.c360.CustomerBase` of the same
generation and writes

* ``products.csv`` (6 categories: plans, devices, accessories, home internet,
  streaming, protection) and ``campaigns.csv``: static files, as of the anchor;
* ``orders/``, ``order_items/``, ``clickstream/``, ``inventory/``: a
  ``history.parquet`` of the 18 months before the anchor and one
  ``YYYY-MM-DD.parquet`` per daily date, like the transactions.

Product prices change on the calendar (about one change a year per product,
drawn month by month from the seed, like the customers' moves), so
``products.csv`` written for a later ``--as-of`` shows the new prices and SCD2
has something to track; order lines carry the price in force on the order
date. Campaigns sit on a fixed calendar too (one every three weeks), so their
ids and dates do not depend on the anchor.

Orders follow the customers' segments (High-Value Travelers order most and buy
devices, Declining customers order less and less); a campaign running on the
order date for the customer's segment claims about a third of the orders
(``campaign_id`` set, a deeper discount); online and app orders come with a
clickstream session (views, add to cart, checkout, purchase), beside browsing
sessions that buy nothing, some anonymous. Inventory is a daily snapshot per
physical product and warehouse: sales draw it down, a reorder arrives after a
lead time when stock falls below its reorder point.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

from churnstack.generate._text import pick
from churnstack.generate.c360 import (
    DECLINING,
    NEW,
    SECOND_OF_DAY,
    SEGMENTS,
    CustomerBase,
    activity,
)
from churnstack.generate.geography import CITIES
from churnstack.generate.story import (
    EVENT_EPOCH,
    STREAM_CAMPAIGNS,
    STREAM_CLICKS,
    STREAM_INVENTORY,
    STREAM_ORDERS,
    STREAM_PRICE_EVENTS,
    STREAM_PRODUCTS,
    Scale,
    Window,
    cdf,
    dictionary,
    draw_rows,
    get_scale,
    rng_for,
    write_csv,
    write_daily,
)

CATEGORIES = ("Plans", "Devices", "Accessories", "Home Internet", "Streaming", "Protection")
SUBCATEGORIES: dict[str, tuple[str, ...]] = {
    "Plans": ("Prepaid", "Postpaid", "Family", "Unlimited"),
    "Devices": ("Smartphone", "Tablet", "Smartwatch", "Hotspot"),
    "Accessories": ("Case", "Charger", "Headphones", "Screen Protector", "Cable"),
    "Home Internet": ("Fiber Plan", "5G Home Plan", "Router", "Mesh Kit"),
    "Streaming": ("Video Pass", "Music Pass", "Gaming Pass", "Bundle"),
    "Protection": ("Device Insurance", "Extended Warranty", "Tech Support", "ID Protection"),
}
BRANDS = ("Nova", "Orbit", "Pulse", "Vertex", "Lumen", "Apex", "Zephyr", "Quanta")
# Share of the catalogue, price range (dollars) and cost as a share of price, per category.
_CATEGORY_SHARE = np.array([0.12, 0.20, 0.32, 0.10, 0.12, 0.14])
_PRICE_RANGE = np.array([(25, 90), (150, 1300), (9, 120), (35, 250), (5, 25), (7, 30)])
_COST_SHARE = np.array(
    [(0.30, 0.50), (0.70, 0.85), (0.30, 0.50), (0.40, 0.60), (0.50, 0.70), (0.15, 0.30)]
)
PHYSICAL = ("Devices", "Accessories", "Home Internet")  # the categories a warehouse stocks
WAREHOUSES = ("Dallas DC", "Newark DC", "Reno DC")
_WAREHOUSE_SHARE = np.array([0.45, 0.33, 0.22])

ORDER_CHANNELS = ("Online", "Mobile", "In-Store")
ORDER_STATUSES = ("completed", "cancelled", "returned")
CAMPAIGN_CHANNELS = ("Email", "Social", "Search", "Display", "SMS")
CAMPAIGN_THEMES = (
    "Device Upgrade",
    "Family Plan",
    "Accessory Bonanza",
    "Fiber Launch",
    "Streaming Bundle",
    "Loyalty Reward",
    "Holiday Deals",
    "Back to School",
)
EVENT_TYPES = ("view", "add_to_cart", "checkout", "purchase")
DEVICES = ("desktop", "mobile", "tablet")
REFERRERS = ("direct", "search", "social", "email", "display", "sms")
# A campaign order's session comes from the campaign's channel (Email -> email, ...).
_CAMPAIGN_REFERRER = np.array([3, 2, 1, 4, 5])

# Orders per month by segment (rows in SEGMENTS order), channel and category mixes.
_ORDERS_PER_MONTH = np.array([0.55, 0.32, 0.20, 0.30, 0.30])
_ORDER_CHANNEL_MIX = cdf(
    np.array(
        [
            [0.50, 0.35, 0.15],
            [0.40, 0.30, 0.30],
            [0.30, 0.25, 0.45],
            [0.35, 0.25, 0.40],
            [0.35, 0.50, 0.15],
        ]
    )
)
_ITEM_CATEGORY_MIX = cdf(
    np.array(
        [
            [0.12, 0.28, 0.28, 0.08, 0.12, 0.12],
            [0.15, 0.18, 0.34, 0.10, 0.12, 0.11],
            [0.18, 0.08, 0.44, 0.08, 0.14, 0.08],
            [0.16, 0.14, 0.36, 0.10, 0.12, 0.12],
            [0.20, 0.22, 0.30, 0.10, 0.12, 0.06],
        ]
    )
)
P_PRICE_CHANGE = 0.08  # per product and month
CAMPAIGN_EPOCH = dt.date(2020, 1, 6)
CAMPAIGN_EVERY_DAYS = 21
P_CAMPAIGN_ORDER = 0.35  # share of a running campaign's audience orders it claims
BROWSE_SESSIONS_PER_ORDER = 1.5
P_ANONYMOUS = 0.35


@dataclass(frozen=True)
class Catalogue:
    product_id: pl.Series
    category: np.ndarray  # index into CATEGORIES (products grouped by category)
    subcategory: pl.Series
    name: pl.Series
    cost_share: np.ndarray
    launched_at: np.ndarray  # datetime64[D]
    price_by_bucket: np.ndarray  # (products, buckets): price at each bucket's start
    change_day: np.ndarray  # (products, buckets): day of month of the bucket's change, 99 none
    changed_price: np.ndarray  # (products, buckets): the price after that change
    price_now: np.ndarray  # as of the anchor

    def __len__(self) -> int:
        return len(self.product_id)

    def price_on(self, product: np.ndarray, bucket: np.ndarray, day_of_month: np.ndarray):  # noqa: ANN201
        """The price in force for (product, bucket, day of month), vectorised."""
        changed = self.change_day[product, bucket] <= day_of_month
        return np.where(
            changed, self.changed_price[product, bucket], self.price_by_bucket[product, bucket]
        )

    def frame(self) -> pl.DataFrame:
        """products.csv: the catalogue as of the anchor date."""
        price = np.round(self.price_now, 2)
        return pl.DataFrame(
            {
                "product_id": self.product_id,
                "product_name": self.name,
                "category": pick(CATEGORIES, self.category),
                "subcategory": self.subcategory,
                "unit_price": price,
                "unit_cost": np.round(price * self.cost_share, 2),
                "launched_at": pl.Series(self.launched_at).cast(pl.Date),
            }
        )


def _price(raw: np.ndarray) -> np.ndarray:
    """Shelf prices end in .99 (a dollar at least)."""
    return np.maximum(np.floor(raw), 1.0) - 0.01 + 0.0


def simulate_catalogue(seed: int, scale: Scale, window: Window) -> Catalogue:
    rng = rng_for(seed, STREAM_PRODUCTS)
    n = scale.products
    counts = np.maximum(np.floor(_CATEGORY_SHARE * n).astype(np.int64), 1)
    counts[2] += n - counts.sum()
    category = np.repeat(np.arange(len(CATEGORIES)), counts)
    low, high = _PRICE_RANGE[category, 0], _PRICE_RANGE[category, 1]
    price = _price(low + (high - low) * rng.random(n) ** 1.5)
    share_low, share_high = _COST_SHARE[category, 0], _COST_SHARE[category, 1]
    cost_share = share_low + (share_high - share_low) * rng.random(n)
    sub_index = np.floor(
        rng.random(n) * np.array([len(SUBCATEGORIES[c]) for c in CATEGORIES])[category]
    ).astype(np.int64)
    offsets = np.cumsum([0] + [len(SUBCATEGORIES[c]) for c in CATEGORIES])[:-1]
    all_subcategories = [s for c in CATEGORIES for s in SUBCATEGORIES[c]]
    subcategory = pick(all_subcategories, offsets[category] + sub_index)
    name = (
        pick(BRANDS, rng.integers(0, len(BRANDS), n))
        + " "
        + subcategory
        + " "
        + pl.Series(rng.integers(100, 1000, n)).cast(pl.String)
    )
    launched = np.datetime64("2018-01-01") + rng.integers(0, 6 * 365, n).astype("timedelta64[D]")
    product_id = "P" + pl.Series(np.arange(1, n + 1)).cast(pl.String).str.zfill(5)

    buckets = window.bucket_count
    first_bucket = window.start.year * 12 + window.start.month - 1
    price_by_bucket = np.empty((n, buckets))
    change_day = np.full((n, buckets), 99, dtype=np.int64)
    changed_price = np.empty((n, buckets))
    now = None
    anchor_month = (window.anchor.year, window.anchor.month)
    for year, month in window.event_months():  # a loop over months, vectorised over products
        bucket = year * 12 + month - 1 - first_bucket
        inside = 0 <= bucket < buckets
        if inside:
            price_by_bucket[:, bucket] = price
            changed_price[:, bucket] = price
        if (year, month) < (EVENT_EPOCH.year, EVENT_EPOCH.month):
            if (year, month) == anchor_month:
                now = price.copy()
            continue
        events = rng_for(seed, STREAM_PRICE_EVENTS, year, month)
        day = events.integers(1, 29, n)
        change = events.random(n) < P_PRICE_CHANGE
        new_price = _price(price * (0.85 + 0.27 * events.random(n)) + 1)
        if inside:
            change_day[:, bucket] = np.where(change, day, 99)
            changed_price[:, bucket] = np.where(change, new_price, price)
        if (year, month) == anchor_month:
            now = np.where(change & (day <= window.anchor.day), new_price, price)
        price = np.where(change, new_price, price)
    assert now is not None
    return Catalogue(
        product_id=product_id,
        category=category,
        subcategory=subcategory,
        name=name,
        cost_share=cost_share,
        launched_at=launched.astype("datetime64[D]"),
        price_by_bucket=price_by_bucket,
        change_day=change_day,
        changed_price=changed_price,
        price_now=now,
    )


@dataclass(frozen=True)
class Campaigns:
    campaign_id: pl.Series
    start: np.ndarray  # window day index of the first day
    end: np.ndarray  # window day index of the last day
    channel: np.ndarray  # index into CAMPAIGN_CHANNELS
    target: np.ndarray  # index into SEGMENTS, or len(SEGMENTS) for "All"
    frame: pl.DataFrame


def simulate_campaigns(seed: int, window: Window) -> Campaigns:
    """The campaigns that overlap the window, from a fixed calendar (one every three weeks)."""
    first = (window.start - CAMPAIGN_EPOCH).days // CAMPAIGN_EVERY_DAYS - 3
    last = (window.end - CAMPAIGN_EPOCH).days // CAMPAIGN_EVERY_DAYS + 1
    numbers = np.arange(max(first, 0), last + 1)
    # Each campaign's attributes come from its own stream: the same whatever the anchor.
    draws = np.array([rng_for(seed, STREAM_CAMPAIGNS, int(k)).random(6) for k in numbers])
    offset = numbers * CAMPAIGN_EVERY_DAYS + np.floor(draws[:, 0] * 7).astype(np.int64)
    start_abs = np.datetime64(CAMPAIGN_EPOCH) + offset.astype("timedelta64[D]")
    length = 14 + np.floor(draws[:, 1] * 47).astype(np.int64)
    start = (start_abs - np.datetime64(window.start)).astype(np.int64)
    end = start + length - 1
    keep = (end >= 0) & (start < window.length)
    numbers, draws, start, end, start_abs, length = (
        a[keep] for a in (numbers, draws, start, end, start_abs, length)
    )
    channel = np.floor(draws[:, 2] * len(CAMPAIGN_CHANNELS)).astype(np.int64)
    target = np.minimum(np.floor(draws[:, 3] * (len(SEGMENTS) + 2)), len(SEGMENTS)).astype(int)
    theme = np.floor(draws[:, 4] * len(CAMPAIGN_THEMES)).astype(np.int64)
    budget = np.rint((5_000 + draws[:, 5] ** 2 * 115_000) / 500) * 500
    campaign_id = "CMP-" + pl.Series(numbers).cast(pl.String).str.zfill(4)
    starts = pl.Series(start_abs).cast(pl.Date)
    ends = pl.Series(start_abs + (length - 1).astype("timedelta64[D]")).cast(pl.Date)
    frame = pl.DataFrame(
        {
            "campaign_id": campaign_id,
            "campaign_name": pick(CAMPAIGN_THEMES, theme) + " " + starts.dt.strftime("%b %Y"),
            "channel": pick(CAMPAIGN_CHANNELS, channel),
            "start_date": starts,
            "end_date": ends,
            "budget": budget,
            "target_segment": pick([*SEGMENTS, "All"], target),
        }
    )
    return Campaigns(campaign_id, start, end, channel, target, frame)


@dataclass
class Orders:
    day: np.ndarray
    second: np.ndarray
    customer: np.ndarray
    bucket: np.ndarray
    segment: np.ndarray
    channel: np.ndarray
    campaign: np.ndarray  # index into the campaigns, -1 none
    status: np.ndarray  # index into ORDER_STATUSES
    order_id: pl.Series
    table: pa.Table


def _ids(prefix: str, window: Window, day: np.ndarray, width: int) -> pl.Series:
    """``<prefix><yyyymmdd>-<n>`` numbered within each day (``day`` sorted)."""
    per_day = np.bincount(day, minlength=window.length)
    sequence = np.arange(len(day)) - np.repeat(np.cumsum(per_day) - per_day, per_day) + 1
    ymd = window.yyyymmdd(np.arange(window.length))[day]
    return (
        prefix
        + pl.Series(ymd).cast(pl.String)
        + "-"
        + pl.Series(sequence).cast(pl.String).str.zfill(width)
    )


def simulate_orders(base: CustomerBase, campaigns: Campaigns, rng: np.random.Generator) -> Orders:
    window = base.window
    n, buckets = base.segment_by_bucket.shape
    act = activity(base)
    seg = base.segment_by_bucket
    trend = np.where((seg == DECLINING) | (seg == NEW), act.trend, 1.0)
    counts = rng.poisson(_ORDERS_PER_MONTH[seg] * trend * act.width / 30.44).ravel()
    cell = np.repeat(np.arange(n * buckets), counts)
    day = act.first_day.ravel()[cell] + np.floor(
        rng.random(len(cell)) * act.width.ravel()[cell]
    ).astype(np.int64)
    order = np.argsort(day, kind="stable")
    cell, day = cell[order], day[order]
    total = len(cell)
    customer, bucket = np.divmod(cell, buckets)
    segment = seg.ravel()[cell]
    second = SECOND_OF_DAY[(rng.random(total, dtype=np.float32) * 65536).astype(np.int32)]
    channel = draw_rows(rng, _ORDER_CHANNEL_MIX, segment)
    campaign = np.full(total, -1)
    claim = rng.random((len(campaigns.start), total), dtype=np.float32) < P_CAMPAIGN_ORDER
    for k in range(len(campaigns.start)):  # a loop over campaigns, vectorised over orders
        running = (day >= campaigns.start[k]) & (day <= campaigns.end[k])
        audience = (campaigns.target[k] == len(SEGMENTS)) | (segment == campaigns.target[k])
        campaign = np.where(running & audience & claim[k], k, campaign)
    status = draw_rows(rng, cdf(np.array([[0.90, 0.05, 0.05]])), np.zeros(total, np.int8))
    order_id = _ids("O", window, day, 5)
    states = pick([c.state for c in CITIES], base.city_by_bucket.ravel()[cell])
    campaign_ids = pl.Series(
        pl.concat([campaigns.campaign_id, pl.Series([None], dtype=pl.String)])
    ).gather(pl.Series(np.where(campaign >= 0, campaign, len(campaigns.start))))
    table = pa.table(
        {
            "order_id": order_id.to_arrow(),
            "customer_id": dictionary(customer, base.customer_id),
            "ordered_at": window.timestamps(day, second),
            "channel": dictionary(channel, ORDER_CHANNELS),
            "campaign_id": campaign_ids.to_arrow(),
            "status": dictionary(status, ORDER_STATUSES),
            "shipping_state": states.to_arrow(),
        }
    )
    return Orders(
        day, second, customer, bucket, segment, channel, campaign, status, order_id, table
    )


@dataclass
class Items:
    order: np.ndarray  # index into the orders
    product: np.ndarray
    quantity: np.ndarray
    table: pa.Table


def simulate_items(
    orders: Orders, catalogue: Catalogue, window: Window, rng: np.random.Generator
) -> Items:
    lines = np.minimum(1 + rng.poisson(0.8, len(orders.day)), 6)
    order = np.repeat(np.arange(len(orders.day)), lines)
    line = np.arange(len(order)) - np.repeat(np.cumsum(lines) - lines, lines) + 1
    category = draw_rows(rng, _ITEM_CATEGORY_MIX, orders.segment[order])
    per_category = np.bincount(catalogue.category, minlength=len(CATEGORIES))
    first_of_category = np.cumsum(per_category) - per_category
    popular = rng.random(len(order)) ** 2  # a few products sell most
    product = first_of_category[category] + np.floor(popular * per_category[category]).astype(
        np.int64
    )
    extra = np.where(CATEGORIES.index("Accessories") == category, 0.6, 0.08)
    quantity = 1 + rng.poisson(extra)
    day = orders.day[order]
    dom = (window.yyyymmdd(day) % 100).astype(np.int64)
    price = catalogue.price_on(product, orders.bucket[order], dom)
    campaign = orders.campaign[order] >= 0
    discount = np.where(
        campaign,
        np.array([0.05, 0.10, 0.15, 0.20])[rng.integers(0, 4, len(order))],
        np.where(rng.random(len(order)) < 0.85, 0.0, 0.05),
    )
    table = pa.table(
        {
            "order_item_id": (
                orders.order_id.gather(pl.Series(order)) + "-" + pl.Series(line).cast(pl.String)
            ).to_arrow(),
            "order_id": orders.order_id.gather(pl.Series(order)).to_arrow(),
            "product_id": dictionary(product, catalogue.product_id),
            "quantity": pa.array(quantity, type=pa.int64()),
            "unit_price": pa.array(np.round(price, 2), type=pa.float64()),
            "discount": pa.array(discount, type=pa.float64()),
        }
    )
    return Items(order, product, quantity, table)


def simulate_clickstream(
    base: CustomerBase,
    orders: Orders,
    items: Items,
    campaigns: Campaigns,
    catalogue: Catalogue,
    rng: np.random.Generator,
) -> tuple[pa.Table, np.ndarray]:
    """Sessions of online/app orders (views, add to cart, checkout, purchase) plus browsing."""
    window = base.window
    online = orders.channel != ORDER_CHANNELS.index("In-Store")
    # Buying sessions: one per online order, ending with the purchase at the order's time.
    buying = np.flatnonzero(online)
    start = orders.day[buying] * 86_400 + orders.second[buying] - 1800
    item_rows = np.flatnonzero(online[items.order])
    session_of_item = np.searchsorted(buying, items.order[item_rows])
    # Browsing sessions: customers of random orders (so the active shop more), some anonymous.
    browse = int(len(orders.day) * BROWSE_SESSIONS_PER_ORDER)
    like = rng.integers(0, max(len(orders.day), 1), browse) if len(orders.day) else np.zeros(0, int)
    browse_day = rng.integers(0, window.length, browse)
    browse_start = (
        browse_day * 86_400
        + SECOND_OF_DAY[(rng.random(browse, dtype=np.float32) * 65536).astype(np.int32)]
    )
    browse_views = 1 + rng.poisson(1.5, browse)

    session_start = np.concatenate([start, browse_start])
    session_customer = np.concatenate([orders.customer[buying], orders.customer[like]])
    anonymous = np.concatenate([np.zeros(len(buying), bool), rng.random(browse) < P_ANONYMOUS])
    buying_referrer = np.where(
        orders.campaign[buying] >= 0,
        _CAMPAIGN_REFERRER[campaigns.channel[np.maximum(orders.campaign[buying], 0)]],
        draw_rows(rng, cdf(np.array([[0.45, 0.35, 0.20]])), np.zeros(len(buying), np.int8)),
    )
    referrer = np.concatenate(
        [
            buying_referrer,
            draw_rows(rng, cdf(np.array([[0.4, 0.35, 0.15, 0.1]])), np.zeros(browse, np.int8)),
        ]
    )
    device = np.concatenate(
        [
            np.where(
                orders.channel[buying] == ORDER_CHANNELS.index("Mobile"),
                1,
                np.where(rng.random(len(buying)) < 0.8, 0, 2),
            ),
            draw_rows(rng, cdf(np.array([[0.45, 0.45, 0.10]])), np.zeros(browse, np.int8)),
        ]
    )

    # Events: per bought item a view and an add_to_cart, then checkout and purchase;
    # per browsing session some views and, now and then, an abandoned cart.
    ev_session = [session_of_item, session_of_item, np.arange(len(buying)), np.arange(len(buying))]
    ev_type = [
        np.zeros(len(item_rows)),
        np.ones(len(item_rows)),
        np.full(len(buying), 2),
        np.full(len(buying), 3),
    ]
    ev_product = [
        items.product[item_rows],
        items.product[item_rows],
        np.full(len(buying), -1),
        np.full(len(buying), -1),
    ]
    ev_offset = [
        rng.integers(0, 600, len(item_rows)),
        600 + rng.integers(0, 600, len(item_rows)),
        np.full(len(buying), 1500),
        np.full(len(buying), 1800),
    ]
    view_session = len(buying) + np.repeat(np.arange(browse), browse_views)
    carts = np.flatnonzero(rng.random(browse) < 0.22)
    ev_session += [view_session, len(buying) + carts]
    ev_type += [np.zeros(len(view_session)), np.ones(len(carts))]
    viewed = rng.integers(0, len(catalogue), len(view_session))
    ev_product += [viewed, rng.integers(0, len(catalogue), len(carts))]
    ev_offset += [rng.integers(0, 900, len(view_session)), np.full(len(carts), 950)]
    session = np.concatenate(ev_session).astype(np.int64)
    kind = np.concatenate(ev_type).astype(np.int64)
    product = np.concatenate(ev_product).astype(np.int64)
    at = session_start[session] + np.concatenate(ev_offset)
    at = np.clip(at, 0, window.length * 86_400 - 1)
    order = np.lexsort((kind, at))
    session, kind, product, at = session[order], kind[order], product[order], at[order]
    day = at // 86_400

    session_day = np.clip(session_start // 86_400, 0, window.length - 1)
    session_order = np.argsort(session_day, kind="stable")
    session_id = _ids("S", window, session_day[session_order], 6).gather(
        pl.Series(np.argsort(session_order))
    )
    customer_labels = pl.concat([base.customer_id, pl.Series([None], dtype=pl.String)])
    who = np.where(anonymous, len(base.customer_id), session_customer)
    products = pl.concat([catalogue.product_id, pl.Series([None], dtype=pl.String)])
    table = pa.table(
        {
            "event_id": _ids("E", window, day, 7).to_arrow(),
            "session_id": session_id.gather(pl.Series(session)).to_arrow(),
            "customer_id": customer_labels.gather(pl.Series(who[session])).to_arrow(),
            "event_type": dictionary(kind, EVENT_TYPES),
            "product_id": products.gather(
                pl.Series(np.where(product >= 0, product, len(catalogue)))
            ).to_arrow(),
            "event_at": window.timestamps(np.zeros(len(at), np.int64), at),
            "device": dictionary(device[session], DEVICES),
            "referrer": dictionary(referrer[session], REFERRERS),
        }
    )
    return table, day


def simulate_inventory(
    catalogue: Catalogue,
    items: Items,
    orders: Orders,
    window: Window,
    warehouses: int,
    rng: np.random.Generator,
) -> tuple[pa.Table, np.ndarray]:
    """Daily on-hand and on-order per physical product and warehouse (a loop over days)."""
    physical = np.flatnonzero(np.isin(catalogue.category, [CATEGORIES.index(c) for c in PHYSICAL]))
    share = _WAREHOUSE_SHARE[:warehouses] / _WAREHOUSE_SHARE[:warehouses].sum()
    days = window.length
    sold = orders.status != ORDER_STATUSES.index("cancelled")
    keep = sold[items.order] & np.isin(items.product, physical)
    slot = np.searchsorted(physical, items.product[keep])
    demand = np.bincount(
        slot * days + orders.day[items.order[keep]],
        weights=items.quantity[keep],
        minlength=len(physical) * days,
    ).reshape(len(physical), days)
    stock = demand[:, None, :] * share[None, :, None]  # (product, warehouse, day)
    daily = stock.mean(axis=2) + 0.05
    lead = rng.integers(4, 11, (len(physical), warehouses))
    reorder_point = np.ceil(daily * (lead + 7))
    up_to = np.ceil(daily * (lead + 35)) + 5
    on_hand = np.floor(up_to * (0.5 + 0.5 * rng.random(up_to.shape)))
    on_order = np.zeros_like(on_hand)
    arrives = np.full(on_hand.shape, -1)
    noise = rng.random((days, *on_hand.shape))
    hand_out = np.empty((days, *on_hand.shape), dtype=np.int64)
    order_out = np.empty_like(hand_out)
    for t in range(days):  # a loop over days, vectorised over product x warehouse
        arrived = arrives == t
        on_hand = on_hand + np.where(arrived, on_order, 0)
        on_order = np.where(arrived, 0, on_order)
        # Whole units leave the shelf (stochastic rounding of the warehouse's share).
        wanted = np.floor(stock[:, :, t] + noise[t])
        on_hand = np.maximum(on_hand - wanted, 0)
        reorder = (on_hand <= reorder_point) & (on_order == 0)
        on_order = np.where(reorder, up_to - on_hand, on_order)
        arrives = np.where(reorder, t + lead, arrives)
        hand_out[t], order_out[t] = on_hand, on_order
    cells = len(physical) * warehouses
    day = np.repeat(np.arange(days), cells)
    product = np.tile(np.repeat(physical, warehouses), days)
    warehouse = np.tile(np.tile(np.arange(warehouses), len(physical)), days)
    table = pa.table(
        {
            "snapshot_date": window.timestamps(day, np.zeros(len(day), np.int64)),
            "product_id": dictionary(product, catalogue.product_id),
            "warehouse": dictionary(warehouse, WAREHOUSES),
            "on_hand": pa.array(hand_out.reshape(-1), type=pa.int64()),
            "on_order": pa.array(order_out.reshape(-1), type=pa.int64()),
        }
    )
    return table, day


@dataclass(frozen=True)
class CommerceFiles:
    """What :func:`generate_commerce` wrote."""

    products: Path
    campaigns: Path
    folders: dict[str, Path] = field(default_factory=dict)  # daily table -> its folder
    counts: dict[str, int] = field(default_factory=dict)  # file -> rows


def generate_commerce(
    out_dir: Path, *, base: CustomerBase, scale: str | Scale = "small", seed: int = 42
) -> CommerceFiles:
    """Write the commerce sources for the customers (and window) of a c360 generation."""
    scale = get_scale(scale)
    window = base.window
    out_dir = Path(out_dir)
    catalogue = simulate_catalogue(seed, scale, window)
    campaigns = simulate_campaigns(seed, window)
    products_path, campaigns_path = out_dir / "products.csv", out_dir / "campaigns.csv"
    write_csv(catalogue.frame(), products_path)
    write_csv(campaigns.frame, campaigns_path)
    counts = {"products.csv": len(catalogue), "campaigns.csv": campaigns.frame.height}
    order_rng = rng_for(seed, STREAM_ORDERS)
    orders = simulate_orders(base, campaigns, order_rng)
    items = simulate_items(orders, catalogue, window, order_rng)
    clicks, click_day = simulate_clickstream(
        base, orders, items, campaigns, catalogue, rng_for(seed, STREAM_CLICKS)
    )
    stock, stock_day = simulate_inventory(
        catalogue, items, orders, window, scale.warehouses, rng_for(seed, STREAM_INVENTORY)
    )
    folders: dict[str, Path] = {}
    daily = {
        "orders": (orders.table, orders.day),
        "order_items": (items.table, orders.day[items.order]),
        "clickstream": (clicks, click_day),
        "inventory": (stock, stock_day),
    }
    for table_name, (table, day) in daily.items():
        folder = out_dir / table_name
        folders[table_name] = folder
        written = write_daily(table, day, window, folder)
        counts |= {f"{table_name}/{name}": rows for name, rows in written.items()}
    return CommerceFiles(
        products=products_path, campaigns=campaigns_path, folders=folders, counts=counts
    )
