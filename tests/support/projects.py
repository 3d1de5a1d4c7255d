"""Demo projects run through the real CLI in a child process (for crash and concurrency tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from churnstack.generate import generate_demo
from churnstack.quality.checksums import table_checksums
from churnstack.serving.publish import connect_published
from churnstack.settings import Settings, load_settings
from tests.conftest import CHURN_AREA, TEST_KEY, write_project


def make_project(root: Path, customers: int = 200, seed: int = 11, day: date | None = None):
    config = write_project(root, select=CHURN_AREA)
    generate_demo(
        root / "data", customers=customers, seed=seed, as_of=day or date(2026, 3, 1), defects=True
    )
    return config


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHURNSTACK")}
    env["CHURNSTACK_PSEUDONYM_KEY"] = TEST_KEY
    return env


def cli_command(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "churnstack", "--config", str(config), *args]


def run_cli(config: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        cli_command(config, *args),
        env=child_env(),
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )


def settings_of(config: Path) -> Settings:
    return load_settings(config, environ={}, cwd=config.parent)


def published_marts(config: Path) -> dict[str, tuple[int, str]]:
    with connect_published(settings_of(config)) as con:
        return table_checksums(con, "marts")
