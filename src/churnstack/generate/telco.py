"""Synthetic customers shaped like IBM's Telco Customer Churn export.

Everything is drawn column by column with NumPy (no loop per customer). The
story, in generation order:

1. demographics (gender, senior, partner, dependents);
2. internet type, then a contract that depends on it and on the household;
3. tenure drawn from a per-contract Beta (month-to-month customers are young);
4. phone, extra lines and add-ons, more likely for long-tenure customers;
5. billing (paperless, payment method) conditional on the contract;
6. monthly charges priced from the services, total charges ≈ monthly × tenure;
7. churn from a logistic model whose intercept is solved so that the expected
   churn rate is :data:`TARGET_CHURN_RATE`.

A handful of customers (about 0.15 %, like IBM's 11 of 7,043) have just signed
up: tenure 0, a blank ``TotalCharges`` (a single space) and no churn.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from churnstack.generate._text import draw_categories, fixed, integers, join_columns, pick, sigmoid

HEADER: tuple[str, ...] = (
    "customerID",
    "gender",
    "SeniorCitizen",
    "Partner",
    "Dependents",
    "tenure",
    "PhoneService",
    "MultipleLines",
    "InternetService",
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
    "Contract",
    "PaperlessBilling",
    "PaymentMethod",
    "MonthlyCharges",
    "TotalCharges",
    "Churn",
)

GENDERS = ("Female", "Male")
YES_NO = ("No", "Yes")  # index 0 = No, 1 = Yes
INTERNET = ("No", "DSL", "Fiber optic")  # index 0, 1, 2
CONTRACTS = ("Month-to-month", "One year", "Two year")
PAYMENTS = (
    "Electronic check",
    "Mailed check",
    "Bank transfer (automatic)",
    "Credit card (automatic)",
)
ADD_ONS = (
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
)
NO_INTERNET = "No internet service"
NO_PHONE = "No phone service"

TARGET_CHURN_RATE = 0.265
NEW_CUSTOMER_SHARE = 11 / 7043  # tenure 0, blank TotalCharges
MAX_TENURE = 72

# Share of internet customers taking each add-on, by internet type (DSL, fiber),
# close to IBM's data; long-tenure customers take more of them.
_ADD_ON_RATE = {
    "OnlineSecurity": (0.49, 0.27),
    "OnlineBackup": (0.45, 0.43),
    "DeviceProtection": (0.44, 0.44),
    "TechSupport": (0.49, 0.28),
    "StreamingTV": (0.40, 0.57),
    "StreamingMovies": (0.41, 0.57),
}
# Monthly price list (dollars): a line-item fit of IBM's MonthlyCharges.
_PRICE_PHONE = 20.0
_PRICE_EXTRA_LINES = 5.0
_PRICE_INTERNET = {1: 25.0, 2: 50.0}
_PRICE_ADD_ON = {
    "OnlineSecurity": 5.0,
    "OnlineBackup": 5.0,
    "DeviceProtection": 5.0,
    "TechSupport": 5.0,
    "StreamingTV": 10.0,
    "StreamingMovies": 10.0,
}
# Payment method shares (echeck, mailed, bank, card) by contract.
_PAYMENT_BY_CONTRACT = np.array(
    [
        [0.48, 0.23, 0.15, 0.14],
        [0.24, 0.23, 0.26, 0.27],
        [0.10, 0.22, 0.33, 0.35],
    ]
)
# Tenure ~ 72 * Beta(a, b) by contract: means ≈ 18, 42 and 57 months.
_TENURE_BETA = ((0.55, 1.65), (1.5, 1.05), (2.4, 0.62))


@dataclass(frozen=True)
class Customers:
    """Columns of the customer table as NumPy arrays (codes, not labels)."""

    customer_id: pl.Series  # str, like 7590-VHVEG
    male: np.ndarray  # bool
    senior: np.ndarray  # bool
    partner: np.ndarray  # bool
    dependents: np.ndarray  # bool
    tenure: np.ndarray  # int, 0..72
    phone: np.ndarray  # bool
    multiple_lines: np.ndarray  # bool (False without phone)
    internet: np.ndarray  # int index into INTERNET
    add_ons: dict[str, np.ndarray]  # bool per add-on (False without internet)
    contract: np.ndarray  # int index into CONTRACTS
    paperless: np.ndarray  # bool
    payment: np.ndarray  # int index into PAYMENTS
    monthly_cents: np.ndarray  # int
    total_cents: np.ndarray  # int, -1 when tenure is 0 (written as a single space)
    churn: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.customer_id)

    @property
    def monthly_charges(self) -> np.ndarray:
        return self.monthly_cents / 100.0

    def subset(self, index: np.ndarray) -> Customers:
        def take(a: np.ndarray) -> np.ndarray:
            return a[index]

        return Customers(
            customer_id=self.customer_id.gather(pl.Series(np.asarray(index, dtype=np.int64))),
            male=take(self.male),
            senior=take(self.senior),
            partner=take(self.partner),
            dependents=take(self.dependents),
            tenure=take(self.tenure),
            phone=take(self.phone),
            multiple_lines=take(self.multiple_lines),
            internet=take(self.internet),
            add_ons={k: take(v) for k, v in self.add_ons.items()},
            contract=take(self.contract),
            paperless=take(self.paperless),
            payment=take(self.payment),
            monthly_cents=take(self.monthly_cents),
            total_cents=take(self.total_cents),
            churn=take(self.churn),
        )


def customer_ids(rng: np.random.Generator, n: int) -> pl.Series:
    """``n`` distinct ids shaped ``dddd-LLLLL`` (like ``7590-VHVEG``), in random order."""
    letters_space = 26**5
    codes = rng.choice(10_000 * letters_space, size=n, replace=False)
    digits, letters = np.divmod(codes, letters_space)
    ids = pl.Series(digits).cast(pl.String).str.zfill(4) + "-"
    alphabet = [chr(ord("A") + i) for i in range(26)]
    for power in range(4, -1, -1):  # five letters, most significant first
        ids = ids + pick(alphabet, (letters // 26**power) % 26)
    return ids


def _solve_intercept(logit: np.ndarray, eligible: np.ndarray, target: float) -> float:
    """Intercept b such that mean(sigmoid(logit + b) * eligible) == target (bisection)."""
    lo, hi = -20.0, 20.0
    for _ in range(60):
        mid = (lo + hi) / 2
        rate = float(np.mean(sigmoid(logit + mid) * eligible))
        lo, hi = (mid, hi) if rate < target else (lo, mid)
    return (lo + hi) / 2


def churn_logit(c: Customers) -> np.ndarray:
    """Churn log-odds before the intercept: the relationships the analytics should find."""
    contract_effect = np.array([0.0, -0.85, -1.7])[c.contract]
    internet_effect = np.array([-0.45, 0.0, 0.7])[c.internet]
    has_internet = c.internet > 0
    return (
        contract_effect
        + internet_effect
        - 0.44 * np.log1p(c.tenure)
        + 0.012 * (c.monthly_charges - 65.0)
        - 0.5 * (has_internet & c.add_ons["OnlineSecurity"])
        - 0.4 * (has_internet & c.add_ons["TechSupport"])
        - 0.15 * (has_internet & c.add_ons["OnlineBackup"])
        + 0.5 * (c.payment == 0)  # electronic check
        + 0.3 * c.senior
        + 0.25 * c.paperless
        - 0.10 * c.partner
        - 0.20 * c.dependents
    )


def simulate_customers(rng: np.random.Generator, n: int) -> Customers:
    """Draw ``n`` customers; the same generator state always gives the same table."""
    ids = customer_ids(rng, n)
    male = rng.random(n) < 0.505
    senior = rng.random(n) < 0.162
    partner = rng.random(n) < 0.483
    dependents = rng.random(n) < np.where(partner, 0.52, 0.11) * np.where(senior, 0.25, 1.0)

    # Internet type: seniors lean to fiber.
    internet_p = np.where(
        senior[:, None], np.array([0.10, 0.24, 0.66]), np.array([0.24, 0.36, 0.40])
    )
    internet = draw_categories(rng, internet_p)

    # Contract: fiber customers stay month-to-month, households sign longer contracts.
    base = np.log(np.array([[0.40, 0.24, 0.36], [0.57, 0.22, 0.21], [0.75, 0.15, 0.10]]))
    contract_logits = base[internet] + np.outer(0.55 * partner + 0.35 * dependents, [0, 0.7, 1.0])
    contract_logits += np.outer(senior, [0.35, 0.0, -0.3])
    contract = draw_categories(rng, np.exp(contract_logits))

    a = np.array([p[0] for p in _TENURE_BETA])[contract]
    b = np.array([p[1] for p in _TENURE_BETA])[contract]
    tenure = np.clip(np.ceil(rng.beta(a, b) * MAX_TENURE), 1, MAX_TENURE).astype(np.int64)
    new_count = round(n * NEW_CUSTOMER_SHARE) if n >= 100 else 0
    if new_count:
        # Fresh sign-ups on a term contract, like IBM's blank-TotalCharges rows.
        term = np.flatnonzero(contract > 0)
        pool = term if len(term) >= new_count else np.arange(n)
        tenure[rng.choice(pool, size=new_count, replace=False)] = 0
    loyalty = tenure / MAX_TENURE - 0.45  # centred: more services for long-tenure customers

    phone = np.ones(n, dtype=bool)
    dsl = internet == 1
    phone[dsl] = rng.random(int(dsl.sum())) >= 0.28  # only DSL customers go without phone
    lines_rate = np.array([0.22, 0.40, 0.63])[internet]
    multiple_lines = phone & (rng.random(n) < sigmoid(_logit(lines_rate) + 1.6 * loyalty))

    add_ons: dict[str, np.ndarray] = {}
    has_internet = internet > 0
    for name in ADD_ONS:  # loop over six columns, not over rows
        rate = np.where(internet == 2, _ADD_ON_RATE[name][1], _ADD_ON_RATE[name][0])
        p = sigmoid(_logit(rate) + 2.0 * loyalty + 0.3 * (contract == 2))
        add_ons[name] = has_internet & (rng.random(n) < p)

    paperless_rate = np.array([0.64, 0.54, 0.46])[contract] + np.array([-0.2, 0.0, 0.1])[internet]
    paperless = rng.random(n) < paperless_rate
    payment_p = _PAYMENT_BY_CONTRACT[contract].copy()
    payment_p[:, 0] *= np.where(senior, 1.5, 1.0) * np.where(internet == 0, 0.5, 1.0)
    payment_p[:, 1] *= np.where(internet == 0, 1.8, 1.0) * np.where(paperless, 0.7, 1.3)
    payment = draw_categories(rng, payment_p)

    price = (
        _PRICE_PHONE * phone
        + _PRICE_EXTRA_LINES * multiple_lines
        + np.select([internet == 1, internet == 2], [_PRICE_INTERNET[1], _PRICE_INTERNET[2]], 0.0)
        + sum(_PRICE_ADD_ON[k] * v for k, v in add_ons.items())
        + rng.normal(0.0, 1.0, n)
    )
    # IBM's charges are multiples of 5 cents.
    monthly_cents = (np.rint(np.clip(price, 18.25, 118.75) * 20) * 5).astype(np.int64)
    # Price changes over a customer's life: total ≈ monthly × tenure, ±5 %.
    drift = np.where(tenure > 1, rng.normal(1.0, 0.05, n), 1.0)
    total_cents = np.rint(monthly_cents * tenure * np.clip(drift, 0.7, 1.3)).astype(np.int64)
    total_cents[tenure == 0] = -1

    customers = Customers(
        customer_id=ids,
        male=male,
        senior=senior,
        partner=partner,
        dependents=dependents,
        tenure=tenure,
        phone=phone,
        multiple_lines=multiple_lines,
        internet=internet,
        add_ons=add_ons,
        contract=contract,
        paperless=paperless,
        payment=payment,
        monthly_cents=monthly_cents,
        total_cents=total_cents,
        churn=np.zeros(n, dtype=bool),
    )
    logit = churn_logit(customers)
    can_churn = tenure > 0
    intercept = _solve_intercept(logit, can_churn, TARGET_CHURN_RATE)
    churn = can_churn & (rng.random(n) < sigmoid(logit + intercept))
    return replace(customers, churn=churn)


def _logit(p: np.ndarray | float) -> np.ndarray:
    p = np.asarray(p, dtype=np.float64)
    return np.log(p / (1.0 - p))


def telco_fields(c: Customers) -> list[pl.Series]:
    """The 21 columns as text, in :data:`HEADER` order."""
    has_internet = c.internet > 0

    def yes_no(flags: np.ndarray) -> pl.Series:
        return pick(YES_NO, flags.astype(np.int64))

    def add_on(flags: np.ndarray) -> pl.Series:
        return pick(("No", "Yes", NO_INTERNET), np.where(has_internet, flags, 2))

    total = fixed(np.maximum(c.total_cents, 0) / 100.0, 2)
    total = pl.select(
        pl.when(pl.Series(c.total_cents < 0)).then(pl.lit(" ")).otherwise(total)
    ).to_series()
    return [
        c.customer_id,
        pick(GENDERS, c.male.astype(np.int64)),
        integers(c.senior),
        yes_no(c.partner),
        yes_no(c.dependents),
        integers(c.tenure),
        yes_no(c.phone),
        pick(("No", "Yes", NO_PHONE), np.where(c.phone, c.multiple_lines, 2)),
        pick(INTERNET, c.internet),
        *(add_on(c.add_ons[name]) for name in ADD_ONS),
        pick(CONTRACTS, c.contract),
        yes_no(c.paperless),
        pick(PAYMENTS, c.payment),
        fixed(c.monthly_cents / 100.0, 2),
        total,
        yes_no(c.churn),
    ]


def telco_lines(c: Customers) -> pl.Series:
    """One CSV line per customer (no header, no line ending); values never need quoting."""
    return join_columns(telco_fields(c))
