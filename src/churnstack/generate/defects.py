"""Planted defects, so the demo always exercises the quarantine path.

Each function takes the clean lines of one file and returns the lines to write
plus one human-readable description per defect. Line numbers in descriptions
are 1-based and count the header (when the file has one), like an editor.

telco_customers.csv
    * a mixed-case header (``Tenure``, ``paymentMETHOD``): matching headers by
      normalised name fixes it;
    * stray whitespace around three values (`` Yes ``, ``  DSL``, ``Two year ``):
      trimming fixes it;
    * an exact duplicate of one customer's line, appended further down;
    * a truncated line (too few fields) of a customer that appears nowhere else,
      as if a write had been cut short.

customer_reviews.jsonl
    * one extra document cut mid-way (not valid JSON), with an ``_id`` that no
      valid document uses.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from churnstack.generate._text import insert

# Header renames: canonical name -> how the defective header spells it.
HEADER_CASE = {"tenure": "Tenure", "PaymentMethod": "paymentMETHOD"}
# (field index, column name, padding style) for the stray-whitespace defects.
_PADDING = ((3, "Partner", " {} "), (8, "InternetService", "  {}"), (15, "Contract", "{} "))


def telco(
    rng: np.random.Generator, header: Sequence[str], lines: pl.Series, ghost_line: str
) -> tuple[str, pl.Series, list[str]]:
    """Plant the telco defects. ``lines`` are the valid customers (no header);
    ``ghost_line`` is a full line of one more customer, used only truncated.

    Returns (header line, data lines, descriptions)."""
    n = len(lines)
    out = lines.clone()
    header_line = ",".join(HEADER_CASE.get(name, name) for name in header)
    renamed = " and ".join(f"{k} as {v!r}" for k, v in HEADER_CASE.items())
    descriptions: list[tuple[int, str]] = [(1, f"line 1: mixed-case header, spells {renamed}")]

    # Stray whitespace in distinct rows (fewer if there are fewer customers).
    padded = rng.choice(n, size=min(len(_PADDING), n), replace=False)
    padded_notes: list[tuple[int, str]] = []
    for row, (field, column, style) in zip(padded.tolist(), _PADDING, strict=False):
        values = out[row].split(",")
        values[field] = style.format(values[field])
        out = out.scatter(row, ",".join(values))
        padded_notes.append((row, f"stray whitespace around {column} value {values[field]!r}"))

    # Exact duplicate of a row without whitespace, inserted somewhere after it.
    candidates = np.setdiff1d(np.arange(n), padded) if n > len(padded) else np.arange(n)
    original = int(rng.choice(candidates))
    dup_at = int(rng.integers(original + 1, n + 1))  # insertion index in `out`
    out = insert(out, dup_at, out[original])

    # Truncated line: the ghost customer's line cut inside one of its fields.
    commas = [i for i, ch in enumerate(ghost_line) if ch == ","]
    keep_fields = int(rng.integers(6, 15))  # complete fields before the cut
    start = commas[keep_fields - 1] + 1
    stop = commas[keep_fields]
    cut = start + max(1, int(rng.integers(1, max(2, stop - start))))
    truncated = ghost_line[: min(cut, stop)]
    mal_at = int(rng.integers(0, len(out) + 1))
    out = insert(out, mal_at, truncated)

    def line_of(index_before_malformed: int) -> int:
        """File line number of a data row indexed before the malformed insert."""
        return index_before_malformed + (index_before_malformed >= mal_at) + 2

    def line_before_dup(row: int) -> int:
        return line_of(row + (row >= dup_at))

    for row, note in padded_notes:
        line = line_before_dup(row)
        descriptions.append((line, f"line {line}: {note}"))
    dup_line, orig_line = line_of(dup_at), line_before_dup(original)
    customer = lines[original].split(",", 1)[0]
    descriptions.append(
        (dup_line, f"line {dup_line}: duplicate of line {orig_line} (customerID {customer})")
    )
    ghost_id = ghost_line.split(",", 1)[0]
    fields = truncated.count(",") + 1
    mal_line = mal_at + 2
    descriptions.append(
        (
            mal_line,
            f"line {mal_line}: truncated record, {fields} of {len(header)} fields "
            f"(customerID {ghost_id} appears nowhere else)",
        )
    )
    descriptions.sort()
    return header_line, out, [text for _, text in descriptions]


def reviews(
    rng: np.random.Generator, lines: pl.Series, extra_document: str
) -> tuple[pl.Series, list[str]]:
    """Insert ``extra_document`` cut mid-way as one line somewhere in the file."""
    length = len(extra_document)
    cut = int(rng.integers(length // 3, 2 * length // 3))
    at = int(rng.integers(0, len(lines) + 1))
    out = insert(lines, at, extra_document[:cut])
    return out, [f"line {at + 1}: truncated JSON document (first {cut} of {length} characters)"]
