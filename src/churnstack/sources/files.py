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
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from churnstack.errors import SourceError
from churnstack.sources.contracts import Contract
from churnstack.sources.sanitize import clean_text, flatten_document, map_header


@dataclass
class Reject:
    row_number: int
    raw: str
    error: str


@dataclass
class TextBatch:
    """Parsed records of one source file, all values still text."""

    columns: list[str]
    rows: list[list[str | None]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)

    @property
    def source_rows(self) -> int:
        """Records seen in the source: accepted by the parser plus rejected."""
        return len(self.rows) + len(self.rejects)


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


READERS = {"csv": read_csv, "jsonl": read_jsonl}
