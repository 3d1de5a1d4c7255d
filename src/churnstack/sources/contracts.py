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

# --- Customer experience (seed 004): call centre, CRM web forms, social media, sheets -------

COMPLAINT_CATEGORIES = (
    "Network Failure",
    "Technician Support",
    "Billing Dispute",
    "Payment Issue",
    "Service Activation",
    "Data Plan",
    "Account Access",
    "Number Porting",
)
RESOLUTION_STATUSES = ("Resolved", "Backlog", "In-Progress")
AGENT_ID = r"[0-9]+"

CALL_LOGS = Contract(
    table="call_logs",
    description="Call-centre complaints, one CSV per day (object storage), one row per call.",
    key=("call_id",),
    columns=(
        Column("call_id", nullable=False),
        Column("customer_id", nullable=False, pattern=CUSTOMER_ID),
        Column("agent_id", "int", nullable=False, minimum=1),
        Column("complaint_category", nullable=False, allowed=COMPLAINT_CATEGORIES),
        Column("resolution_status", nullable=False, allowed=RESOLUTION_STATUSES),
        Column("call_start_time", "timestamp", nullable=False),
        Column("call_end_time", "timestamp", nullable=False),
    ),
)

WEB_FORMS = Contract(
    table="web_forms",
    description="CRM web-form complaints (PostgreSQL, one table per day), one row per request.",
    key=("request_id",),
    columns=(
        Column("request_id", nullable=False),
        Column("customer_id", nullable=False, pattern=CUSTOMER_ID),
        Column("agent_id", "int", minimum=1),  # null until a request is assigned
        Column("complaint_category", nullable=False, allowed=COMPLAINT_CATEGORIES),
        Column("resolution_status", nullable=False, allowed=RESOLUTION_STATUSES),
        Column("request_date", "timestamp", nullable=False),
        Column("resolution_date", "timestamp"),
    ),
)

SOCIAL_MEDIA = Contract(
    table="social_media",
    description="Social-media complaints (column-oriented JSON per day), one row per complaint.",
    key=("complaint_id",),
    columns=(
        Column("complaint_id", nullable=False),
        Column("customer_id", nullable=False, pattern=CUSTOMER_ID),
        Column("agent_id", "int", minimum=1),  # often null: nobody picked it up yet
        Column("complaint_category", nullable=False, allowed=COMPLAINT_CATEGORIES),
        Column("media_channel", nullable=False, allowed=("Twitter", "Facebook", "Instagram")),
        Column("resolution_status", nullable=False, allowed=RESOLUTION_STATUSES),
        Column("request_date", "timestamp", nullable=False),
        Column("resolution_date", "timestamp"),
    ),
)

AGENTS = Contract(
    table="agents",
    description="Contact-centre agents (spreadsheet, headers in odd case), one row per agent.",
    key=("id",),
    columns=(
        Column("id", "int", nullable=False, minimum=1, aliases=("agent_id",)),
        Column("name", nullable=False),
        Column("experience", nullable=False, allowed=("junior", "mid", "senior")),
        Column("state", nullable=False, pattern=r"[A-Z]{2}"),
    ),
)

COMPLAINT_CATEGORY_LIST = Contract(
    table="complaint_categories",
    description="Complaint categories (spreadsheet), one row per category.",
    key=("category",),
    columns=(
        Column("category", nullable=False, allowed=COMPLAINT_CATEGORIES),
        Column("description"),
        Column("severity", nullable=False, allowed=("low", "medium", "high")),
    ),
)

CONTRACTS.update(
    {c.table: c for c in (CALL_LOGS, WEB_FORMS, SOCIAL_MEDIA, AGENTS, COMPLAINT_CATEGORY_LIST)}
)

# --- Customer 360 (seed 003) and commerce (seed 002) ----------------------------------------

C360_SEGMENTS = (
    "High-Value Travelers",
    "Stable Mid-Spenders",
    "Budget-Conscious",
    "Declining",
    "New & Growing",
)
SALES_CHANNELS = ("Online", "In-Store", "Mobile")

CUSTOMERS = Contract(
    table="customers",
    description="Card customers as of the export (changes over time: SCD2), one row per customer.",
    key=("customer_id",),
    pseudonymise=("customer_id",),  # the same keyed hash as telco_customers: a conformed key
    columns=(
        Column("customer_id", nullable=False, pattern=CUSTOMER_ID),
        Column("first_name", nullable=False),
        Column("last_name", nullable=False),
        Column("email", pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+"),
        Column("age", "int", minimum=18, maximum=120),
        Column("state", nullable=False, pattern=r"[A-Z]{2}"),
        Column("city", nullable=False),
        Column(
            "employment_status",
            allowed=("Employed", "Self-Employed", "Retired", "Student", "Unemployed"),
        ),
        Column(
            "card_type",
            allowed=("Travel Rewards", "Platinum", "Gold", "Cashback", "Standard", "Secured"),
        ),
        Column("credit_limit", "float", minimum=0),
        Column("account_open_date", "timestamp", nullable=False),
        Column("customer_segment", nullable=False, allowed=C360_SEGMENTS),
        Column("decline_type", allowed=("gradual", "sudden")),
    ),
)

TRANSACTIONS = Contract(
    table="transactions",
    description=(
        "Card transactions (Parquet per day), one row per transaction. Amount ranges and "
        "distributions are checked by the data-quality telemetry, not here."
    ),
    key=("transaction_id",),
    columns=(
        Column("transaction_id", "int", nullable=False),
        Column("customer_id", nullable=False, pattern=CUSTOMER_ID),
        Column("transaction_date", "timestamp", nullable=False),
        Column("transaction_amount", "float", nullable=False),
        Column("merchant_name", nullable=False),
        Column("merchant_category", nullable=False),
        Column("channel", nullable=False, allowed=SALES_CHANNELS),
        Column("status", nullable=False, allowed=("approved", "declined")),
    ),
)

PRODUCTS = Contract(
    table="products",
    description="Product catalogue as of the export (price changes: SCD2), one row per product.",
    key=("product_id",),
    columns=(
        Column("product_id", nullable=False),
        Column("product_name", nullable=False),
        Column(
            "category",
            nullable=False,
            allowed=(
                "Plans",
                "Devices",
                "Accessories",
                "Home Internet",
                "Streaming",
                "Protection",
            ),
        ),
        Column("subcategory"),
        Column("unit_price", "float", nullable=False, minimum=0),
        Column("unit_cost", "float", minimum=0),
        Column("launched_at", "timestamp"),
    ),
)

ORDERS = Contract(
    table="orders",
    description="Orders (Parquet per day), one row per order.",
    key=("order_id",),
    columns=(
        Column("order_id", nullable=False),
        Column("customer_id", nullable=False, pattern=CUSTOMER_ID),
        Column("ordered_at", "timestamp", nullable=False),
        Column("channel", nullable=False, allowed=SALES_CHANNELS),
        Column("campaign_id"),  # null: no campaign claimed the order
        Column("status", nullable=False, allowed=("completed", "cancelled", "returned")),
        Column("shipping_state", pattern=r"[A-Z]{2}"),
    ),
)

ORDER_ITEMS = Contract(
    table="order_items",
    description="Order lines (Parquet per day), one row per line; discount: a share of the price.",
    key=("order_item_id",),
    columns=(
        Column("order_item_id", nullable=False),
        Column("order_id", nullable=False),
        Column("product_id", nullable=False),
        Column("quantity", "int", nullable=False, minimum=1),
        Column("unit_price", "float", nullable=False, minimum=0),
        Column("discount", "float", minimum=0, maximum=1),
    ),
)

CLICKSTREAM = Contract(
    table="clickstream",
    description="Web and app events (Parquet per day), one row per event.",
    key=("event_id",),
    columns=(
        Column("event_id", nullable=False),
        Column("session_id", nullable=False),
        Column("customer_id", pattern=CUSTOMER_ID),  # null: an anonymous visitor
        Column(
            "event_type", nullable=False, allowed=("view", "add_to_cart", "checkout", "purchase")
        ),
        Column("product_id"),  # null for checkout and purchase
        Column("event_at", "timestamp", nullable=False),
        Column("device", allowed=("desktop", "mobile", "tablet")),
        Column("referrer"),
    ),
)

INVENTORY = Contract(
    table="inventory",
    description="Daily stock snapshot (Parquet per day), one row per date, product and warehouse.",
    key=("snapshot_date", "product_id", "warehouse"),
    columns=(
        Column("snapshot_date", "timestamp", nullable=False),
        Column("product_id", nullable=False),
        Column("warehouse", nullable=False),
        Column("on_hand", "int", nullable=False, minimum=0),
        Column("on_order", "int", minimum=0),
    ),
)

CAMPAIGNS = Contract(
    table="campaigns",
    description="Marketing campaigns, one row per campaign.",
    key=("campaign_id",),
    columns=(
        Column("campaign_id", nullable=False),
        Column("campaign_name", nullable=False),
        Column("channel", allowed=("Email", "Social", "Search", "Display", "SMS")),
        Column("start_date", "timestamp", nullable=False),
        Column("end_date", "timestamp", nullable=False),
        Column("budget", "float", minimum=0),
        Column("target_segment", allowed=(*C360_SEGMENTS, "All")),
    ),
)

CONTRACTS.update(
    {
        c.table: c
        for c in (
            CUSTOMERS,
            TRANSACTIONS,
            PRODUCTS,
            ORDERS,
            ORDER_ITEMS,
            CLICKSTREAM,
            INVENTORY,
            CAMPAIGNS,
        )
    }
)


def get_contract(table: str) -> Contract:
    try:
        return CONTRACTS[table]
    except KeyError:
        known = ", ".join(sorted(CONTRACTS))
        raise KeyError(f"no contract for table {table!r} (known: {known})") from None
