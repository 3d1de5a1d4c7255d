"""MongoDB sources: a collection, or a filtered query by date, read with pymongo.

Project file::

    customer_reviews:
      kind: mongo
      url_env: CHURNSTACK_MONGO_URL     # mongodb://user@host:27017 (or url: without password)
      password_env: CHURNSTACK_MONGO_PASSWORD   # optional
      database: telecom_data
      collection: customer_reviews
      filter: {channel: app}            # optional, a MongoDB query document
      date_field: created_at            # with daily: true, only documents of the run date
      sort: _id                         # default _id: the same order on every run

Documents are flattened by the rule every JSON source follows
(:func:`~churnstack.sources.sanitize.flatten_document`): nested objects become
``parent_child`` columns (``metadata.device`` -> ``metadata_device``), arrays
are kept whole as JSON text, an ``ObjectId`` becomes its hex string and a
datetime its ISO text. ``_row_number`` is the document's position in sort order.

The client is made by :data:`client_factory` (``pymongo.MongoClient``); the
tests swap in mongomock because no MongoDB server can run on the test
machines, and the pymongo path stays the real one. A server that does not
answer is retried with bounded backoff (``TransientError`` after the last
try); refused credentials fail at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from churnstack.errors import ConfigError, SourceError
from churnstack.sources.base import SourceRead, register
from churnstack.sources.connection import Connection, connection_for
from churnstack.sources.files import TextBatch
from churnstack.sources.retry import TERMINAL, TRANSIENT, Problem, RetryPolicy, call_with_retries
from churnstack.sources.sanitize import flatten_document, map_header

if TYPE_CHECKING:  # pragma: no cover
    from churnstack.settings import SourceSettings
    from churnstack.sources.contracts import Contract


def _pymongo_client(url: str, timeout_ms: int) -> Any:
    import pymongo

    return pymongo.MongoClient(
        url,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        tz_aware=False,
    )


# (url, timeout in ms) -> a client with pymongo's interface. Tests replace it with mongomock.
client_factory: Callable[[str, int], Any] = _pymongo_client


def classifier(conn: Connection) -> Callable[[BaseException], Problem | None]:
    def classify(exc: BaseException) -> Problem | None:
        from pymongo import errors as pe

        text = conn.mask(" ".join(str(exc).split()))[:300]
        if isinstance(exc, pe.OperationFailure) and (
            exc.code in (13, 18) or "auth" in text.lower()
        ):
            return Problem(
                TERMINAL,
                f"MongoDB at {conn.where} refused the credentials of user {conn.user or '(none)'} "
                "(check url_env / password_env)",
            )
        if isinstance(exc, pe.ConfigurationError | pe.InvalidURI):
            return Problem(TERMINAL, f"bad MongoDB connection settings: {text}")
        if isinstance(exc, pe.ConnectionFailure | pe.ServerSelectionTimeoutError):
            return Problem(TRANSIENT, f"cannot reach MongoDB at {conn.where}: {text}")
        if isinstance(exc, pe.PyMongoError):
            return Problem(TERMINAL, f"MongoDB said: {text}")
        return None

    return classify


def day_filter(field: str, run_date: date) -> dict[str, Any]:
    start = datetime.combine(run_date, datetime.min.time())
    return {field: {"$gte": start, "$lt": start + timedelta(days=1)}}


def documents_to_batch(
    documents: list[Mapping[str, Any]], contract: Contract, source: str
) -> TextBatch:
    docs = [flatten_document(d) for d in documents]
    keys: list[str] = list({k: None for doc in docs for k in doc})
    if not docs:
        return TextBatch(columns=[c.name for c in contract.columns])
    batch = TextBatch(columns=map_header(keys, contract, source))
    for number, doc in enumerate(docs, start=1):
        batch.rows.append([doc.get(k) for k in keys])
        batch.row_numbers.append(number)
    return batch


@register("mongo")
def read_mongo_source(source: SourceSettings, run_date: date, contract: Contract) -> SourceRead:
    options = source.options
    conn = connection_for(source, allowed=("mongodb",))
    database = options.get("database") or conn.database
    collection = options.get("collection") or source.table
    if not database:
        raise ConfigError(f"source {source.table}: set database (or put it in the url)")
    query: dict[str, Any] = dict(options.get("filter") or {})
    if options.get("date_field") and source.daily:
        query |= day_filter(str(options["date_field"]), run_date)
    sort = str(options.get("sort", "_id"))
    timeout_ms = int(float(options.get("connect_timeout", 10)) * 1000)
    label = f"mongodb://{conn.where.split('/')[0]}/{database}.{collection}"
    policy = RetryPolicy.from_options(options, source.table)

    def fetch() -> list[dict[str, Any]]:
        client = client_factory(conn.url, timeout_ms)
        try:
            client.admin.command("ping")
            if collection not in client[database].list_collection_names():
                raise SourceError(
                    label,
                    f"collection {collection!r} does not exist in database {database!r} "
                    "(check collection/database; `churnstack seed-sources` loads the demo)",
                )
            cursor = client[database][collection].find(query).sort(sort, 1)
            return list(cursor)
        finally:
            client.close()

    documents = call_with_retries(
        fetch, source=f"{source.table} ({label})", policy=policy, classify=classifier(conn)
    )
    batch = documents_to_batch(documents, contract, label)
    digest = hashlib.sha256()
    for row in batch.rows:
        digest.update(repr(row).encode())
    digest.update(repr(batch.columns).encode())
    return SourceRead(batch=batch, fingerprint=digest.hexdigest(), label=label)
