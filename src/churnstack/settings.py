"""Project settings: one project file, environment overrides, secrets kept apart.

Lookup order for every setting: environment variable, then the project file,
then the embedded default. Any key of the project file can be overridden with
``CHURNSTACK__<SECTION>__<KEY>=value`` (double underscores walk the nesting,
the value is parsed as YAML), e.g.
``CHURNSTACK__SOURCES__CUSTOMER_REVIEWS__ENABLED=false``.

Secrets never live in the project file. The pseudonymisation key is read from
``CHURNSTACK_PSEUDONYM_KEY``, else from the file named by
``CHURNSTACK_PSEUDONYM_KEY_FILE``, else from ``secrets.pseudonym_key_file`` of
the project file. A missing key is a :class:`ConfigError` raised before any
work starts, and the key's value never appears in a message.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from churnstack.errors import ConfigError

DEFAULT_PROJECT_FILE = Path("churnstack.yml")
ENV_PREFIX = "CHURNSTACK__"
PSEUDONYM_KEY_ENV = "CHURNSTACK_PSEUDONYM_KEY"
PSEUDONYM_KEY_FILE_ENV = "CHURNSTACK_PSEUDONYM_KEY_FILE"
MIN_KEY_LENGTH = 16

# The embedded defaults: the demo needs no server, everything lives under the project folder.
DEFAULTS: dict[str, Any] = {
    "project": "churnstack",
    "paths": {
        "data": "data/demo",  # where `churnstack generate` writes the demo sources
        "lake": ".churnstack/lake",
        "state": ".churnstack/state",  # run log, dbt target, published snapshots
    },
    "warehouse": {"type": "duckdb", "path": ".churnstack/warehouse.duckdb"},
    "secrets": {"pseudonym_key_file": ".secrets/pseudonym_key"},
    "generate": {"customers": 7043, "seed": 42, "defects": True, "days": 7, "scale": "small"},
    "sources": {
        "telco_customers": {"kind": "csv", "path": "{data}/telco_customers.csv", "required": True},
        "customer_location": {"kind": "csv", "path": "{data}/customer_location.csv"},
        "zip_population": {"kind": "csv", "path": "{data}/zip_population.csv"},
        "customer_reviews": {"kind": "jsonl", "path": "{data}/customer_reviews.jsonl"},
        # Customer experience (seed 004): optional; daily ones hold a {date} placeholder.
        "call_logs": {
            "kind": "csv",
            "path": "{data}/call logs/call_logs_{date:%Y-%m-%d}.csv",
            "daily": True,
            "load": "merge",
        },
        "web_forms": {
            "kind": "csv",
            "path": "{data}/web_forms/web_form_request_{date:%Y_%m_%d}.csv",
            "daily": True,
            "load": "merge",
        },
        "social_media": {
            "kind": "columnar_json",
            "path": "{data}/social_media/social_media_{date:%Y-%m-%d}.json",
            "daily": True,
            "load": "merge",
        },
        "agents": {"kind": "xlsx", "path": "{data}/agents.xlsx", "sheet": "agents"},
        "complaint_categories": {
            "kind": "xlsx",
            "path": "{data}/complaint_categories.xlsx",
            "sheet": "categories",
        },
        # Customer 360 (seed 003) and commerce (seed 002): optional. Daily Parquet sources
        # read their `history` file too on the project's first run (the initial load).
        "customers": {"kind": "csv", "path": "{data}/customers.csv"},
        "products": {"kind": "csv", "path": "{data}/products.csv"},
        "campaigns": {"kind": "csv", "path": "{data}/campaigns.csv"},
        **{
            table: {
                "kind": "parquet",
                "path": f"{{data}}/{table}/{{date}}.parquet",
                "history": "history.parquet",
                "daily": True,
                "load": "merge",
            }
            for table in ("transactions", "orders", "order_items", "clickstream", "inventory")
        },
    },
}

SOURCE_KINDS = ("csv", "jsonl", "sql", "mongo", "xlsx", "gsheet", "columnar_json", "parquet")
# Kinds that read a database or an API rather than a file: no `path`.
PATHLESS_KINDS = ("sql", "mongo", "gsheet")


LOAD_PATTERNS = ("swap", "merge")


@dataclass(frozen=True)
class SourceSettings:
    """One source table: where it comes from, how to read it and how to load it."""

    table: str  # the contract (and lake/warehouse table) name
    kind: str  # csv | jsonl | ...
    path: Path
    system: str = "files"  # groups tables of one source system in the lake
    enabled: bool = True
    required: bool = False  # a missing file stops the run only when required
    encoding: str = "utf-8"
    display_path: str = ""  # the path as the user wrote it: used as `_source_file` lineage
    # A daily source has a new file per run date: its path holds a {date} placeholder
    # (e.g. "calls/{date}.csv" or "calls/{date:%Y_%m_%d}.csv"). A static source is one file,
    # refreshed by every run (and only on the last date of a backfill).
    daily: bool = False
    # swap: replace the warehouse table with the run's rows (reference data);
    # merge: upsert the run's rows on the contract's natural key (daily/transactional data).
    load: str = "swap"
    options: dict[str, Any] = field(default_factory=dict)  # kind-specific settings
    # This source's folder under paths.state (incremental cursor state, spool files).
    state_dir: Path | None = None

    def path_for(self, run_date: date) -> Path:
        return Path(_format_date(str(self.path), run_date))

    def url_for(self, run_date: date) -> str | None:
        """The object-storage URL (``s3://bucket/key``) of a file source, else None."""
        if is_url(self.display_path):
            return _format_date(self.display_path, run_date)
        return None

    def format_option(self, name: str, run_date: date) -> str | None:
        """A text option with the run date filled in (e.g. a daily table name)."""
        value = self.options.get(name)
        return None if value is None else _format_date(str(value), run_date)

    def label_for(self, run_date: date) -> str:
        """The source as the user wrote it, with the run date filled in (lineage, messages)."""
        return _format_date(self.display_path or str(self.path), run_date)


def is_url(path: str) -> bool:
    """``s3://bucket/key`` and the like: kept as written, never resolved as a local path."""
    scheme, sep, _ = path.partition("://")
    return bool(sep) and scheme.isalnum() and len(scheme) > 1


def _format_date(template: str, run_date: date) -> str:
    if "{date" not in template:
        return template
    try:
        return template.format(date=run_date)
    except (KeyError, ValueError, IndexError) as exc:
        raise ConfigError(f"{template}: bad {{date}} placeholder ({exc})") from None


@dataclass(frozen=True)
class Settings:
    project_file: Path | None
    root: Path
    project: str
    data_path: Path
    lake_path: Path
    state_path: Path
    warehouse_path: Path
    pseudonym_key_file: Path
    generate: dict[str, Any]
    sources: dict[str, SourceSettings] = field(default_factory=dict)
    # dbt node selection for `transform` (e.g. only the churn area's folders);
    # empty means the whole project.
    transform_select: tuple[str, ...] = ()

    def with_source_paths(self, overrides: Mapping[str, str]) -> Settings:
        """Point file sources at other files for one run (`--source NAME=PATH`)."""
        sources = dict(self.sources)
        for name, raw_path in overrides.items():
            if name not in sources:
                known = ", ".join(sorted(sources))
                raise ConfigError(f"--source {name}=...: no source named {name!r} (known: {known})")
            path = Path(raw_path).expanduser()
            if not is_url(raw_path) and not path.is_absolute():
                path = Path.cwd() / path
            sources[name] = _replace(
                sources[name],
                path=path,
                display_path=raw_path,
                enabled=True,
            )
        return _replace(self, sources=sources)


def _replace(obj: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(obj, **changes)


def parse_source_overrides(values: list[str] | None) -> dict[str, str]:
    """Turn ``["telco_customers=/tmp/x.csv"]`` into a mapping, refusing malformed items."""
    result: dict[str, str] = {}
    for item in values or []:
        name, sep, path = item.partition("=")
        if not sep or not name.strip() or not path.strip():
            raise ConfigError(f"--source {item!r}: expected NAME=PATH, e.g. telco_customers=my.csv")
        result[name.strip()] = path.strip()
    return result


def _deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for name, raw in sorted(environ.items()):
        if not name.startswith(ENV_PREFIX):
            continue
        parts = [p.lower() for p in name[len(ENV_PREFIX) :].split("__") if p]
        if not parts:
            continue
        try:
            value = yaml.safe_load(raw) if raw != "" else ""
        except yaml.YAMLError:
            value = raw
        node = overrides
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"environment variable {name}: conflicts with another override")
        node[parts[-1]] = value
    return overrides


def _read_project_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the project file ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    return data


def load_settings(
    config: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Build settings from the project file (or the embedded defaults) and the environment.

    ``config=None`` means ``./churnstack.yml`` if it exists, else the embedded
    defaults rooted at the current directory; an explicit path must exist.
    """
    environ = os.environ if environ is None else environ
    cwd = (cwd or Path.cwd()).resolve()
    project_file: Path | None
    if config is None:
        candidate = cwd / DEFAULT_PROJECT_FILE
        project_file = candidate if candidate.exists() else None
    else:
        project_file = (cwd / config).resolve() if not config.is_absolute() else config
        if not project_file.exists():
            raise ConfigError(f"{config}: project file not found")
    raw = copy.deepcopy(DEFAULTS)
    if project_file is not None:
        file_data = _read_project_file(project_file)
        # A project file that lists sources replaces the default list rather than extending it.
        if "sources" in file_data:
            raw["sources"] = {}
        raw = _deep_merge(raw, file_data)
    raw = _deep_merge(raw, _env_overrides(environ))
    root = project_file.parent if project_file is not None else cwd
    return _build(raw, root, project_file)


def _section(raw: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = raw.get(name) or {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"setting {name!r}: expected a mapping, got {type(value).__name__}")
    return value


def _build(raw: Mapping[str, Any], root: Path, project_file: Path | None) -> Settings:
    paths = _section(raw, "paths")
    where = str(project_file) if project_file else "embedded defaults"

    def resolve(value: Any, setting: str) -> Path:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where}: setting {setting} must be a non-empty path")
        path = Path(value).expanduser()
        return path if path.is_absolute() else root / path

    data_text = str(paths.get("data", "data/demo"))
    warehouse = _section(raw, "warehouse")
    if warehouse.get("type", "duckdb") != "duckdb":
        raise ConfigError(
            f"{where}: warehouse.type {warehouse.get('type')!r} is not supported yet (use duckdb)"
        )
    sources: dict[str, SourceSettings] = {}
    for table, spec in _section(raw, "sources").items():
        if not isinstance(spec, Mapping):
            raise ConfigError(f"{where}: source {table!r} must be a mapping")
        kind = spec.get("kind")
        if kind not in SOURCE_KINDS:
            raise ConfigError(
                f"{where}: source {table!r} has kind {kind!r}; expected one of {SOURCE_KINDS}"
            )
        path_text = str(spec.get("path") or "").replace("{data}", data_text)
        load = spec.get("load", "swap")
        if load not in LOAD_PATTERNS:
            raise ConfigError(
                f"{where}: source {table!r} has load {load!r}; expected one of {LOAD_PATTERNS}"
            )
        known = {"kind", "path", "system", "enabled", "required", "encoding", "daily", "load"}
        if is_url(path_text) or (kind in PATHLESS_KINDS and not path_text):
            source_path = Path(path_text)  # a URL, or no file at all: never resolved locally
        else:
            source_path = resolve(path_text, f"sources.{table}.path")
        sources[table] = SourceSettings(
            table=table,
            kind=kind,
            path=source_path,
            system=str(spec.get("system", "files")),
            enabled=bool(spec.get("enabled", True)),
            required=bool(spec.get("required", False)),
            encoding=str(spec.get("encoding", "utf-8")),
            display_path=path_text,
            daily=bool(spec.get("daily", False)),
            load=str(load),
            options={k: v for k, v in spec.items() if k not in known},
            state_dir=resolve(paths.get("state"), "paths.state") / "sources" / table,
        )
    secrets = _section(raw, "secrets")
    return Settings(
        project_file=project_file,
        root=root,
        project=str(raw.get("project", "churnstack")),
        data_path=resolve(data_text, "paths.data"),
        lake_path=resolve(paths.get("lake"), "paths.lake"),
        state_path=resolve(paths.get("state"), "paths.state"),
        warehouse_path=resolve(warehouse.get("path"), "warehouse.path"),
        pseudonym_key_file=resolve(secrets.get("pseudonym_key_file"), "secrets.pseudonym_key_file"),
        generate=dict(_section(raw, "generate")),
        transform_select=_selectors(_section(raw, "transform").get("select"), where),
        sources=sources,
    )


def _selectors(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{where}: transform.select must be a dbt selector or a list of them")


def load_pseudonym_key(settings: Settings, environ: Mapping[str, str] | None = None) -> bytes:
    """Return the pseudonymisation key, or fail with the ways to provide it (never the value)."""
    environ = os.environ if environ is None else environ
    value = environ.get(PSEUDONYM_KEY_ENV)
    origin = f"environment variable {PSEUDONYM_KEY_ENV}"
    if not value:
        key_file = Path(environ.get(PSEUDONYM_KEY_FILE_ENV) or settings.pseudonym_key_file)
        origin = f"secret file {key_file}"
        try:
            value = key_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            value = ""
        except OSError as exc:
            raise ConfigError(
                f"{origin}: cannot read the pseudonymisation key ({exc.strerror})"
            ) from None
    if not value:
        raise ConfigError(
            "missing secret: the pseudonymisation key. Set "
            f"{PSEUDONYM_KEY_ENV}, or write it to {settings.pseudonym_key_file} "
            "(`churnstack init-secret` creates a random one)"
        )
    if len(value) < MIN_KEY_LENGTH:
        raise ConfigError(
            f"{origin}: the pseudonymisation key is too short "
            f"(need at least {MIN_KEY_LENGTH} characters)"
        )
    return value.encode("utf-8")


def init_secret(settings: Settings) -> bool:
    """Create a random pseudonymisation key file if none exists. Returns True if created."""
    import secrets

    path = settings.pseudonym_key_file
    if path.exists() and path.read_text(encoding="utf-8").strip():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(32) + "\n")
    os.replace(tmp, path)
    return True
