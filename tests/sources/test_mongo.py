"""MongoDB sources.

No MongoDB server can run on the development or CI machines, so the reads go to
mongomock through the reader's injectable client factory; the pymongo path
itself stays real (its client is what the factory builds by default, and the
unreachable-server test below goes through real pymongo).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import mongomock
import pytest
from bson import ObjectId

from churnstack.errors import SourceError, SourceUnavailable
from churnstack.settings import SourceSettings
from churnstack.sources import mongo
from churnstack.sources.extract import extract_source
from tests.services import closed_port

URL = "mongodb://analyst@127.0.0.1:27017"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> mongomock.MongoClient:
    client = mongomock.MongoClient()
    seen: list[str] = []

    def factory(url: str, timeout_ms: int) -> mongomock.MongoClient:
        seen.append(url)
        return client

    monkeypatch.setattr(mongo, "client_factory", factory)
    client.seen_urls = seen  # type: ignore[attr-defined]
    return client


def review(n: int, day: int, **extra) -> dict:
    return {
        "_id": ObjectId(f"{n:024x}"),
        "customer_id": "7590-VHVEG",
        "rating": 5 - n % 5,
        "review_text": f"review {n}",
        "created_at": dt.datetime(2026, 3, day, 10, n),
        "channel": "app",
        "metadata": {"device": "iOS", "app_version": "5.2.3", "language": "en"},
        "tags": ["network", "price"],
        **extra,
    }


def source(**options) -> SourceSettings:
    daily = bool(options.pop("daily", False))
    return SourceSettings(
        table="customer_reviews",
        kind="mongo",
        path=Path(),
        daily=daily,
        options={
            "url": URL,
            "database": "telecom_data",
            "retries": 2,
            "retry_backoff": 0,
            **options,
        },
    )


def test_collection_is_flattened_like_jsonl(server: mongomock.MongoClient) -> None:
    server.telecom_data.customer_reviews.insert_many([review(2, 1), review(1, 1)])
    item = extract_source(source(), dt.date(2026, 3, 1))
    assert item is not None
    frame = item.accepted
    assert frame["review_id"].to_list() == [f"{1:024x}", f"{2:024x}"]  # sorted by _id
    assert frame["metadata_device"].to_list() == ["iOS", "iOS"]
    assert frame["tags"].to_list() == ['["network", "price"]'] * 2  # arrays kept as JSON text
    assert frame["created_at"].to_list()[0] == dt.datetime(2026, 3, 1, 10, 1)
    assert item.label == "mongodb://127.0.0.1:27017/telecom_data.customer_reviews"


def test_daily_query_by_date_and_a_filter(server: mongomock.MongoClient) -> None:
    server.telecom_data.customer_reviews.insert_many(
        [review(1, 1), review(2, 2), review(3, 2, channel="web")]
    )
    item = extract_source(
        source(daily=True, date_field="created_at", filter={"channel": "app"}),
        dt.date(2026, 3, 2),
    )
    assert item is not None and item.accepted["review_id"].to_list() == [f"{2:024x}"]


def test_password_comes_from_the_environment(
    server: mongomock.MongoClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.telecom_data.customer_reviews.insert_one(review(1, 1))
    monkeypatch.setenv("CHURNSTACK_TEST_MONGO_PASSWORD", "p@ss word")
    extract_source(source(password_env="CHURNSTACK_TEST_MONGO_PASSWORD"), dt.date(2026, 3, 1))
    assert server.seen_urls[-1] == "mongodb://analyst:p%40ss%20word@127.0.0.1:27017"


def test_missing_collection_is_a_clear_error(server: mongomock.MongoClient) -> None:
    with pytest.raises(SourceError, match="collection 'customer_reviews' does not exist"):
        extract_source(source(), dt.date(2026, 3, 1))


def test_unreachable_server_is_transient_through_real_pymongo() -> None:
    assert mongo.client_factory is mongo._pymongo_client
    options = {"url": f"mongodb://127.0.0.1:{closed_port()}", "connect_timeout": 0.2}
    with pytest.raises(SourceUnavailable, match="cannot reach MongoDB.*gave up after 2"):
        extract_source(source(**options), dt.date(2026, 3, 1))
