"""Column-oriented JSON (pandas ``orient="columns"``): a dict of columns of row-index -> value.

::

    {"complaint_id": {"0": "SM-1", "1": "SM-2"},
     "customer_id":  {"0": "7590-VHVEG", "1": "5575-GNVDE"},
     "agent_id":     {"0": null, "1": 12}}

Project file::

    social_media:
      kind: columnar_json
      path: "{data}/social_media/social_media_{date:%Y-%m-%d}.json"   # or s3://...
      daily: true
      load: merge

The reader transposes the columns into rows, ordered by row index (numerically
when every index is a whole number). A row index that some columns lack (a
*ragged* file) is quarantined with a reason naming the index and the missing
columns; a ``null`` value is a value, not a missing key. Nested objects in a
value are flattened and arrays kept as JSON text, by the same rule as JSON
Lines (:func:`~churnstack.sources.sanitize.flatten_document`). ``_row_number``
is the row's position in index order, 1-based. A file that is not a JSON
object of objects is a :class:`SourceError`.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from churnstack.errors import SourceError
from churnstack.sources.base import SourceRead, register
from churnstack.sources.files import Reject, TextBatch
from churnstack.sources.objectstore import read_local_or_remote
from churnstack.sources.sanitize import INDEX_ARTEFACTS, flatten_document, map_header, snake_case

if TYPE_CHECKING:  # pragma: no cover
    from churnstack.settings import SourceSettings
    from churnstack.sources.contracts import Contract


def _index_order(indices: list[str]) -> list[str]:
    def as_int(text: str) -> int | None:
        try:
            return int(text)
        except ValueError:
            return None

    numbers = [as_int(i) for i in indices]
    if all(n is not None for n in numbers):
        return [i for _, i in sorted(zip(numbers, indices, strict=True))]  # type: ignore[type-var]
    return sorted(indices)


def transpose(data: Any, contract: Contract, source: str) -> TextBatch:
    """Columns of row-index -> value, as text rows; ragged rows become rejects."""
    if not isinstance(data, dict):
        raise SourceError(
            source,
            f"expected a JSON object of columns (column-oriented), got {type(data).__name__}",
        )
    if not data:
        raise SourceError(source, "file is empty (no columns)")
    columns: dict[str, dict[str, Any]] = {}
    for name, values in data.items():
        if snake_case(str(name)) in INDEX_ARTEFACTS:
            continue  # a pandas index written as a column
        if not isinstance(values, dict):
            raise SourceError(
                source,
                f"column {name!r} is a JSON {type(values).__name__}, expected an object of "
                "row index -> value (is the file row-oriented? use kind: jsonl)",
            )
        columns[str(name)] = values
    order = _index_order(list({i: None for values in columns.values() for i in values}))
    header = list(columns)
    rejects: list[Reject] = []
    docs: list[dict[str, str | None]] = []
    numbers: list[int] = []
    for position, index in enumerate(order, start=1):
        row = {name: values[index] for name, values in columns.items() if index in values}
        missing = [name for name in header if name not in row]
        if missing:
            rejects.append(
                Reject(
                    position,
                    json.dumps({"row_index": index, **row}, ensure_ascii=False, default=str),
                    f"row index {index!r}: missing from column(s) {', '.join(missing)} "
                    "(ragged column-oriented JSON)",
                )
            )
            continue
        docs.append(flatten_document(row))
        numbers.append(position)
    keys: list[str] = list({k: None for doc in docs for k in doc}) or header
    batch = TextBatch(columns=map_header(keys, contract, source), rejects=rejects)
    for doc, number in zip(docs, numbers, strict=True):
        batch.rows.append([doc.get(k) for k in keys])
        batch.row_numbers.append(number)
    return batch


def read_columnar_json(path: Path, contract: Contract, *, source: str) -> TextBatch:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(source, f"not UTF-8 text (byte {exc.start + 1})") from None
    if not text.strip():
        raise SourceError(source, "file is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(
            source, f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    return transpose(data, contract, source)


@register("columnar_json")
def read_columnar_json_source(
    source: SourceSettings, run_date: date, contract: Contract
) -> SourceRead | None:
    return read_local_or_remote(
        source, run_date, lambda path, label: read_columnar_json(path, contract, source=label)
    )
