"""Object storage (S3 and S3-compatible servers) for the file kinds.

Any file source (``csv``, ``jsonl``, ``columnar_json``, ``xlsx``, and any other
reader that takes a binary file) can name an object instead of a local file::

    call_logs:
      kind: csv
      path: "s3://cx-raw/call logs/call_logs_{date:%Y-%m-%d}.csv"   # spaces are fine
      daily: true
      load: merge
      endpoint_url_env: CHURNSTACK_S3_ENDPOINT_URL   # or endpoint_url: http://127.0.0.1:9000
      region: us-east-1
      # credentials: the usual AWS chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a
      # profile, an instance role), or access_key_id_env + secret_access_key_env/_file.

The folder names of the source bucket need not match the lake's table names:
the lake table is the source's name in the project file (``call_logs``),
whatever the key says (``call logs/``). :func:`table_for_prefix` gives the
same mapping for tools that discover folders (``call logs/`` -> ``call_logs``).

:func:`open_binary` opens a local path or an ``s3://`` URL as a binary file
object, for any reader; :func:`fetched` downloads an object to a temporary
file in the source's state folder (streamed, hashed on the way) so the file
parsers read it exactly like a local file, with the URL as lineage. A missing
object of an optional source is *absent* (skipped, like a missing local file);
of a required one, a :class:`SourceError`. Timeouts and refused connections are
retried with bounded backoff; bad credentials and missing buckets fail at once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

from churnstack.errors import ConfigError, SourceError
from churnstack.sources.base import SourceRead
from churnstack.sources.connection import mask_secrets, secret_option
from churnstack.sources.retry import TERMINAL, TRANSIENT, Problem, RetryPolicy, call_with_retries
from churnstack.sources.sanitize import snake_case

if TYPE_CHECKING:  # pragma: no cover
    from churnstack.settings import SourceSettings
    from churnstack.sources.files import TextBatch

ENDPOINT_ENV = "CHURNSTACK_S3_ENDPOINT_URL"
_NOT_FOUND = {"NoSuchKey", "404", "NotFound"}
_BAD_CREDENTIALS = {
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "AccessDenied",
    "403",
    "ExpiredToken",
    "InvalidToken",
}
_TRANSIENT_CODES = {"SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout", "503"}


def split_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some key`` -> (bucket, key)."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ConfigError(f"{url}: expected an object URL like s3://bucket/key")
    return parts.netloc, parts.path.lstrip("/")


def table_for_prefix(prefix: str) -> str:
    """A bucket folder name as a lake table name: ``call logs/`` -> ``call_logs``."""
    return snake_case(prefix.strip("/").split("/")[-1])


class Store:
    """An S3 client built from a source's options (endpoint, region, credentials)."""

    def __init__(
        self, options: Mapping[str, Any], name: str, environ: Mapping[str, str] | None = None
    ) -> None:
        import boto3
        from botocore.config import Config

        environ = os.environ if environ is None else environ
        self.name = name
        endpoint = options.get("endpoint_url")
        if not endpoint and options.get("endpoint_url_env"):
            endpoint = environ.get(str(options["endpoint_url_env"]))
            if not endpoint:
                raise ConfigError(
                    f"source {name}: environment variable {options['endpoint_url_env']} "
                    "is not set (it holds the object storage endpoint URL)"
                )
        endpoint = endpoint or environ.get(ENDPOINT_ENV) or None
        self.endpoint = endpoint
        key_id = secret_option(options, "access_key_id", name, environ)
        secret = secret_option(options, "secret_access_key", name, environ)
        self.secrets = [s for s in (secret,) if s]
        timeout = float(options.get("timeout", 10))
        config = Config(
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"max_attempts": 1},  # churnstack retries itself, with its own messages
            s3={"addressing_style": str(options.get("addressing_style", "path"))},
        )
        kwargs: dict[str, Any] = {
            "region_name": str(options.get("region") or environ.get("AWS_REGION") or "us-east-1"),
            "endpoint_url": endpoint,
            "config": config,
        }
        if key_id and secret:
            kwargs |= {"aws_access_key_id": key_id, "aws_secret_access_key": secret}
        self.client = boto3.client("s3", **kwargs)
        self.policy = RetryPolicy.from_options(options, name)

    def classify(self, url: str):  # noqa: ANN201 - a Classifier
        from botocore import exceptions as bx

        def classify(exc: BaseException) -> Problem | None:
            text = mask_secrets(" ".join(str(exc).split()), self.secrets)
            if isinstance(exc, bx.ClientError):
                code = str(exc.response.get("Error", {}).get("Code", ""))
                if code in _NOT_FOUND:
                    return Problem(TERMINAL, f"object not found: {url} (check the key)")
                if code == "NoSuchBucket":
                    bucket = split_url(url)[0]
                    return Problem(TERMINAL, f"bucket {bucket!r} does not exist (check the path)")
                if code in _BAD_CREDENTIALS:
                    return Problem(
                        TERMINAL,
                        f"object storage refused the credentials ({code}): check "
                        "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the source's *_env options",
                    )
                if code in _TRANSIENT_CODES or code.startswith("5"):
                    return Problem(TRANSIENT, f"object storage is unavailable ({code})")
                return Problem(TERMINAL, f"object storage said: {text}")
            if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
                return Problem(
                    TERMINAL,
                    "no object storage credentials: set AWS_ACCESS_KEY_ID and "
                    "AWS_SECRET_ACCESS_KEY (or access_key_id_env/secret_access_key_env)",
                )
            if isinstance(
                exc,
                bx.EndpointConnectionError
                | bx.ConnectTimeoutError
                | bx.ReadTimeoutError
                | bx.ConnectionClosedError
                | bx.ResponseStreamingError
                | bx.IncompleteReadError
                | ConnectionError
                | TimeoutError,
            ):
                where = self.endpoint or "the default endpoint"
                return Problem(TRANSIENT, f"cannot reach object storage at {where}: {text}")
            return None

        return classify

    def call(self, url: str, fn):  # noqa: ANN001, ANN201
        return call_with_retries(
            fn, source=self.name_for(url), policy=self.policy, classify=self.classify(url)
        )

    def name_for(self, url: str) -> str:
        return url

    def exists(self, url: str) -> bool:
        from botocore.exceptions import ClientError

        bucket, key = split_url(url)

        def head() -> bool:
            try:
                self.client.head_object(Bucket=bucket, Key=key)
            except ClientError as exc:
                code = str(exc.response.get("Error", {}).get("Code", ""))
                if code not in _NOT_FOUND:
                    raise
            else:
                return True
            # HEAD says only "404": a missing bucket is a configuration error, not an absence.
            try:
                self.client.head_bucket(Bucket=bucket)
            except ClientError as exc:
                code = str(exc.response.get("Error", {}).get("Code", ""))
                if code in _NOT_FOUND or code == "NoSuchBucket":
                    raise SourceError(
                        url, f"bucket {bucket!r} does not exist (check the path)"
                    ) from None
                raise
            return False

        return bool(self.call(url, head))

    def download(self, url: str, target: Path) -> str:
        """Stream the object into ``target``; returns its SHA-256 (retried as a whole)."""
        bucket, key = split_url(url)

        def fetch() -> str:
            digest = hashlib.sha256()
            body = self.client.get_object(Bucket=bucket, Key=key)["Body"]
            try:
                with target.open("wb") as out:
                    for block in iter(lambda: body.read(1 << 20), b""):
                        digest.update(block)
                        out.write(block)
            finally:
                body.close()
            return digest.hexdigest()

        return str(self.call(url, fetch))

    def open(self, url: str) -> IO[bytes]:
        bucket, key = split_url(url)
        return self.call(url, lambda: self.client.get_object(Bucket=bucket, Key=key)["Body"])

    def upload(self, local: Path, url: str) -> None:
        """Put a local file at ``url`` (creating the bucket if needed): `seed-sources`."""
        from botocore.exceptions import ClientError

        bucket, key = split_url(url)

        def put() -> None:
            try:
                self.client.head_bucket(Bucket=bucket)
            except ClientError:
                self.client.create_bucket(Bucket=bucket)
            self.client.upload_file(str(local), bucket, key)

        self.call(url, put)

    def prefixes(self, url: str) -> dict[str, str]:
        """Folders directly under ``url`` mapped to lake table names (``call logs/``...)."""
        bucket, key = split_url(url)
        prefix = key.rstrip("/") + "/" if key else ""

        def listing() -> dict[str, str]:
            found: dict[str, str] = {}
            paginator = self.client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=bucket, Prefix=prefix, Delimiter="/"):
                for item in page.get("CommonPrefixes", []):
                    folder = item["Prefix"]
                    found[table_for_prefix(folder)] = f"s3://{bucket}/{folder}"
            return found

        return dict(self.call(url, listing))


def open_binary(path_or_url: str | Path, options: Mapping[str, Any] | None = None) -> IO[bytes]:
    """Open a local path or an ``s3://`` URL as a binary file object (close it after use)."""
    text = str(path_or_url)
    if text.startswith("s3://"):
        return Store(options or {}, text).open(text)
    return Path(text).open("rb")


@contextmanager
def fetched(source: SourceSettings, url: str) -> Iterator[tuple[Path, str] | None]:
    """Download ``url`` to a temporary local file: yields (path, sha256), or None if absent.

    The file keeps the object's name (so parsers and messages see a familiar
    suffix) and is removed on exit.
    """
    from churnstack.sources.chunked import spool_root

    store = Store(source.options, source.table)
    if not store.exists(url):
        if source.required:
            raise SourceError(url, "object not found (check the bucket, the key and {date})")
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix=f"{source.table}-", dir=spool_root(source)))
    local = folder / (Path(split_url(url)[1]).name or "object")
    try:
        digest = store.download(url, local)
        yield local, digest
    finally:
        local.unlink(missing_ok=True)
        folder.rmdir()


def read_remote(
    source: SourceSettings, url: str, parse: Callable[[Path], TextBatch]
) -> SourceRead | None:
    """Read an object with a local-file parser; None when an optional object is absent."""
    with fetched(source, url) as got:
        if got is None:
            return None
        local, digest = got
        return SourceRead(batch=parse(local), fingerprint=digest, label=url)


def read_local_or_remote(
    source: SourceSettings, run_date: date, parse: Callable[[Path, str], TextBatch]
) -> SourceRead | None:
    """The common shape of a file reader: a local path or an ``s3://`` URL, optional or not.

    ``parse(path, label)`` reads a local file; ``label`` names it in messages.
    """
    from churnstack.sources.files import file_sha256

    url = source.url_for(run_date)
    if url is not None:
        return read_remote(source, url, lambda p: parse(p, url))
    path = source.path_for(run_date)
    label = source.label_for(run_date)
    if not path.exists() and not source.required:
        return None
    fingerprint = file_sha256(path, label)
    return SourceRead(batch=parse(path, label), fingerprint=fingerprint, label=label)
