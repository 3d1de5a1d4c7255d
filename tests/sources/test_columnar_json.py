"""Column-oriented JSON (a dict of columns of row-index -> value) transposed to rows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from churnstack.errors import SourceError
from churnstack.settings import SourceSettings
from churnstack.sources.columnar_json import read_columnar_json
from churnstack.sources.contracts import get_contract
from churnstack.sources.extract import extract_source
from churnstack.sources.validate import validate

CONTRACT = get_contract("social_media")


def columns(n: int) -> dict[str, dict[str, object]]:
    rows = range(n)
    return {
        "complaint_id": {str(i): f"SM-{i}" for i in rows},
        "customer_id": {str(i): "7590-VHVEG" for i in rows},
        "agent_id": {str(i): (None if i % 2 else i + 1) for i in rows},
        "complaint_category": {str(i): "Network Failure" for i in rows},
        "media_channel": {str(i): "Twitter" for i in rows},
        "resolution_status": {str(i): "Backlog" for i in rows},
        "request_date": {str(i): "2026-03-01 10:00:00" for i in rows},
        "resolution_date": {str(i): None for i in rows},
    }


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "social.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_columns_become_rows_in_index_order(tmp_path: Path) -> None:
    data = columns(12)
    data = {name: dict(reversed(list(values.items()))) for name, values in data.items()}
    batch = read_columnar_json(write(tmp_path, data), CONTRACT, source="s.json")
    result = validate(batch, CONTRACT)
    assert result.quarantined.height == 0
    assert result.accepted["complaint_id"].to_list()[:3] == ["SM-0", "SM-1", "SM-2"]
    assert result.accepted["complaint_id"].to_list()[-1] == "SM-11"  # 11 after 2: numeric order
    assert result.accepted["agent_id"].to_list()[:2] == [1, None]
    assert result.accepted["_row_number"].to_list()[:2] == [1, 2]


def test_ragged_rows_are_quarantined_naming_the_row_index(tmp_path: Path) -> None:
    data = columns(3)
    del data["media_channel"]["1"]
    del data["customer_id"]["1"]
    data["complaint_id"]["7"] = "SM-7"  # a row only one column knows
    batch = read_columnar_json(write(tmp_path, data), CONTRACT, source="s.json")
    result = validate(batch, CONTRACT)
    assert result.accepted["complaint_id"].to_list() == ["SM-0", "SM-2"]
    errors = result.quarantined["_error"].to_list()
    assert errors[0] == (
        "row index '1': missing from column(s) customer_id, media_channel "
        "(ragged column-oriented JSON)"
    )
    assert errors[1].startswith("row index '7': missing from column(s) customer_id, agent_id")
    assert json.loads(result.quarantined["_raw"][0])["complaint_id"] == "SM-1"
    assert batch.source_rows == 4


def test_nested_values_are_flattened_like_jsonl(tmp_path: Path) -> None:
    data = columns(1)
    data["meta"] = {"0": {"lang": "en", "tags": ["x"]}}
    data["__index_level_0__"] = {"0": 0}
    batch = read_columnar_json(write(tmp_path, data), CONTRACT, source="s.json")
    assert "meta_lang" in batch.columns and "meta_tags" in batch.columns
    assert "__index_level_0__" not in batch.columns
    assert batch.rows[0][batch.columns.index("meta_tags")] == '["x"]'


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([{"complaint_id": "SM-1"}], "expected a JSON object of columns"),
        ({"complaint_id": ["SM-1"]}, "column 'complaint_id' is a JSON list"),
        ({}, "no columns"),
    ],
)
def test_files_that_are_not_column_oriented(tmp_path: Path, data: object, problem: str) -> None:
    with pytest.raises(SourceError, match=problem):
        read_columnar_json(write(tmp_path, data), CONTRACT, source="s.json")


def test_invalid_json_and_a_missing_required_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": {"0": 1}', encoding="utf-8")
    with pytest.raises(SourceError, match="invalid JSON"):
        read_columnar_json(bad, CONTRACT, source="bad.json")
    data = columns(1)
    del data["customer_id"]
    with pytest.raises(SourceError, match=r"missing required column\(s\) customer_id"):
        read_columnar_json(write(tmp_path, data), CONTRACT, source="s.json")


def test_the_registered_kind_reads_a_daily_file(tmp_path: Path) -> None:
    folder = tmp_path / "social_media"
    folder.mkdir()
    (folder / "2026-03-01.json").write_text(json.dumps(columns(2)), encoding="utf-8")
    source = SourceSettings(
        table="social_media",
        kind="columnar_json",
        path=folder / "{date:%Y-%m-%d}.json",
        daily=True,
    )
    item = extract_source(source, dt.date(2026, 3, 1))
    assert item is not None and item.lake_rows == 2
    assert extract_source(source, dt.date(2026, 3, 2)) is None  # optional and absent
