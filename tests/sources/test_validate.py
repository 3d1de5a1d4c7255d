from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from churnstack.sources.contracts import CUSTOMER_REVIEWS, TELCO_CUSTOMERS
from churnstack.sources.files import read_csv, read_jsonl
from churnstack.sources.validate import validate
from tests.conftest import TELCO_ROWS, telco_csv


def _validated(tmp_path: Path, rows: list[str]):
    batch = read_csv(telco_csv(tmp_path / "t.csv", rows), TELCO_CUSTOMERS, source="t.csv")
    return batch, validate(batch, TELCO_CUSTOMERS)


def test_types_follow_the_contract(tmp_path: Path) -> None:
    _, result = _validated(tmp_path, TELCO_ROWS)
    frame = result.accepted
    assert result.quarantined.height == 0
    assert frame.schema["tenure"].is_integer()
    assert frame.schema["monthly_charges"].is_float()
    assert frame["total_charges"].to_list()[3] is None  # ' ' when tenure is 0
    assert frame["_row_number"].to_list() == [2, 3, 4, 5]


def test_contract_breaks_are_quarantined_with_reasons(tmp_path: Path) -> None:
    rows = [
        TELCO_ROWS[0].replace(",Female,", ",Mle,"),
        TELCO_ROWS[1].replace(",34,", ",thirty,"),
        TELCO_ROWS[2].replace("3668-QPYBK", "BAD-ID"),
        TELCO_ROWS[3].replace(",52.55,", ",-5,"),
    ]
    _, result = _validated(tmp_path, rows)
    assert result.accepted.height == 0
    errors = dict(zip(result.quarantined["_row_number"], result.quarantined["_error"], strict=True))
    assert errors[2] == "gender: 'Mle' not in [Female, Male]"
    assert errors[3] == "tenure: 'thirty' is not an integer"
    assert errors[4].startswith("customer_id: 'BAD-ID' does not match")
    assert errors[5] == "monthly_charges: -5 is below 0"
    raw = json.loads(result.quarantined["_raw"][0])
    assert raw["gender"] == "Mle" and raw["customer_id"] == "7590-VHVEG"


def test_several_problems_in_one_row_are_all_named(tmp_path: Path) -> None:
    _, result = _validated(tmp_path, [TELCO_ROWS[0].replace(",Female,0,", ",X,7,")])
    assert result.quarantined["_error"][0] == (
        "gender: 'X' not in [Female, Male]; senior_citizen: '7' not in [0, 1]"
    )


def test_duplicate_key_keeps_the_first_and_names_it(tmp_path: Path) -> None:
    rows = [TELCO_ROWS[0], TELCO_ROWS[1], TELCO_ROWS[0].replace("29.85,29.85", "30.00,30.00")]
    _, result = _validated(tmp_path, rows)
    assert result.accepted["customer_id"].to_list() == ["7590-VHVEG", "5575-GNVDE"]
    assert result.quarantined["_row_number"].to_list() == [4]
    assert result.quarantined["_error"][0] == "duplicate key customer_id (first seen on line 2)"


def test_invalid_row_does_not_win_a_key(tmp_path: Path) -> None:
    rows = [TELCO_ROWS[0].replace(",Female,", ",??,"), TELCO_ROWS[0]]
    _, result = _validated(tmp_path, rows)
    assert result.accepted["_row_number"].to_list() == [3]
    assert result.quarantined["_row_number"].to_list() == [2]


def test_parser_rejects_join_the_quarantine_in_line_order(tmp_path: Path) -> None:
    rows = [TELCO_ROWS[0], TELCO_ROWS[1][:20], TELCO_ROWS[0]]
    batch, result = _validated(tmp_path, rows)
    assert result.quarantined["_row_number"].to_list() == [3, 4]
    assert result.accepted.height + result.quarantined.height == batch.source_rows


def test_timestamps_with_offsets_become_utc(tmp_path: Path) -> None:
    base = {"customer_id": "7590-VHVEG", "rating": 5, "review_text": "x", "channel": "web"}
    docs = [
        base | {"_id": "a", "created_at": "2026-05-03T14:22:05Z"},
        base | {"_id": "b", "created_at": "2026-05-03 16:22:05+02:00"},
        base | {"_id": "c", "created_at": "2026-05-03T14:22:05.250"},
        base | {"_id": "d", "created_at": "yesterday"},
        base | {"_id": "e", "created_at": "2026-05-03", "rating": 4.5},
    ]
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in docs), encoding="utf-8")
    result = validate(read_jsonl(path, CUSTOMER_REVIEWS, source="r"), CUSTOMER_REVIEWS)
    assert result.accepted["created_at"].to_list() == [
        datetime(2026, 5, 3, 14, 22, 5),
        datetime(2026, 5, 3, 14, 22, 5),
        datetime(2026, 5, 3, 14, 22, 5, 250000),
    ]
    errors = result.quarantined["_error"].to_list()
    assert errors[0] == "created_at: 'yesterday' is not a timestamp"
    assert errors[1] == "rating: '4.5' is not an integer; rating: '4.5' not in [1, 2, 3, 4, 5]"


def test_columnar_sources_validate_like_row_sources(tmp_path: Path) -> None:
    import polars as pl

    from churnstack.sources.files import TextBatch

    row_batch, row_result = _validated(tmp_path, [*TELCO_ROWS, TELCO_ROWS[0]])
    frame = row_batch.to_frame()
    column_batch = TextBatch.from_frame(frame.with_columns(pl.col("tenure").cast(pl.String)))
    column_result = validate(column_batch, TELCO_CUSTOMERS)
    assert column_batch.source_rows == row_batch.source_rows == 5
    assert column_result.accepted.equals(row_result.accepted)
    assert column_result.quarantined.equals(row_result.quarantined)
