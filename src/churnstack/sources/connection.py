"""Connection settings of database sources, with their secrets kept out of every message.

A source names its server in its ``options`` in one of these ways (first match wins):

* ``url_env: CHURNSTACK_CRM_URL``: an environment variable holding the whole URL
  (it may carry the password: the environment is not the repository);
* ``url: postgresql://analyst@db.internal:5432/crm``: a URL *without* a password
  in the project file (one with a password is refused);
* ``driver``, ``host``, ``port``, ``user``, ``database``: the same parts one by one.

The password, when the server needs one, comes from ``password_env`` (an
environment variable) or ``password_file`` (a secret file, e.g. a mounted
Docker/Kubernetes secret). A secret that is configured but absent is a
:class:`~churnstack.errors.ConfigError` naming where it was looked for, never
its value. :meth:`Connection.mask` scrubs the password (and any
``user:password@`` part of a URL) from driver messages before they reach an
error, a log line or the terminal.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from churnstack.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from churnstack.settings import SourceSettings

# Spellings of a scheme -> the canonical one.
SCHEMES = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "mongodb": "mongodb",
    "mongodb+srv": "mongodb+srv",
}
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mongodb": 27017}
MASK = "***"
_USERINFO_PASSWORD = re.compile(r"(?P<head>://[^/:@\s]*):(?P<pw>[^@/\s]*)@")


@dataclass(frozen=True)
class Connection:
    """Where a database source lives. ``url`` carries the password: never print it."""

    scheme: str  # postgresql | mysql | mongodb | mongodb+srv
    host: str
    port: int | None
    user: str | None
    password: str | None
    database: str | None
    query: str = ""  # extra URL parameters (e.g. authSource=admin)

    @property
    def url(self) -> str:
        """The full URL, password included (for drivers only)."""
        return self._url(self.password)

    @property
    def safe_url(self) -> str:
        """The URL with the password masked: fine for messages and lineage."""
        return self._url(MASK if self.password else None)

    @property
    def where(self) -> str:
        """``host:port/database``: what a message needs to say which server it meant."""
        port = f":{self.port}" if self.port else ""
        return f"{self.host}{port}/{self.database or ''}"

    def _url(self, password: str | None) -> str:
        auth = ""
        if self.user:
            auth = quote(self.user, safe="")
            if password:
                auth += ":" + (password if password == MASK else quote(password, safe=""))
            auth += "@"
        port = f":{self.port}" if self.port else ""
        path = f"/{quote(self.database, safe='')}" if self.database else ""
        return urlunsplit((self.scheme, f"{auth}{self.host}{port}", path, self.query, ""))

    def mask(self, text: str) -> str:
        """``text`` with the password (in any spelling a driver may echo) replaced by ***."""
        return mask_secrets(text, [self.password] if self.password else [])


def mask_secrets(text: str, secrets: list[str]) -> str:
    """Replace every secret (raw or URL-quoted) and any ``user:password@`` in URLs."""
    for secret in secrets:
        if secret:
            for form in {secret, quote(secret, safe=""), quote(secret)}:
                text = text.replace(form, MASK)
    return _USERINFO_PASSWORD.sub(lambda m: f"{m.group('head')}:{MASK}@", text)


def _read_secret_file(path_text: str, source: str) -> str:
    path = Path(path_text).expanduser()
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise ConfigError(f"source {source}: secret file {path} not found") from None
    except OSError as exc:
        raise ConfigError(
            f"source {source}: cannot read secret file {path} ({exc.strerror})"
        ) from None
    if not value:
        raise ConfigError(f"source {source}: secret file {path} is empty")
    return value


def secret_option(
    options: Mapping[str, Any],
    name: str,
    source: str,
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """A secret named by ``<name>_env`` or ``<name>_file``; None when neither is configured.

    A configured but missing secret fails early and clearly; ``<name>`` itself
    (the plain value) is refused in the project file.
    """
    environ = os.environ if environ is None else environ
    if options.get(name):
        raise ConfigError(
            f"source {source}: {name} must not be written in the project file; "
            f"use {name}_env (an environment variable) or {name}_file (a secret file)"
        )
    env_name = options.get(f"{name}_env")
    if env_name:
        value = environ.get(str(env_name))
        if value is None:
            raise ConfigError(
                f"source {source}: environment variable {env_name} is not set "
                f"(it holds the {name.replace('_', ' ')})"
            )
        return value
    file_name = options.get(f"{name}_file")
    if file_name:
        return _read_secret_file(str(file_name), source)
    return None


def connection_for(
    source: SourceSettings,
    *,
    allowed: tuple[str, ...],
    environ: Mapping[str, str] | None = None,
) -> Connection:
    """Resolve a source's connection from its options and the environment."""
    environ = os.environ if environ is None else environ
    options = source.options
    name = source.table
    url_text: str | None = None
    from_env = False
    if options.get("url_env"):
        env_name = str(options["url_env"])
        url_text = environ.get(env_name)
        if not url_text:
            raise ConfigError(
                f"source {name}: environment variable {env_name} is not set "
                "(it holds the connection URL)"
            )
        from_env = True
    elif options.get("url"):
        url_text = str(options["url"])
    if url_text is not None:
        parts = urlsplit(url_text)
        scheme = SCHEMES.get(parts.scheme.lower())
        if scheme is None or scheme.split("+")[0] not in allowed:
            raise ConfigError(
                f"source {name}: unsupported URL scheme {parts.scheme!r} "
                f"(expected one of {', '.join(k for k, v in SCHEMES.items() if v in allowed)})"
            )
        if parts.password and not from_env:
            raise ConfigError(
                f"source {name}: the url in the project file carries a password; move it to "
                "password_env or password_file (or put the whole URL in url_env)"
            )
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"source {name}: the url has a bad port number") from None
        conn = Connection(
            scheme=scheme,
            host=parts.hostname or "localhost",
            port=port or DEFAULT_PORTS.get(scheme),
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            database=unquote(parts.path.lstrip("/")) or None,
            query=parts.query,
        )
    else:
        driver = str(options.get("driver") or "").lower()
        scheme = SCHEMES.get(driver)
        if scheme is None or scheme.split("+")[0] not in allowed:
            raise ConfigError(
                f"source {name}: say where the server is with url_env, url, or driver + host "
                f"(driver one of {', '.join(k for k, v in SCHEMES.items() if v in allowed)})"
            )
        try:
            port = int(options.get("port") or DEFAULT_PORTS.get(scheme) or 0) or None
        except (TypeError, ValueError):
            raise ConfigError(f"source {name}: port must be a number") from None
        conn = Connection(
            scheme=scheme,
            host=str(options.get("host") or "127.0.0.1"),
            port=port,
            user=str(options["user"]) if options.get("user") else None,
            password=None,
            database=str(options["database"]) if options.get("database") else None,
        )
    password = secret_option(options, "password", name, environ)
    if password is not None:
        from dataclasses import replace

        conn = replace(conn, password=password)
    return conn
