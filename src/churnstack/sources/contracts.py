"""Per-table contracts: the columns, types and vocabularies a source must honour.

The extractor matches a source header to a contract column by its *normalised*
name (lower case, letters and digits only), so ``customerID``, ``CustomerId``
and ``customer_id`` all land in the lake as ``customer_id``. A value that breaks
the contract (wrong type, outside the vocabulary or range, a duplicated natural
key) sends its whole row to quarantine with a reason; nothing is dropped.

Keep this module in step with ``shared/SOURCES.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Logical column types and the Arrow type each becomes in the lake.
COLUMN_TYPES = ("string", "int", "float", "timestamp", "json")


@dataclass(frozen=True)
class Column:
    name: str  # canonical snake_case name in the lake and the warehouse
    type: str = "string"
    required: bool = True  # must appear in the source header
    nullable: bool = True  # may a value be empty/null?
    allowed: tuple[str, ...] | None = None  # vocabulary (compared as text after trimming)
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None  # regular expression a text value must match fully
    aliases: tuple[str, ...] = ()  # other spellings seen in sources (e.g. Mongo's "_id")

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type!r}")


@dataclass(frozen=True)
class Contract:
    table: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # natural key: a repeated key is quarantined (first row wins)
    pseudonymise: tuple[str, ...] = ()  # columns that get a keyed-hash twin at load
    description: str = ""

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def normalise_name(name: str) -> str:
    """Key used to match a header to a contract column: ``Customer ID`` -> ``customerid``."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


YES_NO = ("Yes", "No")
ADD_ON = ("Yes", "No", "No internet service")
CUSTOMER_ID = r"[0-9]{4}-[A-Z]{5}"

TELCO_CUSTOMERS = Contract(
    table="telco_customers",
    description="IBM Telco Customer Churn shaped export, one row per customer.",
    key=("customer_id",),
    pseudonymise=("customer_id",),
    columns=(
        Column("customer_id", nullable=False, pattern=CUSTOMER_ID),
        Column("gender", nullable=False, allowed=("Female", "Male")),
        Column("senior_citizen", "int", nullable=False, allowed=("0", "1")),
        Column("partner", nullable=False, allowed=YES_NO),
        Column("dependents", nullable=False, allowed=YES_NO),
        Column("tenure", "int", nullable=False, minimum=0, maximum=1200),
        Column("phone_service", nullable=False, allowed=YES_NO),
        Column("multiple_lines", nullable=False, allowed=("Yes", "No", "No phone service")),
        Column("internet_service", nullable=False, allowed=("DSL", "Fiber optic", "No")),
        Column("online_security", nullable=False, allowed=ADD_ON),
        Column("online_backup", nullable=False, allowed=ADD_ON),
        Column("device_protection", nullable=False, allowed=ADD_ON),
        Column("tech_support", nullable=False, allowed=ADD_ON),
        Column("streaming_tv", nullable=False, allowed=ADD_ON),
        Column("streaming_movies", nullable=False, allowed=ADD_ON),
        Column("contract", nullable=False, allowed=("Month-to-month", "One year", "Two year")),
        Column("paperless_billing", nullable=False, allowed=YES_NO),
        Column(
            "payment_method",
            nullable=False,
            allowed=(
                "Electronic check",
                "Mailed check",
                "Bank transfer (automatic)",
                "Credit card (automatic)",
            ),
        ),
        Column("monthly_charges", "float", nullable=False, minimum=0),
        # A single space when tenure is 0 in IBM's file: trimmed to empty, stored as null.
        Column("total_charges", "float", minimum=0),
        Column("churn", nullable=False, allowed=YES_NO),
    ),
)

CUSTOMER_LOCATION = Contract(
    table="customer_location",
    description="Where each customer lives, one row per customer.",
    key=("customer_id",),
    columns=(
        Column("customer_id", nullable=False, pattern=CUSTOMER_ID),
        Column("zip_code", nullable=False, pattern=r"[0-9]{5}"),
        Column("city", nullable=False),
        Column("state", nullable=False, pattern=r"[A-Z]{2}"),
        Column("lat", "float", minimum=-90, maximum=90),
        Column("lng", "float", minimum=-180, maximum=180),
    ),
)

ZIP_POPULATION = Contract(
    table="zip_population",
    description="Population and density per ZIP code, one row per ZIP code.",
    key=("zip_code",),
    columns=(
        Column("zip_code", nullable=False, pattern=r"[0-9]{5}"),
        Column("population", "int", minimum=0),
        Column("density", "float", minimum=0),
    ),
)

CUSTOMER_REVIEWS = Contract(
    table="customer_reviews",
    description="Customer reviews (MongoDB documents or JSONL), nested metadata flattened.",
    key=("review_id",),
    columns=(
        Column("review_id", nullable=False, aliases=("_id", "id")),
        Column("customer_id", nullable=False, pattern=CUSTOMER_ID),
        Column("rating", "int", nullable=False, allowed=("1", "2", "3", "4", "5")),
        Column("review_text"),
        Column("created_at", "timestamp", nullable=False),
        Column("channel", allowed=("app", "web", "store", "call")),
        Column("metadata_device", required=False),
        Column("metadata_app_version", required=False),
        Column("metadata_language", required=False),
        # Arrays are kept whole as JSON text (one documented rule for every source).
        Column("tags", "json", required=False),
    ),
)

CONTRACTS: dict[str, Contract] = {
    c.table: c for c in (TELCO_CUSTOMERS, CUSTOMER_LOCATION, ZIP_POPULATION, CUSTOMER_REVIEWS)
}


def get_contract(table: str) -> Contract:
    try:
        return CONTRACTS[table]
    except KeyError:
        known = ", ".join(sorted(CONTRACTS))
        raise KeyError(f"no contract for table {table!r} (known: {known})") from None
