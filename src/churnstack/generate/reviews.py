"""Customer reviews as MongoDB-style JSON documents (one per line).

About half of the customers write reviews, some several. Churners review more
often and rate lower. A low rating (1–2) carries a reason tag — price, network,
support, billing or competitor — chosen from the customer's own attributes
(fiber and a high bill point to price, no tech support to support, electronic
checks to billing, a short month-to-month contract to competitor, ...), more
sharply for churners than for customers who stay. Texts come from small English
and Spanish templates; ``metadata.language`` says which.

Each ``_id`` is shaped like a MongoDB ObjectId: the creation time (4 bytes),
a per-run random value (5 bytes) and a counter (3 bytes), so ids sort like
``created_at`` and never repeat within a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from churnstack.generate._text import draw_categories, pick
from churnstack.generate.telco import Customers

CHANNELS = ("app", "web", "store", "call")
LANGUAGES = ("en", "es")
REASONS = ("price", "network", "support", "billing", "competitor")
PRAISES = ("value", "speed", "reliability", "service")
# Template groups: the five reasons, then "neutral", then the four praises.
GROUPS = (*REASONS, "neutral", *PRAISES)

DEVICES = {
    "app": ("iOS", "Android"),
    "web": ("Chrome", "Safari", "Firefox", "Edge"),
    "store": ("store-tablet",),
    "call": ("ivr",),
}
# Newest last; the app version follows the review date (one release a quarter).
APP_VERSIONS = ("4.9.2", "5.0.1", "5.1.0", "5.2.3")

# Rating shares (1..5) for customers who churn and who stay.
_RATING_CHURNER = np.array([0.34, 0.30, 0.18, 0.12, 0.06])
_RATING_STAYER = np.array([0.04, 0.07, 0.17, 0.38, 0.34])

# {charges} is the customer's monthly bill, {months} their tenure.
_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "price": (
            "Way too expensive. I pay ${charges} a month and the price keeps creeping up.",
            "My bill went up again. ${charges} a month is not worth it.",
            "Too many fees on top of the plan price. Poor value for money.",
        ),
        "network": (
            "Internet drops every evening and speeds are nowhere near what was promised.",
            "Constant outages in my area. Calls drop and the connection is unreliable.",
            "Weak signal at home and the network goes down at least once a week.",
        ),
        "support": (
            "Waited over an hour on hold and nobody could fix my problem.",
            "Tech support keeps closing my ticket without solving anything.",
            "Support staff were unhelpful and the issue is still not resolved.",
        ),
        "billing": (
            "I was charged twice this month and getting a refund is a nightmare.",
            "My bill is wrong again, with unexplained charges every month.",
            "The payment failed on their side and they still added a late fee.",
        ),
        "competitor": (
            "Switching to another provider, they offered me a much better deal.",
            "After {months} months I am leaving. Other carriers treat new customers better.",
            "A competitor offered the same plan for less, so I am cancelling.",
        ),
        "neutral": (
            "Service is okay, nothing special.",
            "It works most of the time, but the price could be lower.",
            "Average experience. Setup took longer than expected.",
        ),
        "value": (
            "Good value for the money, no complaints.",
            "Fair price for what I get at ${charges} a month.",
        ),
        "speed": (
            "Fast internet, streaming works without buffering.",
            "Speeds are great even in the evening.",
        ),
        "reliability": (
            "Reliable connection, it almost never goes down.",
            "Customer for {months} months and it just works.",
        ),
        "service": (
            "Friendly and helpful staff at the store.",
            "Support solved my issue quickly on the first call.",
        ),
    },
    "es": {
        "price": ("Demasiado caro. Pago ${charges} al mes y el precio no para de subir.",),
        "network": ("La conexión se cae todas las noches y la velocidad es muy baja.",),
        "support": ("Esperé más de una hora y nadie resolvió mi problema.",),
        "billing": ("Me cobraron dos veces este mes y no me devuelven el dinero.",),
        "competitor": ("Me cambio a otra compañía, me ofrecieron un precio mucho mejor.",),
        "neutral": ("El servicio está bien, nada especial.",),
        "value": ("Buena relación calidad-precio.",),
        "speed": ("Internet rápido, sin cortes al ver series.",),
        "reliability": ("Conexión estable, casi nunca falla.",),
        "service": ("El personal fue amable y me ayudó rápido.",),
    },
}


@dataclass(frozen=True)
class Reviews:
    """One entry per review document, sorted by creation time."""

    owner: np.ndarray  # index into the customers the reviews were drawn for
    object_id: np.ndarray  # str, 24 hex digits
    created_at: np.ndarray  # datetime64[s], UTC
    rating: np.ndarray  # int 1..5
    channel: np.ndarray  # index into CHANNELS
    device: pl.Series
    app_version: pl.Series  # null unless channel is app
    language: np.ndarray  # index into LANGUAGES
    text: pl.Series
    tags: pl.Series  # list of str

    def __len__(self) -> int:
        return len(self.owner)


def _reason_scores(c: Customers, idx: np.ndarray) -> np.ndarray:
    """(m, 5) affinity of each review's customer to each complaint reason."""
    internet = c.internet[idx]
    has_internet = internet > 0
    charges = c.monthly_charges[idx]
    no_support = has_internet & ~c.add_ons["TechSupport"][idx]
    no_security = has_internet & ~c.add_ons["OnlineSecurity"][idx]
    return np.column_stack(
        [
            1.8 * (charges > 80) + 0.9 * (internet == 2) + 0.3 * (charges > 100),  # price
            0.4 + 0.9 * (internet == 1) + 0.5 * (internet == 2) + 0.4 * c.multiple_lines[idx],
            1.3 * no_support + 0.5 * no_security,  # support
            1.4 * (c.payment[idx] == 0) + 0.5 * c.paperless[idx],  # billing
            1.1 * (c.contract[idx] == 0) + 0.9 * (c.tenure[idx] < 12),  # competitor
        ]
    )


def _ids(rng: np.random.Generator, created_at: np.ndarray) -> np.ndarray:
    """ObjectId-like hex ids: 4-byte seconds, 5-byte per-run value, 3-byte counter."""
    m = len(created_at)
    raw = np.empty((m, 12), dtype=np.uint8)
    seconds = created_at.astype("datetime64[s]").astype(np.int64).astype(">u4")
    raw[:, 0:4] = seconds.view(np.uint8).reshape(m, 4)
    raw[:, 4:9] = rng.integers(0, 256, size=5, dtype=np.uint8)
    counter = (int(rng.integers(0, 1 << 23)) + np.arange(m)) % (1 << 24)
    raw[:, 9] = counter >> 16
    raw[:, 10] = (counter >> 8) & 0xFF
    raw[:, 11] = counter & 0xFF
    hexdigits = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    out = np.empty((m, 24), dtype=np.uint8)
    out[:, 0::2] = hexdigits[raw >> 4]
    out[:, 1::2] = hexdigits[raw & 0x0F]
    return out.view("S24").ravel().astype("U24")


_SLOTS = ("", "{charges}", "{months}")  # placeholder kinds: none, bill, tenure


def _templates() -> tuple[list[str], np.ndarray, list[str], np.ndarray, np.ndarray]:
    """Flattened templates split at their placeholder (prefix, slot kind, suffix),
    and per (language, group) the offset and count of its templates."""
    prefixes: list[str] = []
    slots: list[int] = []
    suffixes: list[str] = []
    offset = np.zeros((len(LANGUAGES), len(GROUPS)), dtype=np.int64)
    count = np.zeros_like(offset)
    for li, lang in enumerate(LANGUAGES):
        for gi, group in enumerate(GROUPS):
            offset[li, gi] = len(prefixes)
            count[li, gi] = len(_TEMPLATES[lang][group])
            for text in _TEMPLATES[lang][group]:
                kind = next((k for k in (1, 2) if _SLOTS[k] in text), 0)
                before, _, after = text.partition(_SLOTS[kind]) if kind else (text, "", "")
                prefixes.append(before)
                slots.append(kind)
                suffixes.append(after)
    return prefixes, np.array(slots), suffixes, offset, count


def simulate_reviews(
    rng: np.random.Generator, c: Customers, as_of: dt.date, *, extra: int = 0
) -> Reviews:
    """Draw reviews for customers ``c``; ``extra`` more are appended after the sorted
    ones (used for defect lines) with fresh ids."""
    n = len(c)
    writes = rng.random(n) < np.where(c.churn, 0.58, 0.44)
    per_writer = 1 + np.minimum(rng.poisson(0.4, n), 4)
    counts = np.where(writes, per_writer, 0)
    owner = np.repeat(np.arange(n), counts)
    if extra:
        owner = np.concatenate([owner, rng.integers(0, n, size=extra)])
    m = len(owner)
    churn = c.churn[owner]

    rating_p = np.where(churn[:, None], _RATING_CHURNER, _RATING_STAYER)
    rating = draw_categories(rng, rating_p) + 1

    # created_at: uniform over the 365 days before as_of (UTC), to the second.
    end = np.datetime64(as_of.isoformat(), "s")
    created_at = end - rng.integers(1, 365 * 86_400 + 1, size=m).astype("timedelta64[s]")
    order = np.argsort(created_at[: m - extra], kind="stable")
    order = np.concatenate([order, np.arange(m - extra, m)])
    owner, churn, rating, created_at = owner[order], churn[order], rating[order], created_at[order]

    senior = c.senior[owner]
    channel_p = np.where(
        senior[:, None], np.array([0.15, 0.25, 0.25, 0.35]), np.array([0.42, 0.30, 0.11, 0.17])
    )
    channel = draw_categories(rng, channel_p)
    language = (rng.random(m) < 0.08).astype(np.int64)

    # Metadata: device by channel, app version by date (for app reviews only).
    device_options = [d for ch in CHANNELS for d in DEVICES[ch]]
    device_first = np.cumsum([0] + [len(DEVICES[ch]) for ch in CHANNELS])[:-1]
    device_count = np.array([len(DEVICES[ch]) for ch in CHANNELS])
    device = device_first[channel] + (rng.random(m) * device_count[channel]).astype(np.int64)
    days_ago = (end - created_at).astype("timedelta64[D]").astype(np.int64)
    version = np.clip(len(APP_VERSIONS) - 1 - days_ago // 92, 0, len(APP_VERSIONS) - 1)
    app_version = pl.select(
        pl.when(pl.Series(channel == 0)).then(pick(APP_VERSIONS, version)).otherwise(None)
    ).to_series()

    # Reason for low ratings: attribute-driven, sharper for churners.
    noise = rng.gumbel(size=(m, len(REASONS))) * np.where(churn, 0.6, 1.2)[:, None]
    reason = np.argmax(_reason_scores(c, owner) + noise, axis=1)
    second = (reason + 1 + rng.integers(0, len(REASONS) - 1, size=m)) % len(REASONS)
    praise = draw_categories(
        rng,
        np.column_stack(
            [
                1.0 + 1.5 * (c.monthly_charges[owner] < 50),  # value
                0.5 + 1.5 * (c.internet[owner] == 2),  # speed
                0.8 + 1.5 * (c.tenure[owner] >= 36),  # reliability
                0.6 + 1.0 * c.add_ons["TechSupport"][owner],  # service
            ]
        ),
    )
    low, mid = rating <= 2, rating == 3
    group = np.where(low, reason, np.where(mid, len(REASONS), len(REASONS) + 1 + praise))

    # Tags: reason (+ sometimes a second one) when low, sometimes a reason when 3,
    # the praise when 4-5.
    tag_vocab = (*REASONS, *PRAISES)
    first_tag = np.where(low | mid, reason, len(REASONS) + praise)
    has_first = low | (mid & (rng.random(m) < 0.4)) | (~low & ~mid & (rng.random(m) < 0.7))
    has_second = low & (rng.random(m) < 0.25)
    tag1 = pick(tag_vocab, first_tag)
    tag2 = pick(tag_vocab, second)
    tags = pl.select(
        pl.when(pl.Series(has_second))
        .then(pl.concat_list(tag1, tag2))
        .when(pl.Series(has_first))
        .then(pl.concat_list(tag1))
        .otherwise(pl.lit([], dtype=pl.List(pl.String)))
    ).to_series()

    prefixes, slots, suffixes, offset, count = _templates()
    template = offset[language, group] + (rng.random(m) * count[language, group]).astype(np.int64)
    slot = slots[template]
    value = pl.Series(
        np.where(
            slot == 1,
            np.rint(c.monthly_charges[owner]).astype(np.int64),
            np.where(slot == 2, c.tenure[owner], -1),
        )
    )
    value = pl.select(
        pl.when(value >= 0).then(value.cast(pl.String)).otherwise(pl.lit(""))
    ).to_series()
    text = pick(prefixes, template) + value + pick(suffixes, template)

    return Reviews(
        owner=owner,
        object_id=_ids(rng, created_at),
        created_at=created_at,
        rating=rating,
        channel=channel,
        device=pick(device_options, device),
        app_version=app_version,
        language=language,
        text=text,
        tags=tags,
    )


def review_lines(r: Reviews, customer_id: pl.Series) -> pl.Series:
    """One compact JSON document per review, keys in the documented order."""
    created = pl.Series(r.created_at.astype("datetime64[ms]")).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    frame = pl.DataFrame(
        {
            "_id": pl.Series(r.object_id, dtype=pl.String),
            "customer_id": customer_id.gather(pl.Series(r.owner)),
            "rating": pl.Series(r.rating, dtype=pl.Int64),
            "review_text": r.text,
            "created_at": created,
            "channel": pick(CHANNELS, r.channel),
            "device": r.device,
            "app_version": r.app_version,
            "language": pick(LANGUAGES, r.language),
            "tags": r.tags,
        }
    )
    return frame.select(
        pl.struct(
            "_id",
            "customer_id",
            "rating",
            "review_text",
            "created_at",
            "channel",
            pl.struct("device", "app_version", "language").alias("metadata"),
            "tags",
        ).struct.json_encode()
    ).to_series()
