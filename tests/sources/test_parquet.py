"""The ``parquet`` source kind: typed reads, the initial load's history file, contracts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from churnstack.errors import SourceError
from churnstack.settings import SourceSettings
from churnstack.sources.extract import extract_source

DAY = dt.date(2026, 3, 1)


def _source(folder: Path, table: str = "transactions", **options) -> SourceSettings:
    return SourceSettings(
        table=table,
        kind="parquet",
        path=folder / "{date}.parquet",
        display_path=f"{table}/{{date}}.parquet",
        daily=True,
        load="merge",
        options=options,
    )


def _transactions(ids: list[int], **overrides) -> pa.Table:
    n = len(ids)
    columns = {
        "transaction_id": pa.array(ids, type=pa.int64()),
        "customer_id": pa.array(["7590-VHVEG"] * n).dictionary_encode(),
        "transaction_date": pa.array([dt.datetime(2026, 3, 1, 9, 30)] * n, type=pa.timestamp("us")),
        "transaction_amount": pa.array([12.5] * n, type=pa.float64()),
        "merchant_name": pa.array(["Safeway"] * n).dictionary_encode(),
        "merchant_category": pa.array(["Groceries"] * n).dictionary_encode(),
        "channel": pa.array(["Online"] * n).dictionary_encode(),
        "status": pa.array(["approved"] * n).dictionary_encode(),
    }
    columns.update(overrides)
    return pa.table(columns)


def _write(table: pa.Table, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


def test_typed_columns_are_read_as_they_are(tmp_path: Path) -> None:
    _write(_transactions([1, 2, 3]), tmp_path / "2026-03-01.parquet")
    item = extract_source(_source(tmp_path), DAY)
    assert item is not None and item.quarantined.height == 0
    schema = item.accepted.schema
    assert schema["transaction_id"] == pl.Int64
    assert schema["transaction_date"] == pl.Datetime("us")
    assert schema["transaction_amount"] == pl.Float64
    assert isinstance(schema["customer_id"], pl.Categorical)  # labels stay dictionary-encoded
    assert item.accepted["_row_number"].to_list() == [1, 2, 3]
    assert item.label == "transactions/2026-03-01.parquet"
    assert item.source_rows == 3


def test_the_initial_load_reads_the_history_first(tmp_path: Path) -> None:
    _write(_transactions([1, 2]), tmp_path / "history.parquet")
    _write(_transactions([3]), tmp_path / "2026-03-01.parquet")
    daily = extract_source(_source(tmp_path, history="history.parquet"), DAY)
    initial = extract_source(_source(tmp_path, history="history.parquet", initial_load=True), DAY)
    assert daily is not None and initial is not None
    assert daily.accepted["transaction_id"].to_list() == [3]
    assert initial.accepted["transaction_id"].to_list() == [1, 2, 3]
    assert initial.accepted["_row_number"].to_list() == [1, 2, 3]
    assert initial.label == "transactions/history.parquet + transactions/2026-03-01.parquet"
    assert initial.fingerprint != daily.fingerprint


def test_absent_files(tmp_path: Path) -> None:
    assert extract_source(_source(tmp_path, history="history.parquet"), DAY) is None
    _write(_transactions([1]), tmp_path / "history.parquet")
    only_history = extract_source(
        _source(tmp_path, history="history.parquet", initial_load=True), DAY
    )
    assert only_history is not None
    assert only_history.accepted["transaction_id"].to_list() == [1]
    required = SourceSettings(**{**_source(tmp_path).__dict__, "required": True})
    with pytest.raises(SourceError, match="transactions/2026-03-01.parquet: file not found"):
        extract_source(required, DAY)


def test_a_missing_history_file_on_the_initial_load_is_one_clear_error(tmp_path: Path) -> None:
    _write(_transactions([1]), tmp_path / "2026-03-01.parquet")
    source = _source(tmp_path, history="old/history.parquet", initial_load=True)
    with pytest.raises(SourceError, match="transactions/old/history.parquet: file not found"):
        extract_source(source, DAY)


def test_contract_breaks_in_typed_columns_are_quarantined(tmp_path: Path) -> None:
    table = _transactions(
        [1, 2, 3, 1],
        customer_id=pa.array(["7590-VHVEG", "BAD", None, "7590-VHVEG"]).dictionary_encode(),
        channel=pa.array(["Online", "Online", "Phone", "Online"]).dictionary_encode(),
    )
    _write(table, tmp_path / "2026-03-01.parquet")
    item = extract_source(_source(tmp_path), DAY)
    assert item is not None
    assert item.accepted["transaction_id"].to_list() == [1]
    errors = dict(zip(item.quarantined["_row_number"], item.quarantined["_error"], strict=True))
    assert errors[2].startswith("customer_id: 'BAD' does not match")
    assert errors[3] == (
        "customer_id: missing value; channel: 'Phone' not in [Online, In-Store, Mobile]"
    )
    assert errors[4] == "duplicate key transaction_id (first seen on line 1)"
    raw = json.loads(item.quarantined["_raw"][0])
    assert raw["customer_id"] == "BAD" and raw["transaction_id"] == 2


def test_ranges_apply_to_typed_numbers(tmp_path: Path) -> None:
    items = pa.table(
        {
            "order_item_id": ["a", "b"],
            "order_id": ["o", "o"],
            "product_id": ["p", "p"],
            "quantity": pa.array([0, 2], type=pa.int32()),
            "unit_price": [9.99, 9.99],
            "discount": [0.1, 1.5],
        }
    )
    _write(items, tmp_path / "2026-03-01.parquet")
    item = extract_source(_source(tmp_path, "order_items"), DAY)
    assert item is not None
    assert item.accepted.height == 0
    assert item.quarantined["_error"].to_list() == [
        "quantity: 0 is below 1",
        "discount: 1.5 is above 1",
    ]


def test_a_column_of_the_wrong_type_is_checked_as_text(tmp_path: Path) -> None:
    table = _transactions([1, 2], transaction_id=pa.array(["12", "x"]))
    _write(table, tmp_path / "2026-03-01.parquet")
    item = extract_source(_source(tmp_path), DAY)
    assert item is not None
    assert item.accepted["transaction_id"].to_list() == [12]
    assert item.quarantined["_error"].to_list() == ["transaction_id: 'x' is not an integer"]


def test_nested_columns_headers_and_time_zones_are_sanitised(tmp_path: Path) -> None:
    created = pa.array(
        [dt.datetime(2026, 5, 3, 16, 22, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))],
        type=pa.timestamp("us", tz="Europe/Paris"),
    )
    reviews = pa.table(
        {
            "_id": ["r1"],
            "Customer ID": ["7590-VHVEG"],
            "rating": pa.array([5], type=pa.int8()),
            "review_text": ["  great  "],
            "created_at": created,
            "channel": ["app"],
            "metadata": pa.array(
                [{"device": "ios", "app_version": "5.0.1", "language": "en"}],
            ),
            "tags": pa.array([["speed", "value"]]),
            "__index_level_0__": [0],
        }
    )
    _write(reviews, tmp_path / "2026-03-01.parquet")
    item = extract_source(_source(tmp_path, "customer_reviews"), DAY)
    assert item is not None and item.quarantined.height == 0, item.quarantined
    row = item.accepted.row(0, named=True)
    assert row["review_id"] == "r1" and row["customer_id"] == "7590-VHVEG"
    assert row["review_text"] == "great"
    assert row["metadata_device"] == "ios" and row["metadata_language"] == "en"
    assert json.loads(row["tags"]) == ["speed", "value"]
    assert row["created_at"] == dt.datetime(2026, 5, 3, 14, 22, 5)
    assert "__index_level_0__" not in item.accepted.columns


def test_a_file_that_is_not_parquet_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "2026-03-01.parquet").write_text("customer_id\n1\n", encoding="utf-8")
    with pytest.raises(SourceError, match="not a readable Parquet file"):
        extract_source(_source(tmp_path), DAY)


def test_a_missing_required_column_names_the_file(tmp_path: Path) -> None:
    _write(_transactions([1]).drop_columns(["channel"]), tmp_path / "2026-03-01.parquet")
    with pytest.raises(SourceError, match=r"2026-03-01.parquet: missing required column"):
        extract_source(_source(tmp_path), DAY)
