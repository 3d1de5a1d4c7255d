from __future__ import annotations

from pathlib import Path

import pytest

from churnstack.errors import SourceError
from churnstack.sources.contracts import CUSTOMER_REVIEWS, TELCO_CUSTOMERS
from churnstack.sources.files import read_csv, read_jsonl
from tests.conftest import TELCO_HEADER, TELCO_ROWS, telco_csv


def test_reads_rows_with_physical_line_numbers(tmp_path: Path) -> None:
    rows = [TELCO_ROWS[0], "", TELCO_ROWS[1]]
    batch = read_csv(telco_csv(tmp_path / "t.csv", rows), TELCO_CUSTOMERS, source="t.csv")
    assert batch.row_numbers == [2, 4]  # the blank line 3 is not a record
    assert batch.rows[0][0] == "7590-VHVEG"
    assert batch.source_rows == 2


def test_crlf_and_bom_are_handled(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([TELCO_HEADER, *TELCO_ROWS]).encode() + b"\r\n")
    batch = read_csv(path, TELCO_CUSTOMERS, source="t.csv")
    assert batch.columns[0] == "customer_id"
    assert len(batch.rows) == 4
    assert batch.rows[3][19] is None  # the single-space TotalCharges


def test_wrong_field_count_is_rejected_with_its_line(tmp_path: Path) -> None:
    rows = [TELCO_ROWS[0], TELCO_ROWS[1][:30], TELCO_ROWS[2]]
    batch = read_csv(telco_csv(tmp_path / "t.csv", rows), TELCO_CUSTOMERS, source="t.csv")
    assert len(batch.rows) == 2
    [reject] = batch.rejects
    assert reject.row_number == 3
    assert reject.error == "line 3: expected 21 fields, found 7"
    assert reject.raw == TELCO_ROWS[1][:30]


def test_runaway_quote_loses_only_its_own_line(tmp_path: Path) -> None:
    rows = [TELCO_ROWS[0], '1234-ABCDE,"Male,0,Yes', TELCO_ROWS[1], TELCO_ROWS[2]]
    batch = read_csv(telco_csv(tmp_path / "t.csv", rows), TELCO_CUSTOMERS, source="t.csv")
    assert [r[0] for r in batch.rows] == ["7590-VHVEG", "5575-GNVDE", "3668-QPYBK"]
    assert batch.row_numbers == [2, 4, 5]
    assert [r.row_number for r in batch.rejects] == [3]
    assert batch.source_rows == 4


def test_latin1_bytes_in_utf8_file_are_quarantined_not_fatal(tmp_path: Path) -> None:
    path = telco_csv(tmp_path / "t.csv")
    data = path.read_bytes().replace(b"Female,0,Yes,No,1", b"F\xe9male,0,Yes,No,1")
    path.write_bytes(data)
    batch = read_csv(path, TELCO_CUSTOMERS, source="t.csv")
    [reject] = batch.rejects
    assert reject.row_number == 2
    assert "byte 0xe9" in reject.error and "latin-1" in reject.error
    assert len(batch.rows) == 3
    # the same file read as Latin-1 is fine
    assert len(read_csv(path, TELCO_CUSTOMERS, source="t.csv", encoding="latin-1").rows) == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "t.csv: file not found"),
        (b"", "t.csv: file is empty"),
        (b"\n\n", "t.csv: file is empty .no header line."),
        ("customerID,gender\n".encode("utf-16"), "unreadable encoding"),
        (b"customerID,gender\x00\n", "NUL byte on line 1"),
    ],
)
def test_whole_file_problems_are_one_clear_error(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "t.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        read_csv(path, TELCO_CUSTOMERS, source="t.csv")


def test_unknown_encoding_is_a_configuration_problem(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="unknown encoding 'klingon'"):
        read_csv(telco_csv(tmp_path / "t.csv"), TELCO_CUSTOMERS, source="t.csv", encoding="klingon")


REVIEW = (
    '{"_id": "r1", "customer_id": "7590-VHVEG", "rating": 4, "review_text": "fine", '
    '"created_at": "2026-05-03T14:22:05Z", "channel": "app", '
    '"metadata": {"device": "ios", "app_version": "2.1", "language": "en"}, "tags": ["price"]}'
)


def test_jsonl_flattens_and_rejects_truncated_lines(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join([REVIEW, REVIEW[:40], "", "[1, 2]"]) + "\n", encoding="utf-8")
    batch = read_jsonl(path, CUSTOMER_REVIEWS, source="r.jsonl")
    assert "metadata_device" in batch.columns and batch.columns[0] == "review_id"
    assert batch.row_numbers == [1]
    assert [(r.row_number, r.error.split(":")[0]) for r in batch.rejects] == [
        (2, "line 2"),
        (4, "line 4"),
    ]
    assert "invalid JSON" in batch.rejects[0].error
    assert "expected a JSON object" in batch.rejects[1].error
    assert batch.source_rows == 3


def test_jsonl_missing_required_field_everywhere_is_fatal(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(REVIEW.replace('"rating": 4, ', "") + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"missing required column\(s\) rating"):
        read_jsonl(path, CUSTOMER_REVIEWS, source="r.jsonl")
