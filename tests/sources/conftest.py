"""Live-service fixtures for the source tests (see tests/services.py)."""

from tests.services import database, mariadb, postgres, s3_env, s3_server  # noqa: F401
