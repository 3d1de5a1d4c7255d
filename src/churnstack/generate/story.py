"""What the customer 360 and commerce generators share: scales, the time window, file writes.

Time is laid out in whole days. The *window* of a generation is the 18 months
of history that end the day before the anchor date, plus the anchor date and
``days`` following days (one daily file each). Day ``0`` is the first day of
the history; the window is cut into calendar-month *buckets* (the first and
last are partial), the unit in which rates and customer state are evaluated.

Changes that SCD2 should track (customers moving city or segment, credit-limit
raises, product price changes) are *dated events on the calendar*: they are
drawn month by month from :data:`EVENT_EPOCH` with a random stream keyed by
(seed, stream, year, month), never by the anchor. So the state as of any date
is the same whichever anchor a generation uses, and generating again for a
later ``--as-of`` shows exactly the changes dated in between.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from churnstack.errors import TerminalError

HISTORY_MONTHS = 18
EVENT_EPOCH = dt.date(2020, 1, 1)  # calendar events (moves, price changes) start here
HISTORY_FILE = "history.parquet"

# Independent random streams (the first entropy word after the seed).
STREAM_IDS = 3601
STREAM_CUSTOMERS = 3602
STREAM_CUSTOMER_EVENTS = 3603
STREAM_TRANSACTIONS = 3604
STREAM_PRODUCTS = 3605
STREAM_PRICE_EVENTS = 3606
STREAM_CAMPAIGNS = 3607
STREAM_ORDERS = 3608
STREAM_CLICKS = 3609
STREAM_INVENTORY = 3610


@dataclass(frozen=True)
class Scale:
    """How big a generation is. ``large`` is seed 003's 50,000 customers (~13.5M transactions)."""

    name: str
    customers: int
    products: int
    warehouses: int


SCALES: dict[str, Scale] = {
    "small": Scale("small", customers=2_000, products=120, warehouses=2),
    "medium": Scale("medium", customers=10_000, products=300, warehouses=3),
    "large": Scale("large", customers=50_000, products=650, warehouses=3),
}


def get_scale(scale: str | Scale) -> Scale:
    if isinstance(scale, Scale):
        return scale
    try:
        return SCALES[scale]
    except KeyError:
        raise TerminalError(f"scale {scale!r}: expected one of {', '.join(SCALES)}") from None


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, the day of month clamped (31 Mar - 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rng_for(seed: int, stream: int, *words: int) -> np.random.Generator:
    """A random stream keyed by the seed, a stream number and any further integers."""
    return np.random.default_rng([seed, stream, *words])


@dataclass(frozen=True)
class Window:
    """The days a generation covers: 18 months of history, the anchor and ``days`` more."""

    anchor: dt.date
    days: int  # daily files after the anchor (the anchor has one too)

    @cached_property
    def start(self) -> dt.date:
        return add_months(self.anchor, -HISTORY_MONTHS)

    @cached_property
    def end(self) -> dt.date:
        return self.anchor + dt.timedelta(days=self.days)

    @property
    def anchor_index(self) -> int:
        return (self.anchor - self.start).days

    @property
    def length(self) -> int:
        return (self.end - self.start).days + 1

    def index(self, day: dt.date) -> int:
        return (day - self.start).days

    def date(self, index: int) -> dt.date:
        return self.start + dt.timedelta(days=int(index))

    @cached_property
    def buckets(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(first day index, last day index, calendar month 1-12) of each month bucket."""
        lo, hi, months = [], [], []
        first = dt.date(self.start.year, self.start.month, 1)
        while first <= self.end:
            last = add_months(first, 1) - dt.timedelta(days=1)
            lo.append(max(self.index(first), 0))
            hi.append(min(self.index(last), self.length - 1))
            months.append(first.month)
            first = add_months(first, 1)
        return np.array(lo), np.array(hi), np.array(months)

    @property
    def bucket_count(self) -> int:
        return len(self.buckets[0])

    def epoch_days(self) -> int:
        """Days from 1970-01-01 to the window's first day."""
        return (self.start - dt.date(1970, 1, 1)).days

    def yyyymmdd(self, day_index: np.ndarray) -> np.ndarray:
        """Calendar dates of day indices as integers 20260301 (vectorised)."""
        days = np.asarray(day_index, dtype="int64") + self.epoch_days()
        stamps = days.astype("datetime64[D]")
        years = stamps.astype("datetime64[Y]").astype(np.int64) + 1970
        months = stamps.astype("datetime64[M]").astype(np.int64) % 12 + 1
        dom = (stamps - stamps.astype("datetime64[M]")).astype(np.int64) + 1
        return years * 10_000 + months * 100 + dom

    def timestamps(self, day_index: np.ndarray, seconds: np.ndarray) -> pa.Array:
        """Arrow timestamp[us] of (day index, seconds after midnight)."""
        micros = (np.asarray(day_index, dtype=np.int64) + self.epoch_days()) * 86_400
        micros = (micros + np.asarray(seconds, dtype=np.int64)) * 1_000_000
        return pa.array(micros, type=pa.timestamp("us"))

    def event_months(self) -> list[tuple[int, int]]:
        """(year, month) from the earlier of EVENT_EPOCH and the window start to the end."""
        first = min(EVENT_EPOCH, dt.date(self.start.year, self.start.month, 1))
        months = []
        day = dt.date(first.year, first.month, 1)
        while day <= self.end:
            months.append((day.year, day.month))
            day = add_months(day, 1)
        return months

    def daily_dates(self) -> list[dt.date]:
        return [self.anchor + dt.timedelta(days=i) for i in range(self.days + 1)]


RESOLUTION = 4096  # probabilities are honoured to 1/4096


def draw_rows(rng: np.random.Generator, cdf_by_group: np.ndarray, group: np.ndarray) -> np.ndarray:
    """One category per row from its group's cumulative distribution (``cdf_by_group[g]``).

    An inverse-CDF lookup table per group (``RESOLUTION`` steps): one random
    draw and one table lookup per row, no mask or binary search per row.
    """
    groups, width = cdf_by_group.shape
    steps = (np.arange(RESOLUTION) + 0.5) / RESOLUTION
    table = np.stack([np.searchsorted(cdf_by_group[g], steps, side="right") for g in range(groups)])
    table = np.minimum(table, width - 1).astype(np.int16).ravel()
    bins = (rng.random(len(group), dtype=np.float32) * RESOLUTION).astype(np.int32)
    bins += np.asarray(group, dtype=np.int32) * RESOLUTION
    return table[bins]


def cdf(probabilities: np.ndarray) -> np.ndarray:
    table = np.asarray(probabilities, dtype=np.float64)
    table = table / table.sum(axis=-1, keepdims=True)
    return np.cumsum(table, axis=-1).astype(np.float32)


def dictionary(indices: np.ndarray, values: tuple[str, ...] | list[str] | pl.Series) -> pa.Array:
    """A dictionary-encoded string column: the labels once, an index per row."""
    labels = values.to_arrow() if isinstance(values, pl.Series) else pa.array(list(values))
    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(indices, dtype=np.int32)), labels)


def _atomic(path: Path, write) -> None:  # noqa: ANN001 - a callable taking a temp path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_parquet(table: pa.Table, path: Path) -> None:
    """Typed Parquet, atomically (temp file + rename), with reproducible settings."""
    _atomic(
        path,
        lambda tmp: pq.write_table(
            table,
            tmp,
            compression="zstd",
            compression_level=1,
            row_group_size=1 << 20,
            # Dictionary pages for text only; statistics where readers prune (keys, times).
            use_dictionary=[f.name for f in table.schema if pa.types.is_dictionary(f.type)],
            write_statistics=[f.name for f in table.schema if not pa.types.is_dictionary(f.type)],
        ),
    )


def write_csv(frame: pl.DataFrame, path: Path) -> None:
    """A CSV with a header line, atomically; dates as YYYY-MM-DD, no index column."""
    _atomic(path, lambda tmp: frame.write_csv(tmp, line_terminator="\n"))


def write_daily(
    table: pa.Table, day_index: np.ndarray, window: Window, folder: Path
) -> dict[str, int]:
    """Split a table sorted by ``day_index`` into history.parquet and one file per daily date.

    Every daily date gets a file, empty if nothing happened that day.
    """
    bounds = np.searchsorted(day_index, np.arange(window.anchor_index, window.length + 1))
    counts = {HISTORY_FILE: int(bounds[0])}
    write_parquet(table.slice(0, int(bounds[0])), folder / HISTORY_FILE)
    for i, day in enumerate(window.daily_dates()):
        part = table.slice(int(bounds[i]), int(bounds[i + 1] - bounds[i]))
        name = f"{day.isoformat()}.parquet"
        write_parquet(part, folder / name)
        counts[name] = part.num_rows
    return counts
