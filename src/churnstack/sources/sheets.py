"""Spreadsheet sources: an Excel workbook (``xlsx``) or a Google Sheet (``gsheet``).

Project file::

    agents:
      kind: xlsx
      path: "{data}/agents.xlsx"        # or s3://bucket/agents.xlsx
      sheet: agents                     # default: the first sheet
      range: "A1:D200"                  # default: every used cell

    agents:
      kind: gsheet
      spreadsheet: 1AbC...xyz           # the key, or the sheet's whole URL
      worksheet: agents                 # default: the first worksheet
      range: "A1:D200"                  # default: every used cell
      service_account_file: /run/secrets/google.json   # or service_account_file_env
                                        # (default $GOOGLE_APPLICATION_CREDENTIALS)

The first non-empty row of the range is the header. Headers in odd case
(``iD``, ``NamE``) are matched to the contract like every other source
(``id``, ``name``), and a missing required column fails before anything is
written. ``_row_number`` is the spreadsheet's own row number. Cells become
text as JSON values do (``5.0`` -> ``5``); empty cells are null; a row with a
value beyond the header is quarantined.

The Google client is made by :data:`gsheet_client_factory` (gspread with a
service-account key); tests replace it with a fake, as Google cannot be
reached from the test machines.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from churnstack.errors import ConfigError, SourceError
from churnstack.sources.base import SourceRead, register
from churnstack.sources.files import Reject, TextBatch
from churnstack.sources.objectstore import read_local_or_remote
from churnstack.sources.retry import TERMINAL, TRANSIENT, Problem, RetryPolicy, call_with_retries
from churnstack.sources.sanitize import _scalar_text, map_header

if TYPE_CHECKING:  # pragma: no cover
    from churnstack.settings import SourceSettings
    from churnstack.sources.contracts import Contract

GOOGLE_CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS"


def cell_text(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return _scalar_text(value)


def rows_to_batch(
    rows: Iterable[tuple[int, Sequence[Any]]], contract: Contract, source: str
) -> TextBatch:
    """(row number, cells) pairs -> a text batch: header first, blank rows skipped."""
    header: list[str] | None = None
    batch: TextBatch | None = None
    for number, cells in rows:
        texts = [cell_text(v) for v in cells]
        if not any(t is not None for t in texts):
            continue
        if header is None:
            while texts and texts[-1] is None:
                texts.pop()  # trailing empty header cells are not columns
            header = [t or "" for t in texts]
            batch = TextBatch(columns=map_header(header, contract, source))
            continue
        assert batch is not None
        width = len(header)
        extra = [t for t in texts[width:] if t is not None]
        if extra:
            batch.rejects.append(
                Reject(
                    number,
                    ",".join(t or "" for t in texts),
                    f"row {number}: {len(extra)} value(s) beyond the {width} header columns",
                )
            )
            continue
        batch.rows.append(texts[:width] + [None] * (width - len(texts[:width])))
        batch.row_numbers.append(number)
    if batch is None:
        raise SourceError(source, "the sheet is empty (no header row)")
    return batch


def _parse_range(text: str, source: str) -> tuple[int, int, int, int]:
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(text)
    except (ValueError, TypeError):
        raise ConfigError(f"source {source}: range {text!r} is not like A1:D200") from None
    return min_col, min_row, max_col, max_row


def read_xlsx(
    path: Path, contract: Contract, *, source: str, sheet: str | None, cells: str | None
) -> TextBatch:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise SourceError(source, "file not found") from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceError(source, f"not a readable .xlsx workbook ({exc})") from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise SourceError(
                source, f"no sheet named {sheet!r} (sheets: {', '.join(book.sheetnames)})"
            )
        if cells:
            min_col, min_row, max_col, max_row = _parse_range(cells, source)
            rows = ws.iter_rows(
                min_row=min_row,
                max_row=max_row,
                min_col=min_col,
                max_col=max_col,
                values_only=True,
            )
            start = min_row
        else:
            rows = ws.iter_rows(values_only=True)
            start = 1
        return rows_to_batch(enumerate(rows, start=start), contract, source)
    finally:
        book.close()


@register("xlsx")
def read_xlsx_source(
    source: SourceSettings, run_date: date, contract: Contract
) -> SourceRead | None:
    sheet = source.format_option("sheet", run_date)
    cells = source.format_option("range", run_date)
    label_suffix = f"#{sheet}" if sheet else ""
    return read_local_or_remote(
        source,
        run_date,
        lambda path, label: read_xlsx(
            path, contract, source=label + label_suffix, sheet=sheet, cells=cells
        ),
    )


# --- Google Sheets --------------------------------------------------------------------------


def _gspread_client(service_account_file: Path | None) -> Any:
    import gspread

    if service_account_file is None:
        return gspread.service_account()
    return gspread.service_account(filename=str(service_account_file))


# Replaced in tests by a function returning a fake client (Google is unreachable here).
gsheet_client_factory: Callable[[Path | None], Any] = _gspread_client


def _service_account_file(source: SourceSettings) -> Path | None:
    options = source.options
    if options.get("service_account_file"):
        path = Path(str(options["service_account_file"])).expanduser()
    else:
        env_name = str(options.get("service_account_file_env") or GOOGLE_CREDENTIALS_ENV)
        value = os.environ.get(env_name)
        if not value:
            if options.get("service_account_file_env"):
                raise ConfigError(
                    f"source {source.table}: environment variable {env_name} is not set "
                    "(it names the Google service-account key file)"
                )
            return None
        path = Path(value).expanduser()
    if not path.is_file():
        raise ConfigError(f"source {source.table}: service-account key file {path} not found")
    return path


def _gsheet_classifier(exc: BaseException) -> Problem | None:
    name = type(exc).__name__
    text = " ".join(str(exc).split())[:300]
    if name == "SpreadsheetNotFound":
        return Problem(
            TERMINAL, "spreadsheet not found (check the key, and share it with the service account)"
        )
    if name == "WorksheetNotFound":
        return Problem(TERMINAL, f"worksheet not found: {text}")
    if name == "APIError":
        code = getattr(getattr(exc, "response", None), "status_code", None)
        code = code or getattr(exc, "code", None)
        if code in (429, 500, 502, 503, 504):
            return Problem(TRANSIENT, f"Google Sheets is busy or unavailable (HTTP {code})")
        if code in (401, 403):
            return Problem(
                TERMINAL, f"Google refused the service account (HTTP {code}): check its key"
            )
        return Problem(TERMINAL, f"Google Sheets said: {text}")
    network = isinstance(exc, ConnectionError | TimeoutError)
    if name in ("TransportError", "RefreshError") or network:
        if name == "RefreshError":
            return Problem(TERMINAL, f"the service-account key was refused: {text}")
        return Problem(TRANSIENT, f"cannot reach Google Sheets: {text}")
    return None


def _open_worksheet(client: Any, spreadsheet: str, worksheet: str | None) -> Any:
    book = (
        client.open_by_url(spreadsheet)
        if spreadsheet.startswith("https://")
        else client.open_by_key(spreadsheet)
    )
    return book.worksheet(worksheet) if worksheet else book.sheet1


@register("gsheet")
def read_gsheet_source(source: SourceSettings, run_date: date, contract: Contract) -> SourceRead:
    import hashlib
    import json

    spreadsheet = source.format_option("spreadsheet", run_date)
    if not spreadsheet:
        raise ConfigError(f"source {source.table}: set spreadsheet (the key or the URL)")
    worksheet = source.format_option("worksheet", run_date)
    cells = source.format_option("range", run_date)
    label = f"gsheet:{spreadsheet}" + (f"#{worksheet}" if worksheet else "")
    if cells:
        _parse_range(cells, source.table)
        label += f"!{cells}"
    key_file = _service_account_file(source)
    policy = RetryPolicy.from_options(source.options, source.table)

    def fetch() -> tuple[list[list[Any]], int]:
        client = gsheet_client_factory(key_file)
        ws = _open_worksheet(client, spreadsheet, worksheet)
        if cells:
            return [list(r) for r in ws.get(cells)], _parse_range(cells, source.table)[1]
        return [list(r) for r in ws.get_all_values()], 1

    values, first_row = call_with_retries(
        fetch, source=label, policy=policy, classify=_gsheet_classifier
    )
    fingerprint = hashlib.sha256(
        json.dumps(values, ensure_ascii=False, default=str).encode()
    ).hexdigest()
    batch = rows_to_batch(enumerate(values, start=first_row), contract, label)
    return SourceRead(batch=batch, fingerprint=fingerprint, label=label)
