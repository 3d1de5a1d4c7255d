"""Write the demo's four source files: one synthetic telecom, consistent across them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from churnstack.errors import TerminalError
from churnstack.generate import defects as plant
from churnstack.generate._text import write_lines
from churnstack.generate.geography import (
    LOCATION_HEADER,
    ZIP_HEADER,
    assign_locations,
    location_lines,
    zip_population_lines,
)
from churnstack.generate.reviews import review_lines, simulate_reviews
from churnstack.generate.telco import HEADER, simulate_customers, telco_lines

# Table name (also the GeneratedFiles field) -> file name.
FILES = {
    "telco_customers": "telco_customers.csv",
    "customer_location": "customer_location.csv",
    "zip_population": "zip_population.csv",
    "customer_reviews": "customer_reviews.jsonl",
}


@dataclass(frozen=True)
class GeneratedFiles:
    """What :func:`generate_demo` wrote."""

    telco_customers: Path
    customer_location: Path
    zip_population: Path
    customer_reviews: Path
    # Valid records written per table (planted defect lines excluded).
    counts: dict[str, int] = field(default_factory=dict)
    # Per table (same keys as counts), one description of each planted defect in its file,
    # e.g. "line 57: duplicate of line 12 (customerID ...)"; empty lists when defects are off.
    defects: dict[str, list[str]] = field(default_factory=dict)


def generate_demo(
    out_dir: Path,
    *,
    customers: int = 7043,
    seed: int = 42,
    as_of: dt.date,
    defects: bool = True,
) -> GeneratedFiles:
    """Generate the demo sources into ``out_dir`` (created if missing).

    The same ``seed`` and ``as_of`` always give byte-identical files; ``as_of``
    only moves the review dates (the 365 days before it, UTC). With
    ``defects=False`` the files hold exactly the valid records of the defective
    run, without the planted problems.
    """
    if isinstance(customers, bool) or not isinstance(customers, int) or customers < 1:
        raise TerminalError(f"customers must be a whole number of at least 1, got {customers!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise TerminalError(f"seed must be a non-negative whole number, got {seed!r}")
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    if not isinstance(as_of, dt.date):
        raise TerminalError(f"as_of must be a date, got {as_of!r}")

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Independent streams: a change in one table's recipe leaves the others alone.
    customer_rng, location_rng, review_rng, defect_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)
    )

    # One customer more than asked: the "ghost" only ever appears as the
    # truncated telco line, so defects on/off leaves the valid data unchanged.
    everyone = simulate_customers(customer_rng, customers + 1)
    valid = everyone.subset(np.arange(customers))
    lines = telco_lines(everyone)
    customer_lines, ghost_line = lines.slice(0, customers), lines[customers]

    locations = assign_locations(location_rng, valid.churn)
    zip_lines = zip_population_lines(locations)

    # One review more than drawn for real customers: the truncated JSONL line.
    reviews = simulate_reviews(review_rng, valid, as_of, extra=1)
    documents = review_lines(reviews, valid.customer_id)
    valid_documents, extra_document = documents.slice(0, len(documents) - 1), documents[-1]

    found: dict[str, list[str]] = {table: [] for table in FILES}
    if defects:
        header_line, customer_lines, found["telco_customers"] = plant.telco(
            defect_rng, HEADER, customer_lines, ghost_line
        )
        valid_documents, found["customer_reviews"] = plant.reviews(
            defect_rng, valid_documents, extra_document
        )
    else:
        header_line = ",".join(HEADER)

    paths = {table: out_dir / name for table, name in FILES.items()}
    write_lines(paths["telco_customers"], header_line, customer_lines)
    write_lines(
        paths["customer_location"],
        ",".join(LOCATION_HEADER),
        location_lines(valid.customer_id, locations),
    )
    write_lines(paths["zip_population"], ",".join(ZIP_HEADER), zip_lines)
    write_lines(paths["customer_reviews"], None, valid_documents)

    return GeneratedFiles(
        telco_customers=paths["telco_customers"],
        customer_location=paths["customer_location"],
        zip_population=paths["zip_population"],
        customer_reviews=paths["customer_reviews"],
        counts={
            "telco_customers": customers,
            "customer_location": customers,
            "zip_population": len(zip_lines),
            "customer_reviews": len(reviews) - 1,
        },
        defects=found,
    )
