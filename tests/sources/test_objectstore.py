"""Object storage against a real local S3-compatible HTTP server (moto in server mode)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

import pytest

from churnstack.errors import SourceError, SourceUnavailable
from churnstack.settings import SourceSettings
from churnstack.sources.extract import extract_source
from churnstack.sources.objectstore import Store, open_binary, split_url, table_for_prefix
from tests.services import S3Server, closed_port

DAY = dt.date(2026, 3, 1)
CALLS = (
    "call_id,customer_id,agent_id,complaint_category,resolution_status,call_start_time,"
    "call_end_time\n"
    "CALL-1,7590-VHVEG,3,Network Failure,Backlog,2026-03-01 08:00:00,2026-03-01 08:04:00\n"
    "CALL-2,5575-GNVDE,4,Data Plan,Resolved,2026-03-01 09:00:00,2026-03-01 09:02:30\n"
)


def put(server: S3Server, url: str, body: bytes) -> None:
    bucket, key = split_url(url)
    client = server.client()
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key=key, Body=body)


def s3_source(table: str, kind: str, path: str, tmp_path: Path, **extra) -> SourceSettings:
    return SourceSettings(
        table=table,
        kind=kind,
        path=Path(path),
        display_path=path,
        daily="{date" in path,
        required=bool(extra.pop("required", False)),
        options={"retries": 2, "retry_backoff": 0.01, **extra},
        state_dir=tmp_path / "state" / table,
    )


def test_daily_csv_under_a_folder_with_a_space(s3_env: S3Server, tmp_path: Path) -> None:
    put(s3_env, "s3://cx-raw/call logs/call_logs_2026-03-01.csv", CALLS.encode())
    source = s3_source(
        "call_logs", "csv", "s3://cx-raw/call logs/call_logs_{date:%Y-%m-%d}.csv", tmp_path
    )
    item = extract_source(source, DAY)
    assert item is not None
    assert item.label == "s3://cx-raw/call logs/call_logs_2026-03-01.csv"
    assert item.accepted["call_id"].to_list() == ["CALL-1", "CALL-2"]
    assert item.accepted["_row_number"].to_list() == [2, 3]
    assert len(item.fingerprint) == 64
    # The temporary download is gone; nothing else was left in the state folder.
    assert not any(p.is_file() for p in (tmp_path / "state").rglob("*"))


def test_jsonl_and_columnar_json_objects(s3_env: S3Server, tmp_path: Path) -> None:
    doc = {
        "_id": "r1",
        "customer_id": "7590-VHVEG",
        "rating": 4,
        "review_text": "ok",
        "created_at": "2026-02-01T10:00:00Z",
        "channel": "app",
        "metadata": {"device": "iOS"},
        "tags": ["a", "b"],
    }
    put(s3_env, "s3://reviews/2026/reviews.jsonl", (json.dumps(doc) + "\n").encode())
    item = extract_source(
        s3_source("customer_reviews", "jsonl", "s3://reviews/2026/reviews.jsonl", tmp_path), DAY
    )
    assert item is not None
    assert item.accepted["metadata_device"].to_list() == ["iOS"]
    assert item.accepted["tags"].to_list() == ['["a", "b"]']
    social = {
        "complaint_id": {"0": "SM-1"},
        "customer_id": {"0": "7590-VHVEG"},
        "agent_id": {"0": None},
        "complaint_category": {"0": "Data Plan"},
        "media_channel": {"0": "Twitter"},
        "resolution_status": {"0": "Backlog"},
        "request_date": {"0": "2026-03-01 10:00:00"},
        "resolution_date": {"0": None},
    }
    put(s3_env, "s3://cx-raw/social media/2026-03-01.json", json.dumps(social).encode())
    item = extract_source(
        s3_source(
            "social_media",
            "columnar_json",
            "s3://cx-raw/social media/{date:%Y-%m-%d}.json",
            tmp_path,
        ),
        DAY,
    )
    assert item is not None and item.accepted["complaint_id"].to_list() == ["SM-1"]


def test_missing_key_is_absent_when_optional_and_an_error_when_required(
    s3_env: S3Server, tmp_path: Path
) -> None:
    put(s3_env, "s3://cx-sparse/readme.txt", b"x")
    path = "s3://cx-sparse/call logs/call_logs_{date:%Y-%m-%d}.csv"
    assert extract_source(s3_source("call_logs", "csv", path, tmp_path), DAY) is None
    with pytest.raises(SourceError, match="object not found"):
        extract_source(s3_source("call_logs", "csv", path, tmp_path, required=True), DAY)


def test_missing_bucket_fails_at_once(s3_env: S3Server, tmp_path: Path) -> None:
    source = s3_source("call_logs", "csv", "s3://no-such-bucket/x.csv", tmp_path, retries=3)
    with pytest.raises(SourceError, match="bucket 'no-such-bucket' does not exist"):
        extract_source(source, DAY)


def test_unreachable_endpoint_is_transient(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    source = s3_source(
        "call_logs",
        "csv",
        "s3://cx-raw/x.csv",
        tmp_path,
        endpoint_url=f"http://127.0.0.1:{closed_port()}",
        retries=2,
        timeout=2,
    )
    with pytest.raises(SourceUnavailable, match="cannot reach object storage.*gave up after 2"):
        extract_source(source, DAY)


def test_open_binary_prefixes_and_upload(s3_env: S3Server, tmp_path: Path) -> None:
    put(s3_env, "s3://cx-map/call logs/a.csv", b"a,b\n1,2\n")
    put(s3_env, "s3://cx-map/Social Media/b.json", b"{}")
    local = tmp_path / "up.csv"
    local.write_bytes(b"hello")
    store = Store({}, "test")
    store.upload(local, "s3://cx-new/dir/up.csv")
    with open_binary("s3://cx-new/dir/up.csv") as handle:
        assert handle.read() == b"hello"
    with open_binary(local) as handle:
        assert handle.read() == b"hello"
    assert store.prefixes("s3://cx-map/") == {
        "call_logs": "s3://cx-map/call logs/",
        "social_media": "s3://cx-map/Social Media/",
    }
    assert table_for_prefix("call logs/") == "call_logs"
