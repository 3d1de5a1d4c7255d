"""Live services for integration tests: PostgreSQL, MariaDB and a local S3 server.

The development and CI machines run PostgreSQL on 127.0.0.1:5432 and MariaDB on
127.0.0.1:3306. A test that needs one calls :func:`require_service`: under
``CI=true`` a missing service is a test *failure*; elsewhere the test is
skipped with a message naming the service. Each test session works in its own
schema/database (``cs_test_<pid>_<random>``), dropped at the end, so tests never
collide with each other or with the live demo (``churnstack_demo``).

The S3 server is moto in server mode (a real HTTP server on a free port of
127.0.0.1), not an in-process mock, so boto3 goes through its real HTTP stack.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

PG_URL = os.environ.get("CHURNSTACK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
MARIADB_URL = os.environ.get("CHURNSTACK_TEST_MARIADB_URL", "mysql://root@127.0.0.1:3306/test")


def require_service(name: str, check: Callable[[], object]) -> None:
    """Run ``check``; when it fails: pytest.fail under CI=true, else skip naming the service."""
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - any failure means the service is not usable
        message = f"{name} is not available ({type(exc).__name__}: {str(exc)[:160]})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI=true: a missing service is a failure", pytrace=False)
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def closed_port() -> int:
    """A local port nothing listens on (connections to it are refused at once)."""
    return free_port()


@dataclass(frozen=True)
class Database:
    """One live server and this session's private schema (a MySQL database) on it."""

    scheme: str  # postgresql | mysql
    url: str  # no password: trust auth / root with an empty password
    schema: str

    def execute(self, *statements: str, params: tuple | None = None) -> list[tuple]:
        rows: list[tuple] = []
        db = connect(self.scheme, self.url)
        try:
            with db.cursor() as cur:
                for sql in statements:
                    cur.execute(sql, params)
                    if cur.description:
                        rows = list(cur.fetchall())
            db.commit()
        finally:
            db.close()
        return rows

    def q(self, name: str) -> str:
        return f"`{name}`" if self.scheme == "mysql" else f'"{name}"'

    def table(self, name: str) -> str:
        return f"{self.q(self.schema)}.{self.q(name)}"


def connect(scheme: str, url: str):  # noqa: ANN201 - a DB-API connection
    if scheme == "postgresql":
        import psycopg

        return psycopg.connect(url, connect_timeout=3)
    from urllib.parse import urlsplit

    import pymysql

    parts = urlsplit(url)
    return pymysql.connect(
        host=parts.hostname,
        port=parts.port or 3306,
        user=parts.username or "root",
        password=parts.password or "",
        database=parts.path.lstrip("/") or None,
        connect_timeout=3,
        autocommit=False,
    )


def _session_schema() -> str:
    return f"cs_test_{os.getpid()}_{secrets.token_hex(3)}"


def _database(scheme: str, url: str, service: str) -> Iterator[Database]:
    require_service(service, lambda: connect(scheme, url).close())
    db = Database(scheme, url, _session_schema())
    kind = "schema" if scheme == "postgresql" else "database"
    db.execute(f"create {kind} {db.q(db.schema)}")
    try:
        yield db
    finally:
        extra = " cascade" if scheme == "postgresql" else ""
        db.execute(f"drop {kind} if exists {db.q(db.schema)}{extra}")


@pytest.fixture(scope="session")
def postgres() -> Iterator[Database]:
    yield from _database("postgresql", PG_URL, "PostgreSQL at 127.0.0.1:5432")


@pytest.fixture(scope="session")
def mariadb() -> Iterator[Database]:
    yield from _database("mysql", MARIADB_URL, "MariaDB at 127.0.0.1:3306")


@pytest.fixture(params=["postgresql", "mysql"])
def database(request: pytest.FixtureRequest) -> Database:
    """Each live database in turn."""
    return request.getfixturevalue("postgres" if request.param == "postgresql" else "mariadb")


@dataclass(frozen=True)
class S3Server:
    endpoint: str

    def client(self):  # noqa: ANN201 - a boto3 S3 client
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1")


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """moto's S3 as a real HTTP server on a free local port, for the whole session."""
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    server = None

    def start() -> None:
        nonlocal server
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
        server.start()

    require_service("the local S3 server (moto[server])", start)
    assert server is not None
    host, port = server.get_host_and_port()
    try:
        yield S3Server(endpoint=f"http://{host}:{port}")
    finally:
        server.stop()


@pytest.fixture
def s3_env(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> S3Server:
    """The S3 server plus the credentials a source reads from the environment."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("CHURNSTACK_S3_ENDPOINT_URL", s3_server.endpoint)
    return s3_server
