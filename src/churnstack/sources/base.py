"""The one small interface every kind of source implements.

A reader takes a source's settings, the run date and the table's contract, and
returns what it read as a :class:`SourceRead`: the records as text (a
:class:`TextBatch`), a fingerprint of the content (it feeds the run id, so the
same inputs give the same run id), and the label written into ``_source_file``.
It returns ``None`` when an *optional* source has nothing for that date; a
required one that is missing raises :class:`~churnstack.errors.SourceError`.

Kinds register themselves in :data:`READERS` by name (the ``kind`` of a source
in the project file).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from churnstack.settings import SourceSettings
    from churnstack.sources.contracts import Contract
    from churnstack.sources.files import TextBatch


@dataclass
class SourceRead:
    batch: TextBatch
    fingerprint: str  # content hash of what was read
    label: str  # the file, table or collection, as lineage


Reader = Callable[["SourceSettings", date, "Contract"], SourceRead | None]

READERS: dict[str, Reader] = {}


def register(kind: str) -> Callable[[Reader], Reader]:
    def wrap(reader: Reader) -> Reader:
        READERS[kind] = reader
        return reader

    return wrap


def reader_for(kind: str) -> Reader:
    # Importing the modules registers their kinds; done here so settings stay import-light.
    import importlib

    from churnstack.sources import files  # noqa: F401

    # Databases, spreadsheets and column-oriented JSON (object storage is a layer of files).
    for module in ("sql", "mongo", "sheets", "columnar_json", "parquet"):
        importlib.import_module(f"churnstack.sources.{module}")

    try:
        return READERS[kind]
    except KeyError:
        raise KeyError(f"no reader for source kind {kind!r} (known: {sorted(READERS)})") from None
