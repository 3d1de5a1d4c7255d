"""Sanitising source records before they meet a contract.

* header names become snake_case, and a header that names a contract column
  (in any spelling: ``customerID``, ``Customer Id``) takes the contract's name;
* nested JSON objects are flattened with ``_`` (``metadata.device`` ->
  ``metadata_device``); arrays are kept whole as JSON text, the one rule for
  every source, so no element is silently lost or multiplied;
* text values are trimmed, and an empty value becomes null.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from churnstack.errors import SourceError
from churnstack.sources.contracts import Contract, normalise_name

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z][a-z])|(?<=[a-z])(?=[A-Z])")
_NON_WORD = re.compile(r"[^0-9a-zA-Z]+")
INDEX_ARTEFACTS = frozenset({"__index_level_0__", "unnamed_0", "index"})


def snake_case(name: str) -> str:
    """``MonthlyCharges`` -> ``monthly_charges``, ``Call Start-Time`` -> ``call_start_time``.

    Words written all in capitals or all in lower case are not split, so
    ``DATE of BIRTH`` -> ``date_of_birth``.
    """
    words = []
    for word in _NON_WORD.split(name.strip()):
        if not word:
            continue
        if word.isupper() or word.islower():
            words.append(word.lower())
        else:
            words.extend(part.lower() for part in _CAMEL_BOUNDARY.split(word) if part)
    return "_".join(words)


def map_header(header: Iterable[str], contract: Contract, source: str) -> list[str]:
    """Canonical lake names for a source header, refusing duplicates and missing columns."""
    lookup: dict[str, str] = {}
    for col in contract.columns:
        for spelling in (col.name, *col.aliases):
            lookup.setdefault(normalise_name(spelling), col.name)
    names: list[str] = []
    seen: dict[str, int] = {}
    for position, raw_name in enumerate(header, start=1):
        key = normalise_name(raw_name)
        name = lookup.get(key) or snake_case(raw_name)
        if not name:
            raise SourceError(source, f"header column {position} has no name")
        if name in seen:
            raise SourceError(
                source,
                f"duplicated header name {raw_name.strip()!r} "
                f"(columns {seen[name]} and {position} both mean {name!r})",
            )
        seen[name] = position
        names.append(name)
    missing = [c.name for c in contract.columns if c.required and c.name not in seen]
    if missing:
        raise SourceError(
            source,
            f"missing required column(s) {', '.join(missing)} "
            f"for table {contract.table} (header has: {', '.join(header)})",
        )
    return names


def clean_text(value: str | None) -> str | None:
    """Trim a text value; an empty value means null (IBM writes a blank TotalCharges as ' ')."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def _scalar_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # 5.0 from a JSON writer is the integer 5 for an int contract column.
        return str(int(value))
    if isinstance(value, str):
        return clean_text(value)
    return str(value)


def flatten_document(doc: Mapping[str, Any], prefix: str = "") -> dict[str, str | None]:
    """Flatten a nested document into ``parent_child`` text fields (arrays as JSON text)."""
    flat: dict[str, str | None] = {}
    for key, value in doc.items():
        name = f"{prefix}_{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            flat.update(flatten_document(value, name))
        elif isinstance(value, list | tuple):
            flat[name] = json.dumps(list(value), ensure_ascii=False, sort_keys=True, default=str)
        else:
            flat[name] = _scalar_text(value)
    return flat
