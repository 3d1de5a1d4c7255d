"""Customer experience demo data (seed 004): complaints by phone, web form and social media.

``generate_cx`` writes, for the ``days`` days up to ``as_of``:

* ``call logs/call_logs_YYYY-MM-DD.csv`` (a folder name with a space, as the
  source bucket spells it): one row per call;
* ``web_forms/web_form_request_YYYY_MM_DD.csv``: the CRM's web-form requests,
  one file per day (``churnstack seed-sources`` loads each into a PostgreSQL
  table of the same name);
* ``social_media/social_media_YYYY-MM-DD.json``: column-oriented JSON
  (``{"complaint_id": {"0": ...}, ...}``);
* ``agents.xlsx`` (sheet ``agents``, headers in odd case ``iD, NamE, experience,
  state``) and ``complaint_categories.xlsx`` (sheet ``categories``).

Customers are the churn area's own (``customer_ids``: the ids of
``telco_customers.csv``). Generation is vectorised with NumPy and
deterministic for a given seed, ``as_of`` and ``days`` (the workbooks too: their
timestamps are fixed).

Seed 004's three findings are planted, so the insights have something true to find:

1. "Network Failure" calls end in *Backlog* far more often than other categories
   (about 70 % against about 12 %);
2. "Technician Support" calls last about 3x the median call (a log-normal
   duration whose median is 4.5 minutes, times 3);
3. a sizeable share of complaining customers (about a third) complain again on
   another channel within a few days ("channel hopping").
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from churnstack.errors import TerminalError
from churnstack.sources.contracts import COMPLAINT_CATEGORIES

CALL_LOGS_DIR = "call logs"
WEB_FORMS_DIR = "web_forms"
SOCIAL_MEDIA_DIR = "social_media"
AGENTS_FILE = "agents.xlsx"
CATEGORIES_FILE = "complaint_categories.xlsx"
AGENT_HEADER = ("iD", "NamE", "experience", "state")  # the odd case of the source sheet

CHANNELS = ("call", "web", "social")
CHANNEL_SHARE = np.array([0.55, 0.28, 0.17])
CATEGORY_SHARE = np.array([0.18, 0.12, 0.16, 0.12, 0.10, 0.14, 0.10, 0.08])
STATUSES = ("Resolved", "Backlog", "In-Progress")
# Resolution status shares: Network Failure calls mostly end in Backlog (finding 1).
STATUS_NETWORK = np.array([0.20, 0.70, 0.10])
STATUS_OTHER = np.array([0.75, 0.12, 0.13])
MEDIAN_CALL_SECONDS = 270.0  # 4.5 minutes
TECHNICIAN_FACTOR = 3.0  # finding 2
CALL_SIGMA = 0.45
COMPLAINTS_PER_CUSTOMER_DAY = 0.012
HOP_SHARE = 0.38  # finding 3: a second complaint on another channel ...
HOP_MAX_DAYS = 3  # ... within this many days
MEDIA_CHANNELS = ("Twitter", "Facebook", "Instagram")
WEB_UNASSIGNED = 0.15  # web forms without an agent yet
SOCIAL_UNASSIGNED = 0.60  # social complaints: often nobody picked them up
EXPERIENCE = ("junior", "mid", "senior")

CATEGORY_INFO = {
    "Network Failure": ("No signal, dropped calls or an outage in the area.", "high"),
    "Technician Support": ("Equipment or installation needing a technician.", "medium"),
    "Billing Dispute": ("A charge the customer does not recognise.", "medium"),
    "Payment Issue": ("A payment that failed or was applied twice.", "medium"),
    "Service Activation": ("A new line or service not working yet.", "high"),
    "Data Plan": ("Data allowance, speed caps or roaming.", "low"),
    "Account Access": ("Login, password or SIM swap problems.", "low"),
    "Number Porting": ("Moving a number to or from another carrier.", "medium"),
}
_FIRST = ("Ada", "Ben", "Chidi", "Dana", "Efe", "Femi", "Grace", "Hassan", "Ifeoma", "Jon")
_FIRST += ("Kemi", "Lara", "Musa", "Nneka", "Omar", "Priya", "Quinn", "Rita", "Sam", "Tunde")
_LAST = ("Adeyemi", "Baker", "Chen", "Diaz", "Eze", "Fischer", "Garcia", "Hughes", "Ibrahim")
_LAST += ("Johnson", "Kim", "Lopez", "Mensah", "Nwosu", "Okafor", "Patel", "Reyes", "Smith")
_STATES = ("CA", "TX", "NY", "FL", "IL", "PA", "OH", "GA", "NC", "MI", "WA", "AZ")
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class GeneratedCX:
    """What :func:`generate_cx` wrote."""

    days: list[dt.date]
    agents: Path
    complaint_categories: Path
    call_logs: dict[dt.date, Path] = field(default_factory=dict)
    web_forms: dict[dt.date, Path] = field(default_factory=dict)
    social_media: dict[dt.date, Path] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # rows per table, all days


def call_logs_path(out_dir: Path, day: dt.date) -> Path:
    return out_dir / CALL_LOGS_DIR / f"call_logs_{day:%Y-%m-%d}.csv"


def web_forms_path(out_dir: Path, day: dt.date) -> Path:
    return out_dir / WEB_FORMS_DIR / f"web_form_request_{day:%Y_%m_%d}.csv"


def social_media_path(out_dir: Path, day: dt.date) -> Path:
    return out_dir / SOCIAL_MEDIA_DIR / f"social_media_{day:%Y-%m-%d}.json"


def _agents(rng: np.random.Generator, n: int) -> pl.DataFrame:
    first = rng.integers(len(_FIRST), size=n)
    last = rng.integers(len(_LAST), size=n)
    names = [f"{_FIRST[a]} {_LAST[b]}" for a, b in zip(first.tolist(), last.tolist(), strict=True)]
    return pl.DataFrame(
        {
            "id": np.arange(1, n + 1, dtype=np.int64),
            "name": names,
            "experience": np.array(EXPERIENCE)[rng.choice(3, size=n, p=[0.4, 0.4, 0.2])],
            "state": np.array(_STATES)[rng.integers(len(_STATES), size=n)],
        }
    )


def simulate_complaints(
    rng: np.random.Generator, n_customers: int, n_agents: int, days: int
) -> pl.DataFrame:
    """Every complaint of the window: customer index, day offset, channel, category, ..."""
    episodes = int(rng.poisson(n_customers * days * COMPLAINTS_PER_CUSTOMER_DAY))
    customer = rng.integers(n_customers, size=episodes)
    day = rng.integers(days, size=episodes)
    category = rng.choice(len(COMPLAINT_CATEGORIES), size=episodes, p=CATEGORY_SHARE)
    channel = rng.choice(len(CHANNELS), size=episodes, p=CHANNEL_SHARE)
    # Channel hopping: the same issue again, on another channel, a few days later.
    hops = rng.random(episodes) < HOP_SHARE
    hop_channel = (channel + rng.integers(1, len(CHANNELS), size=episodes)) % len(CHANNELS)
    hop_day = day + rng.integers(0, HOP_MAX_DAYS + 1, size=episodes)
    keep = hops & (hop_day < days)
    customer = np.concatenate([customer, customer[keep]])
    day = np.concatenate([day, hop_day[keep]])
    category = np.concatenate([category, category[keep]])
    channel = np.concatenate([channel, hop_channel[keep]])
    n = len(customer)
    second = rng.integers(8 * 3600, 22 * 3600, size=n)  # contact hours
    network = category == COMPLAINT_CATEGORIES.index("Network Failure")
    status = np.where(
        network,
        rng.choice(3, size=n, p=STATUS_NETWORK),
        rng.choice(3, size=n, p=STATUS_OTHER),
    )
    duration = MEDIAN_CALL_SECONDS * np.exp(rng.normal(0.0, CALL_SIGMA, size=n))
    technician = category == COMPLAINT_CATEGORIES.index("Technician Support")
    duration = np.where(technician, duration * TECHNICIAN_FACTOR, duration)
    agent = rng.integers(1, n_agents + 1, size=n)
    unassigned = rng.random(n)
    resolved_after = rng.integers(3600, 72 * 3600, size=n)
    media = rng.integers(len(MEDIA_CHANNELS), size=n)
    frame = pl.DataFrame(
        {
            "customer": customer.astype(np.int64),
            "day": day.astype(np.int64),
            "second": second.astype(np.int64),
            "channel": channel.astype(np.int64),
            "category": category.astype(np.int64),
            "status": status.astype(np.int64),
            "duration": np.round(duration).astype(np.int64),
            "agent": agent.astype(np.int64),
            "unassigned": unassigned,
            "resolved_after": resolved_after.astype(np.int64),
            "media": media.astype(np.int64),
        }
    )
    return frame.sort("day", "second", "channel", "customer")


def _timestamps(start: dt.datetime, seconds: pl.Expr) -> pl.Expr:
    return (pl.lit(start) + pl.duration(seconds=seconds)).dt.strftime("%Y-%m-%d %H:%M:%S")


def _day_tables(
    events: pl.DataFrame, ids: pl.Series, day: dt.date, offset: int
) -> dict[str, pl.DataFrame]:
    start = dt.datetime.combine(day, dt.time())
    stamp = f"{day:%Y%m%d}"
    today = events.filter(pl.col("day") == offset)
    today = today.with_columns(
        customer_id=ids.gather(today["customer"]),
        complaint_category=pl.col("category").replace_strict(
            list(range(len(COMPLAINT_CATEGORIES))), list(COMPLAINT_CATEGORIES)
        ),
        resolution_status=pl.col("status").replace_strict([0, 1, 2], list(STATUSES)),
    )
    resolved = pl.col("resolution_status") == "Resolved"

    def seq(prefix: str) -> pl.Expr:
        number = pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(5)
        return pl.format("{}-{}-{}", pl.lit(prefix), pl.lit(stamp), number)

    calls = today.filter(pl.col("channel") == 0).select(
        seq("CALL").alias("call_id"),
        "customer_id",
        pl.col("agent").alias("agent_id"),
        "complaint_category",
        "resolution_status",
        _timestamps(start, pl.col("second")).alias("call_start_time"),
        _timestamps(start, pl.col("second") + pl.col("duration")).alias("call_end_time"),
    )
    web = today.filter(pl.col("channel") == 1).select(
        seq("WF").alias("request_id"),
        "customer_id",
        pl.when(pl.col("unassigned") >= WEB_UNASSIGNED).then(pl.col("agent")).alias("agent_id"),
        "complaint_category",
        "resolution_status",
        _timestamps(start, pl.col("second")).alias("request_date"),
        pl.when(resolved)
        .then(_timestamps(start, pl.col("second") + pl.col("resolved_after")))
        .alias("resolution_date"),
    )
    social = today.filter(pl.col("channel") == 2).select(
        seq("SM").alias("complaint_id"),
        "customer_id",
        pl.when(pl.col("unassigned") >= SOCIAL_UNASSIGNED).then(pl.col("agent")).alias("agent_id"),
        "complaint_category",
        pl.col("media")
        .replace_strict(list(range(len(MEDIA_CHANNELS))), list(MEDIA_CHANNELS))
        .alias("media_channel"),
        "resolution_status",
        _timestamps(start, pl.col("second")).alias("request_date"),
        pl.when(resolved)
        .then(_timestamps(start, pl.col("second") + pl.col("resolved_after")))
        .alias("resolution_date"),
    )
    return {"call_logs": calls, "web_forms": web, "social_media": social}


def column_oriented_json(frame: pl.DataFrame) -> str:
    """``{"column": {"0": value, "1": value, ...}, ...}``, pandas' ``orient="columns"``."""
    data = {
        name: {str(i): value for i, value in enumerate(frame[name].to_list())}
        for name in frame.columns
    }
    return json.dumps(data, ensure_ascii=False) + "\n"


def _atomic_bytes(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(payload)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_csv(frame: pl.DataFrame, path: Path) -> None:
    _atomic_bytes(path, frame.write_csv(null_value="", line_terminator="\n").encode("utf-8"))


def write_xlsx(
    path: Path, sheet: str, header: Sequence[str], frame: pl.DataFrame, when: dt.date
) -> None:
    """A one-sheet workbook with reproducible bytes (fixed document and zip timestamps)."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(list(header))
    for row in frame.iter_rows():
        ws.append(list(row))
    fixed = dt.datetime.combine(when, dt.time())
    book.properties.created = fixed
    raw = io.BytesIO()
    book.save(raw)
    # openpyxl stamps "modified" with the wall clock and zip entries with now: pin both.
    source = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                start = text.find("<dcterms:modified")
                end = text.find("</dcterms:modified>")
                if start != -1 and end != -1:
                    stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ")
                    text = (
                        text[:start]
                        + f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}'
                        + text[end:]
                    )
                data = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    _atomic_bytes(path, out.getvalue())


def generate_cx(
    out_dir: Path,
    *,
    customer_ids: Sequence[str] | pl.Series,
    seed: int = 42,
    as_of: dt.date,
    days: int = 7,
    agents: int = 40,
) -> GeneratedCX:
    """Write the customer-experience sources for the ``days`` days ending on ``as_of``."""
    ids = pl.Series("customer_id", list(customer_ids), dtype=pl.String)
    if ids.len() == 0:
        raise TerminalError("generate_cx needs at least one customer id")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise TerminalError(f"days must be a whole number of at least 1, got {days!r}")
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    agent_rng, complaint_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence([seed, 4]).spawn(2)
    )
    agent_table = _agents(agent_rng, agents)
    events = simulate_complaints(complaint_rng, ids.len(), agents, days)
    window = [as_of - dt.timedelta(days=days - 1 - i) for i in range(days)]
    result = GeneratedCX(
        days=window,
        agents=out_dir / AGENTS_FILE,
        complaint_categories=out_dir / CATEGORIES_FILE,
    )
    counts = {"call_logs": 0, "web_forms": 0, "social_media": 0}
    for offset, day in enumerate(window):
        tables = _day_tables(events, ids, day, offset)
        write_csv(tables["call_logs"], call_logs_path(out_dir, day))
        write_csv(tables["web_forms"], web_forms_path(out_dir, day))
        _atomic_bytes(
            social_media_path(out_dir, day),
            column_oriented_json(tables["social_media"]).encode("utf-8"),
        )
        result.call_logs[day] = call_logs_path(out_dir, day)
        result.web_forms[day] = web_forms_path(out_dir, day)
        result.social_media[day] = social_media_path(out_dir, day)
        for name, frame in tables.items():
            counts[name] += frame.height
    write_xlsx(result.agents, "agents", AGENT_HEADER, agent_table, as_of)
    categories = pl.DataFrame(
        {
            "category": list(COMPLAINT_CATEGORIES),
            "description": [CATEGORY_INFO[c][0] for c in COMPLAINT_CATEGORIES],
            "severity": [CATEGORY_INFO[c][1] for c in COMPLAINT_CATEGORIES],
        }
    )
    write_xlsx(result.complaint_categories, "categories", categories.columns, categories, as_of)
    counts |= {"agents": agent_table.height, "complaint_categories": categories.height}
    result.counts.update(counts)
    return result


def demo_customer_ids(out_dir: Path) -> pl.Series:
    """The customer ids of a generated demo (``customer_location.csv`` lists each valid one)."""
    frame = pl.read_csv(
        Path(out_dir) / "customer_location.csv", columns=["customer_id"], infer_schema=False
    )
    return frame["customer_id"]
