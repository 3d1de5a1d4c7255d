"""The generated files through the project's own readers and contracts: every valid
record is accepted, and exactly the planted broken lines are quarantined."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from churnstack.generate import GeneratedFiles, generate_demo
from churnstack.sources.contracts import get_contract
from churnstack.sources.files import read_csv, read_jsonl
from churnstack.sources.validate import validate

TABLES = ("telco_customers", "customer_location", "zip_population", "customer_reviews")


@pytest.fixture(scope="module", params=[True, False], ids=["defects", "clean"])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("contracts")
    return generate_demo(
        out, customers=3000, seed=9, as_of=dt.date(2026, 6, 1), defects=request.param
    )


def quarantined_lines(described: list[str]) -> list[int]:
    """Line numbers of planted records a loader must reject (not the fixable ones)."""
    broken = re.compile(r"line (\d+): (duplicate|truncated)")
    return sorted(int(m.group(1)) for d in described if (m := broken.match(d)))


@pytest.mark.parametrize("table", TABLES)
def test_contract_accepts_the_valid_records(generated: GeneratedFiles, table: str) -> None:
    path = getattr(generated, table)
    contract = get_contract(table)
    reader = read_jsonl if path.suffix == ".jsonl" else read_csv
    result = validate(reader(path, contract, source=path.name), contract)

    assert result.accepted.height == generated.counts[table]
    rejected = sorted(result.quarantined["_row_number"].to_list())
    assert rejected == quarantined_lines(generated.defects[table])
    if generated.defects[table]:
        assert rejected, "defects were planted, so something must land in quarantine"
