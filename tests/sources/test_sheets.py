"""Spreadsheet sources: a real .xlsx workbook, and Google Sheets through a fake gspread client
(Google cannot be reached from the test machines; the gspread path is the default factory)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from churnstack.errors import SourceError, SourceUnavailable
from churnstack.settings import SourceSettings
from churnstack.sources import sheets
from churnstack.sources.extract import extract_source

DAY = dt.date(2026, 3, 1)
AGENTS = [
    ("iD", "NamE", "experience", "state"),
    (1, "Ada Okafor", "senior", "CA"),
    (2.0, " Ben Smith ", "junior", "TX"),
    (None, None, None, None),
    (3, "Chen Li", "guru", "NY"),
]


def workbook(path: Path, rows: list[tuple], sheet: str = "agents", offset: int = 0) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    book.create_sheet("notes").append(["not", "this"])
    for _ in range(offset):
        ws.append([])
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


def xlsx_source(path: Path, **options) -> SourceSettings:
    return SourceSettings(table="agents", kind="xlsx", path=path, options=options)


def test_odd_case_headers_are_normalised(tmp_path: Path) -> None:
    path = workbook(tmp_path / "agents.xlsx", AGENTS)
    item = extract_source(xlsx_source(path, sheet="agents"), DAY)
    assert item is not None
    assert item.accepted.columns[:4] == ["id", "name", "experience", "state"]
    assert item.accepted["id"].to_list() == [1, 2]
    assert item.accepted["name"].to_list() == ["Ada Okafor", "Ben Smith"]
    assert item.accepted["_row_number"].to_list() == [2, 3]  # the sheet's own row numbers
    assert item.quarantined["_error"].to_list() == [
        "experience: 'guru' not in [junior, mid, senior]"
    ]


def test_a_range_of_a_sheet(tmp_path: Path) -> None:
    rows = [(*row, "ignored") for row in AGENTS[:3]]
    path = workbook(tmp_path / "agents.xlsx", rows, offset=2)
    item = extract_source(xlsx_source(path, sheet="agents", range="A3:D4"), DAY)
    assert item is not None
    assert item.accepted["id"].to_list() == [1]
    assert item.accepted["_row_number"].to_list() == [4]


def test_missing_column_sheet_or_file_fail_before_writing(tmp_path: Path) -> None:
    path = workbook(tmp_path / "agents.xlsx", [("iD", "NamE", "state"), (1, "A", "CA")])
    with pytest.raises(SourceError, match=r"agents.xlsx#agents: missing required column\(s\) "):
        extract_source(xlsx_source(path, sheet="agents"), DAY)
    with pytest.raises(SourceError, match="no sheet named 'staff'"):
        extract_source(xlsx_source(path, sheet="staff"), DAY)
    (tmp_path / "broken.xlsx").write_text("not a zip")
    with pytest.raises(SourceError, match="not a readable .xlsx"):
        extract_source(xlsx_source(tmp_path / "broken.xlsx"), DAY)


class FakeWorksheet:
    def __init__(self, values: list[list[str]]) -> None:
        self.values = values

    def get_all_values(self) -> list[list[str]]:
        return self.values

    def get(self, cells: str) -> list[list[str]]:
        assert cells == "A1:D3"
        return self.values[:3]


class FakeBook:
    def __init__(self, sheets_: dict[str, FakeWorksheet]) -> None:
        self.sheets = sheets_

    def worksheet(self, name: str) -> FakeWorksheet:
        return self.sheets[name]

    @property
    def sheet1(self) -> FakeWorksheet:
        return next(iter(self.sheets.values()))


class FakeClient:
    """gspread's Client, as far as the reader uses it."""

    def __init__(self, books: dict[str, FakeBook], failures: list[Exception] | None = None):
        self.books = books
        self.failures = failures or []

    def open_by_key(self, key: str) -> FakeBook:
        if self.failures:
            raise self.failures.pop(0)
        return self.books[key]


def gsheet_source(**options) -> SourceSettings:
    return SourceSettings(
        table="agents",
        kind="gsheet",
        path=Path(),
        options={"spreadsheet": "key123", "retries": 2, "retry_backoff": 0, **options},
    )


def test_google_sheet_through_a_fake_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "sa.json"
    key_file.write_text("{}")
    values = [[str(c) if c is not None else "" for c in row] for row in AGENTS[:3]]
    client = FakeClient({"key123": FakeBook({"agents": FakeWorksheet(values)})})
    used: list[Path | None] = []
    monkeypatch.setattr(sheets, "gsheet_client_factory", lambda f: used.append(f) or client)
    item = extract_source(
        gsheet_source(worksheet="agents", service_account_file=str(key_file)), DAY
    )
    assert item is not None
    assert item.accepted["id"].to_list() == [1, 2]
    assert item.label == "gsheet:key123#agents"
    assert used == [key_file]
    ranged = extract_source(gsheet_source(worksheet="agents", range="A1:D3"), DAY)
    assert ranged is not None and ranged.lake_rows == 2


def test_google_errors_are_sorted(monkeypatch: pytest.MonkeyPatch) -> None:
    import gspread
    import requests

    def api_error(code: int) -> gspread.exceptions.APIError:
        response = requests.Response()
        response.status_code = code
        response._content = b'{"error": {"code": %d, "message": "x", "status": "X"}}' % code
        return gspread.exceptions.APIError(response)

    values = [["iD", "NamE", "experience", "state"], ["1", "A", "mid", "CA"]]
    book = FakeBook({"agents": FakeWorksheet(values)})
    client = FakeClient({"key123": book}, failures=[api_error(503)])
    monkeypatch.setattr(sheets, "gsheet_client_factory", lambda f: client)
    assert extract_source(gsheet_source(), DAY) is not None  # retried once, then read
    client.failures = [api_error(503), api_error(429)]
    with pytest.raises(SourceUnavailable, match="busy or unavailable"):
        extract_source(gsheet_source(), DAY)
    client.failures = [gspread.exceptions.SpreadsheetNotFound()]
    with pytest.raises(SourceError, match="spreadsheet not found"):
        extract_source(gsheet_source(), DAY)
    client.failures = [api_error(403)]
    with pytest.raises(SourceError, match="refused the service account"):
        extract_source(gsheet_source(), DAY)


def test_the_default_factory_is_gspread() -> None:
    assert sheets.gsheet_client_factory is sheets._gspread_client
