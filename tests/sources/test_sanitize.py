from __future__ import annotations

import json

import pytest

from churnstack.errors import SourceError
from churnstack.sources.contracts import CUSTOMER_REVIEWS, TELCO_CUSTOMERS, normalise_name
from churnstack.sources.sanitize import clean_text, flatten_document, map_header, snake_case
from tests.conftest import TELCO_HEADER


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("MonthlyCharges", "monthly_charges"),
        ("customerID", "customer_id"),
        ("DATE of BIRTH", "date_of_birth"),
        ("Call Start-Time", "call_start_time"),
        ("  zip code ", "zip_code"),
        ("tenure", "tenure"),
    ],
)
def test_snake_case(raw: str, expected: str) -> None:
    assert snake_case(raw) == expected


def test_header_maps_any_spelling_to_the_contract_name() -> None:
    header = TELCO_HEADER.replace("tenure", "Tenure").replace("PaymentMethod", "paymentMETHOD")
    names = map_header(header.split(","), TELCO_CUSTOMERS, "f.csv")
    assert names[0] == "customer_id"
    assert names[5] == "tenure"
    assert "payment_method" in names
    assert normalise_name("Customer ID") == normalise_name("customerID")


def test_extra_columns_are_kept_in_snake_case() -> None:
    names = map_header([*TELCO_HEADER.split(","), "Loyalty Points"], TELCO_CUSTOMERS, "f.csv")
    assert names[-1] == "loyalty_points"


def test_missing_required_column_names_it() -> None:
    header = TELCO_HEADER.replace(",tenure", "").split(",")
    with pytest.raises(SourceError, match=r"f\.csv: missing required column\(s\) tenure"):
        map_header(header, TELCO_CUSTOMERS, "f.csv")


def test_duplicated_header_name_is_fatal() -> None:
    header = TELCO_HEADER.replace("gender", "gender,Gender").split(",")
    with pytest.raises(SourceError, match="duplicated header name 'Gender' .columns 2 and 3"):
        map_header(header, TELCO_CUSTOMERS, "f.csv")


def test_mongo_id_alias() -> None:
    names = map_header(
        ["_id", "customer_id", "rating", "review_text", "created_at", "channel"],
        CUSTOMER_REVIEWS,
        "r.jsonl",
    )
    assert names[0] == "review_id"


def test_clean_text_trims_and_blanks_become_null() -> None:
    assert clean_text("  Yes ") == "Yes"
    assert clean_text(" ") is None
    assert clean_text(None) is None


def test_flatten_nested_objects_and_keep_arrays_as_json() -> None:
    doc = {
        "a": 1,
        "meta": {"device": "ios", "deep": {"x": True}},
        "tags": ["b", "a"],
        "n": None,
        "r": 5.0,
        "s": " hi ",
    }
    flat = flatten_document(doc)
    assert flat == {
        "a": "1",
        "meta_device": "ios",
        "meta_deep_x": "true",
        "tags": json.dumps(["b", "a"]),
        "n": None,
        "r": "5",
        "s": "hi",
    }
