"""Builds a demo project once per test session: generated sources -> `churnstack run`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from churnstack.cli import app

DEMO_DATE = date(2026, 3, 1)
DEMO_CUSTOMERS = 1500


@dataclass
class DemoProject:
    root: Path
    config: Path

    def cli(self, *args: str):
        result = CliRunner().invoke(app, ["--config", str(self.config), *args])
        return result
