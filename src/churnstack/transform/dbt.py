"""Run the bundled dbt project in-process with ``dbtRunner``.

The profile is written from the settings into the state folder on every run,
so the project never depends on a developer's ``~/.dbt``. dbt's target and log
folders live in the state folder too, never inside the package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from churnstack.settings import Settings

PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
PROFILE = "churnstack"

# dbt and its adapters phone home unless told not to; offline that hangs or warns.
_QUIET_ENV = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}


@dataclass
class NodeResult:
    name: str
    resource_type: str
    status: str
    message: str | None = None
    failures: int | None = None


@dataclass
class DbtResult:
    success: bool
    nodes: list[NodeResult] = field(default_factory=list)
    error: str | None = None

    def count(self, resource_type: str, status: str | None = None) -> int:
        return sum(
            1
            for n in self.nodes
            if n.resource_type == resource_type and (status is None or n.status == status)
        )

    @property
    def tests_passed(self) -> int:
        return self.count("test", "pass") + self.count("unit_test", "pass")

    @property
    def tests_failed(self) -> int:
        failing = ("fail", "error")
        return sum(
            1
            for n in self.nodes
            if n.resource_type in ("test", "unit_test") and n.status in failing
        )

    @property
    def problems(self) -> list[NodeResult]:
        return [n for n in self.nodes if n.status in ("fail", "error", "runtime error")]


def dbt_dirs(settings: Settings) -> tuple[Path, Path, Path]:
    """(profiles dir, target dir, log dir) under the state folder."""
    base = settings.state_path / "dbt"
    return base, base / "target", base / "logs"


def write_profile(settings: Settings) -> Path:
    profiles_dir, _, _ = dbt_dirs(settings)
    profiles_dir.mkdir(parents=True, exist_ok=True)
    profile = {
        PROFILE: {
            "target": "duckdb",
            "outputs": {
                "duckdb": {
                    "type": "duckdb",
                    "path": str(settings.warehouse_path),
                    "threads": 2,
                }
            },
        },
        "config": {"send_anonymous_usage_stats": False},
    }
    path = profiles_dir / "profiles.yml"
    text = yaml.safe_dump(profile, sort_keys=True)
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")
    return profiles_dir


def invoke(settings: Settings, command: str, *extra: str) -> DbtResult:
    """Run one dbt command (``build``, ``test``, ...) and summarise its node results.

    The run being transformed is not passed as dbt vars: the loader writes it
    to ``raw._run_context``. So the arguments stay the same from run to run and
    dbt reuses its saved parse (a changed var would force a full re-parse).
    """
    os.environ.update(_QUIET_ENV)
    from dbt.cli.main import dbtRunner  # imported late: dbt takes seconds to import

    profiles_dir = write_profile(settings)
    _, target_dir, log_dir = dbt_dirs(settings)
    args = [
        command,
        "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(profiles_dir),
        "--target-path", str(target_dir),
        "--log-path", str(log_dir),
        "--quiet",
        "--log-level-file", "info",
        "--no-use-colors",
        *extra,
    ]  # fmt: skip
    try:
        outcome = dbtRunner().invoke(args)
    finally:
        _release_warehouse()
    result = DbtResult(success=bool(outcome.success))
    if outcome.exception is not None:
        result.error = f"{type(outcome.exception).__name__}: {outcome.exception}"
    for item in getattr(outcome.result, "results", None) or []:
        node = item.node
        result.nodes.append(
            NodeResult(
                name=node.name,
                resource_type=str(getattr(node.resource_type, "value", node.resource_type)),
                status=str(getattr(item.status, "value", item.status)),
                message=item.message,
                failures=getattr(item, "failures", None),
            )
        )
    return result


def _release_warehouse() -> None:
    """Close the DuckDB database dbt-duckdb keeps open for the life of the process.

    Otherwise the same process cannot open the warehouse again with another
    configuration (read-only readers, the publisher) after an in-process build.
    """
    import gc

    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    env = DuckDBConnectionManager._ENV
    if env is not None:
        env.close()
    DuckDBConnectionManager.close_all_connections()
    gc.collect()


# Models tagged `run_record` append one row per *tested* run (data-quality history):
# an untested build (the earlier dates of a backfill) leaves them alone.
RUN_RECORD_TAG = "run_record"


def build(settings: Settings, *, with_tests: bool = True) -> DbtResult:
    """``dbt build``: models, snapshots and (unless told otherwise) their tests.

    ``transform.select`` in the project file narrows the build to some subject
    areas (a project with only the Telco export need not build commerce marts).
    """
    select: tuple[str, ...] = ()
    if settings.transform_select:
        # cautious: a test runs only when every model it reads was selected
        select = ("--select", *settings.transform_select, "--indirect-selection", "cautious")
    if with_tests:
        return invoke(settings, "build", *select)
    return invoke(
        settings,
        "build",
        *select,
        "--exclude-resource-type", "test", "unit_test",
        "--exclude", f"tag:{RUN_RECORD_TAG}",
    )  # fmt: skip
