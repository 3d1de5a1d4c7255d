"""Customer 360 (seed 003): card customers in five segments and their transactions.

``generate_c360`` writes ``customers.csv`` (the customers as of the anchor
date) and ``transactions/``: ``history.parquet`` (the 18 months that end the
day before the anchor) plus one ``YYYY-MM-DD.parquet`` per day from the anchor
to ``days`` days later, so daily runs have something new to load.

The customers are the Telco churn area's customers: the same ids, in the same
order, as ``telco_customers.csv`` (drawn with the same function from the same
random stream), extended with more ids drawn the same way when the scale asks
for more customers than the Telco file has.

Segments (exact shares): High-Value Travelers 15 %, Stable Mid-Spenders 40 %,
Budget-Conscious 25 %, Declining 10 %, New & Growing 10 %. Each has its own
monthly frequency, amount level, merchant mix and channel mix; Declining
customers' frequency and amounts fall after a decline start in the last 15
months (``gradual``: a little every month, ``sudden``: to 30 % at once), New &
Growing customers opened their account 2-12 months before the anchor and spend
more every month. Over 18 months a customer makes ~270 transactions on average
(~13.5M for the large scale's 50,000 customers), about 97 % approved.

Identities and base attributes (names, email, age, card) depend on the seed
only; the changes SCD2 tracks (city and segment moves, credit-limit raises)
are calendar events (see :mod:`churnstack.generate.story`), so a later
``--as-of`` shows the same customers with the changes dated in between. The
spending story itself (decline starts, New & Growing openings, the
transactions) is laid out relative to the anchor, so every generation has
18 months that tell it.

Everything is drawn column-wise with NumPy and written with Arrow: no Python
loop over customers or transactions (only over months and days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

from churnstack.errors import TerminalError
from churnstack.generate._text import pick
from churnstack.generate.geography import CITIES
from churnstack.generate.story import (
    EVENT_EPOCH,
    STREAM_CUSTOMER_EVENTS,
    STREAM_CUSTOMERS,
    STREAM_IDS,
    STREAM_TRANSACTIONS,
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
from churnstack.generate.telco import customer_ids

SEGMENTS = (
    "High-Value Travelers",
    "Stable Mid-Spenders",
    "Budget-Conscious",
    "Declining",
    "New & Growing",
)
SEGMENT_SHARES = np.array([0.15, 0.40, 0.25, 0.10, 0.10])
HIGH_VALUE, STABLE, BUDGET, DECLINING, NEW = range(5)
DECLINE_TYPES = ("gradual", "sudden")

CUSTOMER_COLUMNS = (
    "customer_id",
    "first_name",
    "last_name",
    "email",
    "age",
    "state",
    "city",
    "employment_status",
    "card_type",
    "credit_limit",
    "account_open_date",
    "customer_segment",
    "decline_type",
)
CHANNELS = ("Online", "In-Store", "Mobile")
STATUSES = ("approved", "declined")
EMPLOYMENT = ("Employed", "Self-Employed", "Retired", "Student", "Unemployed")
CARD_TYPES = ("Travel Rewards", "Platinum", "Gold", "Cashback", "Standard", "Secured")

FIRST_NAMES = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Carlos",
    "Karen",
    "Daniel",
    "Lisa",
    "Matthew",
    "Nancy",
    "Anthony",
    "Sandra",
    "Mark",
    "Ashley",
    "Donald",
    "Kimberly",
    "Steven",
    "Emily",
    "Andrew",
    "Donna",
    "Joshua",
    "Michelle",
    "Kevin",
    "Carol",
    "Brian",
    "Amanda",
    "George",
    "Melissa",
    "Luis",
    "Deborah",
    "Wei",
    "Stephanie",
    "Raj",
    "Rebecca",
    "Ahmed",
    "Sharon",
    "Kenji",
    "Laura",
    "Jose",
    "Cynthia",
    "Omar",
    "Amy",
    "Diego",
    "Angela",
    "Minh",
    "Maria",
]
LAST_NAMES = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Chen",
    "Patel",
    "Kim",
    "Singh",
    "Tanaka",
    "Cohen",
    "Okafor",
    "Rossi",
    "Novak",
    "Silva",
]
EMAIL_DOMAINS = ("example.com", "mail.example.org", "inbox.example.net", "post.example.com")

MERCHANT_CATEGORIES = (
    "Airlines",
    "Hotels",
    "Restaurants",
    "Groceries",
    "Gas & Fuel",
    "Retail",
    "Entertainment",
    "Utilities",
    "Healthcare",
    "Online Services",
)
MERCHANTS: dict[str, tuple[str, ...]] = {
    "Airlines": (
        "Delta Air Lines",
        "United Airlines",
        "American Airlines",
        "Southwest Airlines",
        "Alaska Airlines",
        "JetBlue",
        "Air Canada",
        "Lufthansa",
    ),
    "Hotels": (
        "Marriott",
        "Hilton",
        "Hyatt",
        "IHG Hotels",
        "Best Western",
        "Airbnb",
        "Wyndham",
        "Four Seasons",
    ),
    "Restaurants": (
        "Chipotle",
        "Starbucks",
        "Olive Garden",
        "Panera Bread",
        "Shake Shack",
        "Local Bistro",
        "Sushi House",
        "Taqueria El Sol",
        "Pizza Corner",
        "Blue Bottle Coffee",
    ),
    "Groceries": (
        "Safeway",
        "Kroger",
        "Whole Foods",
        "Trader Joe's",
        "Costco",
        "Ralphs",
        "Albertsons",
        "Sprouts",
        "Aldi",
    ),
    "Gas & Fuel": ("Shell", "Chevron", "Exxon", "BP", "Arco", "76 Station", "Valero"),
    "Retail": (
        "Target",
        "Walmart",
        "Best Buy",
        "Macy's",
        "Home Depot",
        "IKEA",
        "Nordstrom",
        "REI",
        "Nike Store",
    ),
    "Entertainment": (
        "AMC Theatres",
        "Ticketmaster",
        "Regal Cinemas",
        "Live Nation",
        "Bowlero",
        "Steam",
    ),
    "Utilities": ("PG&E", "SoCal Edison", "Comcast", "AT&T", "Verizon", "City Water Dept"),
    "Healthcare": ("CVS Pharmacy", "Walgreens", "Kaiser Permanente", "Rite Aid", "Dental Care Co"),
    "Online Services": (
        "Amazon",
        "Netflix",
        "Spotify",
        "Apple",
        "Google",
        "Uber",
        "DoorDash",
        "Lyft",
    ),
}
MERCHANT_NAMES = tuple(name for cat in MERCHANT_CATEGORIES for name in MERCHANTS[cat])
_MERCHANT_COUNT = np.array([len(MERCHANTS[c]) for c in MERCHANT_CATEGORIES])
_MERCHANT_OFFSET32 = np.concatenate([[0], np.cumsum(_MERCHANT_COUNT)[:-1]]).astype(np.int32)
_MERCHANT_COUNT32 = _MERCHANT_COUNT.astype(np.float32)
# Typical ticket (dollars) per merchant category.
_CATEGORY_MEDIAN32 = np.array(
    [380.0, 240.0, 34.0, 58.0, 42.0, 72.0, 38.0, 105.0, 70.0, 19.0], dtype=np.float32
)

# Per segment (rows in SEGMENTS order): transactions per month, amount factor, decline rate.
_FREQUENCY = np.array([22.8, 16.8, 13.0, 15.0, 14.0])
_AMOUNT_FACTOR = np.array([1.55, 1.0, 0.5, 0.9, 0.8], dtype=np.float32)
_DECLINED = np.array([0.015, 0.025, 0.045, 0.05, 0.035], dtype=np.float32)
_CATEGORY_MIX = cdf(
    np.array(
        [  # Air  Hotel Rest  Groc  Gas   Retail Ent  Util  Health Online
            [0.12, 0.10, 0.20, 0.12, 0.08, 0.12, 0.08, 0.05, 0.04, 0.09],
            [0.02, 0.02, 0.17, 0.24, 0.13, 0.14, 0.08, 0.08, 0.05, 0.07],
            [0.005, 0.005, 0.12, 0.32, 0.16, 0.12, 0.06, 0.10, 0.05, 0.06],
            [0.02, 0.02, 0.15, 0.26, 0.14, 0.13, 0.07, 0.09, 0.05, 0.07],
            [0.02, 0.02, 0.20, 0.20, 0.10, 0.14, 0.12, 0.06, 0.03, 0.11],
        ]
    )
)
_CHANNEL_MIX = cdf(
    np.array(
        [
            [0.45, 0.25, 0.30],
            [0.30, 0.45, 0.25],
            [0.20, 0.60, 0.20],
            [0.30, 0.50, 0.20],
            [0.35, 0.15, 0.50],
        ]
    )
)
_CARD_MIX = cdf(
    np.array(
        [  # Travel Platinum Gold Cashback Standard Secured
            [0.55, 0.35, 0.10, 0.0, 0.0, 0.0],
            [0.05, 0.05, 0.35, 0.35, 0.20, 0.0],
            [0.0, 0.0, 0.05, 0.35, 0.55, 0.05],
            [0.05, 0.05, 0.25, 0.35, 0.30, 0.0],
            [0.0, 0.0, 0.05, 0.30, 0.45, 0.20],
        ]
    )
)
_CARD_LIMIT = np.array(
    [
        (15_000, 40_000),
        (20_000, 50_000),
        (8_000, 20_000),
        (5_000, 15_000),
        (2_000, 8_000),
        (500, 2_000),
    ]
)
_AGE = np.array([(46.0, 9.0), (44.0, 12.0), (38.0, 14.0), (50.0, 13.0), (29.0, 7.0)])
# Seasonality of spend by calendar month (Jan..Dec) and the hour of day of a purchase.
_SEASON = np.array([0.92, 0.90, 0.98, 1.0, 1.02, 1.04, 1.06, 1.03, 0.98, 1.0, 1.08, 1.19])
_HOUR_WEIGHT = np.array(
    [1, 0.6, 0.4, 0.3, 0.3, 0.6, 1.5, 3, 4, 5, 5.5, 6.5, 7.5, 6.5, 5.5, 5.5, 6, 6.5, 7, 6.5, 5]
    + [3.5, 2.5, 1.5]
)


def _second_of_day_table(steps: int = 65536) -> np.ndarray:
    """Inverse CDF of the second of the day (uniform within each hour), as a lookup table."""
    hours = np.concatenate([[0.0], np.cumsum(_HOUR_WEIGHT / _HOUR_WEIGHT.sum())])
    u = (np.arange(steps) + 0.5) / steps
    hour = np.minimum(np.searchsorted(hours, u, side="right") - 1, 23)
    inside = (u - hours[hour]) / (hours[hour + 1] - hours[hour])
    return (hour * 3600 + np.floor(inside * 3600)).astype(np.int32)


SECOND_OF_DAY = _second_of_day_table()

# Calendar events per customer and month (see story.py): moving city, a new segment
# (among the three steady segments), a credit-limit raise.
P_MOVE = 0.01
P_RESEGMENT = 0.006
P_LIMIT_RAISE = 0.01
_ESTABLISHED_OPEN = (dt.date(2008, 1, 1), dt.date(2022, 12, 31))
_NO_DECLINE = 10**6


@dataclass
class CustomerBase:
    """The 360 customers: attributes as of the anchor and their state month by month."""

    window: Window
    customer_id: pl.Series
    segment: np.ndarray  # base segment per customer (index into SEGMENTS)
    segment_by_bucket: np.ndarray  # (customers, buckets): segment at each bucket's start
    city_by_bucket: np.ndarray  # (customers, buckets): index into CITIES
    open_index: np.ndarray  # account opening, as a window day index (negative: before)
    decline_index: np.ndarray  # decline start (Declining customers), window day index
    sudden: np.ndarray  # bool: a sudden decline (else gradual)
    as_of: pl.DataFrame  # customers.csv: every CUSTOMER_COLUMNS column as of the anchor

    def __len__(self) -> int:
        return len(self.customer_id)


def shared_customer_ids(seed: int, telco_customers: int, count: int) -> pl.Series:
    """``count`` customer ids: the Telco file's ids first, then more drawn the same way.

    The Telco file's ids are the first draw of the first of four random streams
    that :func:`churnstack.generate.generate_demo` spawns from its seed, for one
    customer more than it writes (its planted truncated line); the extension
    comes from its own stream and never repeats a Telco id.
    """
    telco_rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(4)[0])
    telco = customer_ids(telco_rng, telco_customers + 1)
    if count <= telco_customers:
        return telco.slice(0, count)
    need = count - telco_customers
    pool = customer_ids(rng_for(seed, STREAM_IDS), need + need // 10 + 16)
    pool = pool.filter(~pool.is_in(telco.implode()))
    return pl.concat([telco.slice(0, telco_customers), pool.slice(0, need)])


def simulate_customer_base(
    seed: int, scale: Scale, window: Window, telco_customers: int
) -> CustomerBase:
    n = scale.customers
    rng = rng_for(seed, STREAM_CUSTOMERS)
    counts = np.floor(SEGMENT_SHARES * n).astype(np.int64)
    counts[STABLE] += n - counts.sum()
    segment = rng.permutation(np.repeat(np.arange(5, dtype=np.int8), counts))

    first = rng.integers(0, len(FIRST_NAMES), n)
    last = rng.integers(0, len(LAST_NAMES), n)
    email_number = rng.integers(1, 100, n)
    domain = rng.integers(0, len(EMAIL_DOMAINS), n)
    age = np.clip(np.rint(rng.normal(_AGE[segment, 0], _AGE[segment, 1])), 18, 85).astype(int)
    # Employment by age: students are young, retirees old.
    employment = draw_rows(
        rng,
        cdf(
            np.array(
                [
                    [0.42, 0.06, 0.0, 0.45, 0.07],
                    [0.78, 0.14, 0.0, 0.0, 0.08],
                    [0.18, 0.10, 0.70, 0.0, 0.02],
                ]
            )
        ),
        np.select([age < 24, age >= 65], [0, 2], 1),
    )
    card = draw_rows(rng, _CARD_MIX, segment)
    low, high = _CARD_LIMIT[card, 0], _CARD_LIMIT[card, 1]
    limit = np.rint((low + rng.random(n) * (high - low)) / 500) * 500
    weights = np.array([c.weight for c in CITIES])
    city = rng.choice(len(CITIES), size=n, p=weights / weights.sum())
    span = (_ESTABLISHED_OPEN[1] - _ESTABLISHED_OPEN[0]).days
    established = rng.integers(0, span + 1, n) + (_ESTABLISHED_OPEN[0] - window.start).days
    new_offset = 60 + np.floor(rng.random(n) * 305).astype(np.int64)
    decline_offset = 90 + np.floor(rng.random(n) * 360).astype(np.int64)
    sudden = rng.random(n) < 0.4

    open_index = np.where(segment == NEW, window.anchor_index - new_offset, established)
    decline_index = np.where(
        segment == DECLINING, window.anchor_index - decline_offset, _NO_DECLINE
    )
    segment_by_bucket, city_by_bucket, now = _replay_events(seed, window, segment, city, limit)
    now_segment, now_city, now_limit = now

    ids = shared_customer_ids(seed, telco_customers, n)
    first_names = pick(FIRST_NAMES, first)
    last_names = pick(LAST_NAMES, last)
    emails = (
        first_names.str.to_lowercase()
        + "."
        + last_names.str.to_lowercase().str.replace_all("'", "")
        + pl.Series(email_number).cast(pl.String)
        + "@"
        + pick(EMAIL_DOMAINS, domain)
    )
    open_dates = pl.Series((open_index + window.epoch_days()).astype("datetime64[D]")).cast(pl.Date)
    as_of = pl.DataFrame(
        {
            "customer_id": ids,
            "first_name": first_names,
            "last_name": last_names,
            "email": emails,
            "age": age,
            "state": pick([c.state for c in CITIES], now_city),
            "city": pick([c.name for c in CITIES], now_city),
            "employment_status": pick(EMPLOYMENT, employment),
            "card_type": pick(CARD_TYPES, card),
            "credit_limit": now_limit.astype(np.float64),
            "account_open_date": open_dates,
            "customer_segment": pick(SEGMENTS, now_segment),
            "decline_type": pl.select(
                pl.when(pl.Series(segment == DECLINING))
                .then(pick(DECLINE_TYPES, sudden.astype(np.int64)))
                .otherwise(None)
            ).to_series(),
        }
    )
    return CustomerBase(
        window=window,
        customer_id=ids,
        segment=segment,
        segment_by_bucket=segment_by_bucket,
        city_by_bucket=city_by_bucket,
        open_index=open_index,
        decline_index=decline_index,
        sudden=sudden,
        as_of=as_of,
    )


def _replay_events(
    seed: int, window: Window, segment: np.ndarray, city: np.ndarray, limit: np.ndarray
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Apply the calendar events month by month (a loop over months, vectorised over customers).

    Returns the segment and city at the start of every bucket of the window, and
    (segment, city, credit limit) as of the anchor date.
    """
    n = len(segment)
    buckets = window.bucket_count
    first_bucket = window.start.year * 12 + window.start.month - 1
    segment_by_bucket = np.empty((n, buckets), dtype=np.int8)
    city_by_bucket = np.empty((n, buckets), dtype=np.int16)
    seg, town, credit = segment.copy(), city.copy(), limit.copy()
    movable = segment <= BUDGET  # Declining and New & Growing keep their segment
    steady = cdf(SEGMENT_SHARES[:3])
    weights = np.array([c.weight for c in CITIES])
    weights = weights / weights.sum()
    now = None
    anchor_month = (window.anchor.year, window.anchor.month)
    for year, month in window.event_months():
        bucket = year * 12 + month - 1 - first_bucket
        if 0 <= bucket < buckets:
            segment_by_bucket[:, bucket] = seg
            city_by_bucket[:, bucket] = town
        if (year, month) < (EVENT_EPOCH.year, EVENT_EPOCH.month):
            if (year, month) == anchor_month:
                now = (seg.copy(), town.copy(), credit.copy())
            continue
        rng = rng_for(seed, STREAM_CUSTOMER_EVENTS, year, month)
        day = rng.integers(1, 29, n)  # events fall on days 1-28
        moves = rng.random(n) < P_MOVE
        new_town = rng.choice(len(CITIES), size=n, p=weights)
        resegments = movable & (rng.random(n) < P_RESEGMENT)
        new_seg = np.searchsorted(steady, rng.random(n, dtype=np.float32), side="right")
        raises = rng.random(n) < P_LIMIT_RAISE
        raised = np.rint(credit * 1.15 / 500) * 500
        if (year, month) == anchor_month:
            due = day <= window.anchor.day
            now = (
                np.where(resegments & due, np.minimum(new_seg, 2), seg).astype(np.int8),
                np.where(moves & due, new_town, town),
                np.where(raises & due, raised, credit),
            )
        seg = np.where(resegments, np.minimum(new_seg, 2), seg).astype(np.int8)
        town = np.where(moves, new_town, town).astype(np.int16)
        credit = np.where(raises, raised, credit)
    assert now is not None  # the anchor month is always inside the window
    return segment_by_bucket, city_by_bucket, now


@dataclass(frozen=True)
class Activity:
    """Per customer and month bucket: the days a customer can act, and how active they are."""

    first_day: np.ndarray  # first day index a customer can act in the bucket (after opening)
    width: np.ndarray  # days they can act in the bucket (0 before the account opened)
    trend: np.ndarray  # frequency multiplier: Declining falls, New & Growing ramps up
    amount_trend: np.ndarray  # amount multiplier (float32)


def activity(base: CustomerBase) -> Activity:
    lo, hi, _ = base.window.buckets
    seg = base.segment_by_bucket
    middle = (lo + hi) / 2.0
    first_day = np.maximum(lo[None, :], base.open_index[:, None])  # nothing before opening
    width = np.clip(hi[None, :] - first_day + 1, 0, None)
    since_decline = (middle[None, :] - base.decline_index[:, None]) / 30.44
    gradual = np.maximum(0.12, 1.0 - 0.08 * since_decline)
    declining = (seg == DECLINING) & (since_decline > 0)
    trend = np.where(declining, np.where(base.sudden[:, None], 0.3, gradual), 1.0)
    since_open = (middle[None, :] - base.open_index[:, None]) / 30.44
    trend = np.where(seg == NEW, np.clip(0.45 + 0.08 * since_open, 0.45, 1.25), trend)
    amount_trend = np.where(seg == NEW, 0.8 + 0.2 * np.clip(since_open / 12, 0, 1), 1.0)
    amount_trend = np.where(declining, 0.55 + 0.45 * trend, amount_trend)
    return Activity(first_day, width, trend, amount_trend.astype(np.float32))


def simulate_transactions(base: CustomerBase, seed: int) -> tuple[pa.Table, np.ndarray]:
    """Every transaction of the window, sorted by day; returns (table, day index per row)."""
    window = base.window
    _, _, calendar_month = window.buckets
    n, buckets = base.segment_by_bucket.shape
    seg = base.segment_by_bucket
    act = activity(base)
    first_day, width, amount_trend = act.first_day, act.width, act.amount_trend
    rate = _FREQUENCY[seg] * _SEASON[calendar_month - 1][None, :] * act.trend * width / 30.44

    rng = rng_for(seed, STREAM_TRANSACTIONS)
    counts = rng.poisson(rate).ravel()
    cell = np.repeat(np.arange(n * buckets, dtype=np.int32), counts)
    total = len(cell)
    # Small dtypes on purpose: every gather below runs over ~13.5M rows at large scale.
    day = first_day.astype(np.int16).ravel()[cell]
    day += (rng.random(total, dtype=np.float32) * width.astype(np.float32).ravel()[cell]).astype(
        np.int16
    )
    # Sort by day first (a linear radix sort on int16), then draw everything else in
    # that order: the files are split by day and no column needs reordering.
    order = np.argsort(day, kind="stable")
    cell, day = cell[order], day[order]
    del order

    second = SECOND_OF_DAY[(rng.random(total, dtype=np.float32) * 65536).astype(np.int32)]
    segment = seg.ravel()[cell]
    category = draw_rows(rng, _CATEGORY_MIX, segment)
    skew = rng.random(total, dtype=np.float32)
    skew *= skew  # a few merchants take most of the spend
    merchant = _MERCHANT_OFFSET32[category] + (skew * _MERCHANT_COUNT32[category]).astype(np.int32)
    del skew
    amount = rng.standard_normal(total, dtype=np.float32)
    amount *= 0.5
    np.exp(amount, out=amount)
    amount *= _CATEGORY_MEDIAN32[category]
    amount *= _AMOUNT_FACTOR[segment]
    amount *= amount_trend.ravel()[cell]
    np.clip(amount, 1.0, 9_500.0, out=amount)
    cents = np.rint(amount * 100).astype(np.int64)
    customer = cell // np.int32(buckets)
    del amount, cell
    channel = draw_rows(rng, _CHANNEL_MIX, segment)
    declined = rng.random(total, dtype=np.float32) < _DECLINED[segment]
    del segment

    per_day = np.bincount(day, minlength=window.length)
    first_row = np.cumsum(per_day) - per_day
    sequence = np.arange(total, dtype=np.int64) - np.repeat(first_row, per_day) + 1
    transaction_id = window.yyyymmdd(np.arange(window.length))[day] * 10_000_000 + sequence
    del sequence
    table = pa.table(
        {
            "transaction_id": pa.array(transaction_id, type=pa.int64()),
            "customer_id": dictionary(customer, base.customer_id),
            "transaction_date": window.timestamps(day, second),
            "transaction_amount": pa.array(cents / 100.0, type=pa.float64()),
            "merchant_name": dictionary(merchant, MERCHANT_NAMES),
            "merchant_category": dictionary(category, MERCHANT_CATEGORIES),
            "channel": dictionary(channel, CHANNELS),
            "status": dictionary(declined.astype(np.int32), STATUSES),
        }
    )
    return table, day


@dataclass(frozen=True)
class C360Files:
    """What :func:`generate_c360` wrote."""

    customers: Path
    transactions: Path  # folder: history.parquet + one YYYY-MM-DD.parquet per daily date
    base: CustomerBase = field(repr=False)
    counts: dict[str, int] = field(default_factory=dict)  # file name -> rows


def generate_c360(
    out_dir: Path,
    *,
    scale: str | Scale = "small",
    seed: int = 42,
    as_of: dt.date,
    days: int = 7,
    telco_customers: int = 7043,
) -> C360Files:
    """Write ``customers.csv`` and ``transactions/`` into ``out_dir``; same inputs, same files."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise TerminalError(f"days must be a whole number of at least 0, got {days!r}")
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    scale = get_scale(scale)
    window = Window(anchor=as_of, days=days)
    out_dir = Path(out_dir)
    base = simulate_customer_base(seed, scale, window, telco_customers)
    customers_path = out_dir / "customers.csv"
    write_csv(base.as_of, customers_path)
    table, day = simulate_transactions(base, seed)
    folder = out_dir / "transactions"
    counts = {"customers.csv": len(base)}
    counts |= {
        f"transactions/{name}": rows
        for name, rows in write_daily(table, day, window, folder).items()
    }
    return C360Files(customers=customers_path, transactions=folder, base=base, counts=counts)
