"""File sources: CSV and JSON Lines, read as text records with their line numbers.

Readers do not guess types: they return every value as trimmed text (or null)
with the physical line it came from, and set aside records that cannot even be
parsed (wrong field count, invalid JSON, bytes that are not valid in the
declared encoding) as rejects with a reason. The contract step types the rest.

Whole-file problems (missing, empty, no header, a header missing a required
column, a duplicated header name) raise :class:`SourceError`: one line naming
the file and the problem.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from churnstack.errors import SourceError
from churnstack.sources.base import Reader, SourceRead, register
from churnstack.sources.contracts import Contract
from churnstack.sources.sanitize import clean_text, flatten_document, map_header

if TYPE_CHECKING:  # pragma: no cover
    from churnstack.settings import SourceSettings

ROW_NUMBER = "_row_number"  # the lineage column: line (or row) of the record in its source


@dataclass
class Reject:
    row_number: int
    raw: str
    error: str


@dataclass
class TextBatch:
    """Parsed records of one source, all values still text (or null).

    Row-wise readers (CSV, JSON Lines) fill ``rows``; columnar sources (a
    database cursor, Parquet, a spreadsheet) hand over a ready Polars frame of
    text columns with :meth:`from_frame`. Either way :meth:`to_frame` gives the
    contract step one frame with a ``_row_number`` column.
    """

    columns: list[str]
    rows: list[list[str | None]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    frame: pl.DataFrame | None = None

    @classmethod
    def from_frame(cls, frame: pl.DataFrame, rejects: list[Reject] | None = None) -> TextBatch:
        """Wrap text columns plus ``_row_number`` (Int64) read by a columnar source."""
        columns = [c for c in frame.columns if c != ROW_NUMBER]
        text = frame.select(
            *[pl.col(c).cast(pl.String) for c in columns], pl.col(ROW_NUMBER).cast(pl.Int64)
        )
        return cls(columns=columns, rejects=list(rejects or []), frame=text)

    def to_frame(self) -> pl.DataFrame:
        if self.frame is not None:
            return self.frame
        return pl.DataFrame(
            {name: [row[i] for row in self.rows] for i, name in enumerate(self.columns)}
            | {ROW_NUMBER: self.row_numbers},
            schema={name: pl.String() for name in self.columns} | {ROW_NUMBER: pl.Int64()},
            orient="col",
        )

    @property
    def source_rows(self) -> int:
        """Records seen in the source: accepted by the parser plus rejected."""
        parsed = self.frame.height if self.frame is not None else len(self.rows)
        return parsed + len(self.rejects)


def _check_file(path: Path, source: str) -> None:
    if not path.exists():
        raise SourceError(source, "file not found")
    if not path.is_file():
        raise SourceError(source, "is not a file")
    if path.stat().st_size == 0:
        raise SourceError(source, "file is empty")


class _Lines:
    """Decoded lines of a file, with their numbers, that a parser can push back.

    Lines the encoding cannot read become rejects and are never yielded. The
    lines of the record being parsed stay in ``pending`` so a malformed
    multi-line record (an unclosed quote swallowing the lines after it) can be
    rejected line by line and the following lines parsed again.
    """

    def __init__(self, path: Path, encoding: str, source: str, rejects: list[Reject]) -> None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise SourceError(source, f"unknown encoding {encoding!r}") from None
        self._raw = self._read(path, encoding, source, rejects)
        self._pushed: list[tuple[int, str]] = []
        self.pending: list[tuple[int, str]] = []

    @staticmethod
    def _read(
        path: Path, encoding: str, source: str, rejects: list[Reject]
    ) -> Iterator[tuple[int, str]]:
        with path.open("rb") as handle:
            first = handle.read(4)
            if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise SourceError(
                    source, f"unreadable encoding: the file is UTF-16/32, expected {encoding}"
                )
            handle.seek(0)
            for number, raw in enumerate(handle, start=1):
                if b"\x00" in raw:
                    raise SourceError(
                        source, f"unreadable encoding: NUL byte on line {number} (binary file?)"
                    )
                try:
                    text = raw.decode(encoding)
                except UnicodeDecodeError as exc:
                    bad = raw[exc.start : exc.start + 1].hex()
                    rejects.append(
                        Reject(
                            number,
                            raw.decode(encoding, errors="replace").rstrip("\r\n"),
                            f"line {number}: byte 0x{bad} at position {exc.start + 1} is not "
                            f"valid {encoding} (if the file is Latin-1, set encoding: latin-1 "
                            "on the source)",
                        )
                    )
                    continue
                if number == 1 and text.startswith("\ufeff"):
                    text = text[1:]
                yield number, text

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        item = self._pushed.pop() if self._pushed else next(self._raw)
        self.pending.append(item)
        return item[1]

    def take_pending(self) -> list[tuple[int, str]]:
        lines, self.pending = self.pending, []
        return lines

    def push_back(self, lines: list[tuple[int, str]]) -> None:
        self._pushed.extend(reversed(lines))


def read_csv(path: Path, contract: Contract, *, source: str, encoding: str = "utf-8") -> TextBatch:
    """Read a CSV file whose header must satisfy ``contract``."""
    _check_file(path, source)
    rejects: list[Reject] = []
    lines = _Lines(path, encoding, source, rejects)
    reader = csv.reader(lines, strict=True)
    header: list[str] | None = None
    try:
        for fields in reader:
            lines.take_pending()
            if any(f.strip() for f in fields):
                header = fields
                break
    except csv.Error as exc:
        raise SourceError(source, f"cannot parse the header: {exc}") from None
    if header is None:
        raise SourceError(source, "file is empty (no header line)")
    batch = TextBatch(columns=map_header(header, contract, source), rejects=rejects)
    width = len(header)
    while True:
        try:
            fields = next(reader)
            problem = (
                None if len(fields) == width else f"expected {width} fields, found {len(fields)}"
            )
        except StopIteration:
            break
        except csv.Error as exc:
            reason = str(exc)
            if "field limit" in reason or "unexpected end of data" in reason:
                reason = "a quoted field is never closed"
            fields, problem = [], f"unparseable CSV ({reason})"
        record = lines.take_pending()
        if not record:
            break
        start, text = record[0]
        if len(record) == 1 and not text.strip():
            continue  # a blank line is not a record
        if problem is None:
            batch.rows.append([clean_text(v) for v in fields])
            batch.row_numbers.append(start)
            continue
        rejects.append(Reject(start, text.rstrip("\r\n"), f"line {start}: {problem}"))
        # A broken record that swallowed the following lines: parse those again.
        lines.push_back(record[1:])
    rejects.sort(key=lambda r: r.row_number)
    return batch


def read_jsonl(
    path: Path, contract: Contract, *, source: str, encoding: str = "utf-8"
) -> TextBatch:
    """Read JSON Lines: one document per line, nested objects flattened."""
    _check_file(path, source)
    rejects: list[Reject] = []
    docs: list[dict[str, str | None]] = []
    numbers: list[int] = []
    lines = _Lines(path, encoding, source, rejects)
    for text in lines:
        number = lines.take_pending()[0][0]
        stripped = text.strip()
        if not stripped:
            continue
        try:
            doc = json.loads(stripped)
        except json.JSONDecodeError as exc:
            rejects.append(
                Reject(
                    number,
                    stripped,
                    f"line {number}: invalid JSON ({exc.msg} at column {exc.colno})",
                )
            )
            continue
        if not isinstance(doc, dict):
            rejects.append(
                Reject(
                    number,
                    stripped,
                    f"line {number}: expected a JSON object, got {type(doc).__name__}",
                )
            )
            continue
        docs.append(flatten_document(doc))
        numbers.append(number)
    if not docs and not rejects:
        raise SourceError(source, "file is empty (no JSON documents)")
    keys: list[str] = []
    seen: set[str] = set()
    for doc in docs:
        for key in doc:
            if key not in seen:
                seen.add(key)
                keys.append(key)
    columns = map_header(keys, contract, source) if docs else [c.name for c in contract.columns]
    batch = TextBatch(columns=columns, rejects=rejects)
    for doc, number in zip(docs, numbers, strict=True):
        batch.rows.append([doc.get(k) for k in keys] if docs else [])
        batch.row_numbers.append(number)
    rejects.sort(key=lambda r: r.row_number)
    return batch


def _file_reader(parse: Callable[..., TextBatch]) -> Reader:
    def read(source: SourceSettings, run_date: date, contract: Contract) -> SourceRead | None:
        url = source.url_for(run_date)
        if url is not None:  # s3://... : downloaded to a temporary file, the URL as lineage
            from churnstack.sources.objectstore import read_remote

            return read_remote(
                source, url, lambda p: parse(p, contract, source=url, encoding=source.encoding)
            )
        path = source.path_for(run_date)
        label = source.label_for(run_date)
        if not path.exists() and not source.required:
            return None
        fingerprint = file_sha256(path, label)
        batch = parse(path, contract, source=label, encoding=source.encoding)
        return SourceRead(batch=batch, fingerprint=fingerprint, label=label)

    return read


def file_sha256(path: Path, source: str) -> str:
    """Content hash of a source file; a missing or unreadable file is a SourceError."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        raise SourceError(source, "file not found") from None
    except IsADirectoryError:
        raise SourceError(source, "is a directory, expected a file") from None
    except PermissionError:
        raise SourceError(source, "permission denied") from None
    return digest.hexdigest()


register("csv")(_file_reader(read_csv))
register("jsonl")(_file_reader(read_jsonl))
