"""Customer-experience projects, each built once per session by a real `churnstack run`.

The CX generator writes one file per day for a week; a run reads the files of its
run date only. To build a week of complaints with a single (cheap) run, the
fixtures fold the week's files into the run date's files: every complaint keeps
its own id and timestamps, so the marts see the same week a 7-day backfill
would load.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from churnstack.generate import generate_demo
from churnstack.generate.cx import (
    call_logs_path,
    column_oriented_json,
    demo_customer_ids,
    generate_cx,
    social_media_path,
    web_forms_path,
    write_csv,
)
from churnstack.settings import Settings, load_settings
from tests.conftest import TEST_KEY, write_project
from tests.e2e_support import DemoProject

RUN_DATE = date(2026, 3, 1)
CUSTOMERS = 3000  # ~300 complaints in the week: enough for the planted findings to show
SOURCES = textwrap.dedent(
    """
    sources:
      telco_customers: {kind: csv, path: "{data}/telco_customers.csv", required: true}
      customer_location: {kind: csv, path: "{data}/customer_location.csv"}
      call_logs:
        kind: csv
        path: "{data}/call logs/call_logs_{date:%Y-%m-%d}.csv"
        daily: true
        load: merge
      web_forms:
        kind: csv
        path: "{data}/web_forms/web_form_request_{date:%Y_%m_%d}.csv"
        daily: true
        load: merge
      social_media:
        kind: columnar_json
        path: "{data}/social_media/social_media_{date:%Y-%m-%d}.json"
        daily: true
        load: merge
      agents: {kind: xlsx, path: "{data}/agents.xlsx", sheet: agents}
      complaint_categories:
        kind: xlsx
        path: "{data}/complaint_categories.xlsx"
        sheet: categories
    """
)
# A differently planted week: the same generator, with category names swapped, so
# the backlog and the long calls land on other categories.
SWAPPED = {
    "Network Failure": "Data Plan",
    "Data Plan": "Network Failure",
    "Technician Support": "Account Access",
    "Account Access": "Technician Support",
}


@dataclass
class CXProject(DemoProject):
    calls: pl.DataFrame  # the week's complaints as written to the run date's files
    web: pl.DataFrame
    social: pl.DataFrame
    first_run_output: str = ""

    @property
    def settings(self) -> Settings:
        return load_settings(self.config, environ={}, cwd=self.root)


def _recategorise(frame: pl.DataFrame, mapping: Mapping[str, str]) -> pl.DataFrame:
    if not mapping:
        return frame
    return frame.with_columns(pl.col("complaint_category").replace(dict(mapping)))


def fold_week(data: Path, days: list[date], mapping: Mapping[str, str]) -> dict[str, pl.DataFrame]:
    """Rewrite the run date's daily files to hold the whole week; remove the other days."""
    run_date = days[-1]
    calls = pl.concat(
        [pl.read_csv(call_logs_path(data, d), infer_schema=False) for d in days], how="diagonal"
    )
    web = pl.concat(
        [pl.read_csv(web_forms_path(data, d), infer_schema=False) for d in days], how="diagonal"
    )
    social_parts = []
    for d in days:
        columns = json.loads(social_media_path(data, d).read_text("utf-8"))
        order = sorted(next(iter(columns.values())), key=int) if columns else []
        social_parts.append(
            pl.DataFrame(
                {k: [v[i] for i in order] for k, v in columns.items()}, infer_schema_length=None
            )
        )
    social = pl.concat([p for p in social_parts if p.height], how="diagonal_relaxed")
    calls, web, social = (_recategorise(f, mapping) for f in (calls, web, social))
    for d in days[:-1]:
        for path in (call_logs_path(data, d), web_forms_path(data, d), social_media_path(data, d)):
            path.unlink()
    write_csv(calls, call_logs_path(data, run_date))
    write_csv(web, web_forms_path(data, run_date))
    social_media_path(data, run_date).write_text(column_oriented_json(social), "utf-8")
    return {"calls": calls, "web": web, "social": social}


def build_cx_project(root: Path, mapping: Mapping[str, str] | None = None) -> CXProject:
    config = write_project(root, SOURCES)
    data = root / "data"
    generate_demo(data, customers=CUSTOMERS, seed=5, as_of=RUN_DATE, defects=False)
    cx = generate_cx(data, customer_ids=demo_customer_ids(data), seed=5, as_of=RUN_DATE, days=7)
    frames = fold_week(data, cx.days, mapping or {})
    project = CXProject(root=root, config=config, **frames)
    with pytest.MonkeyPatch.context() as patch:
        import os

        for name in list(os.environ):
            if name.startswith("CHURNSTACK"):
                patch.delenv(name)
        patch.setenv("CHURNSTACK_PSEUDONYM_KEY", TEST_KEY)
        result = project.cli("run", "--date", RUN_DATE.isoformat())
    assert result.exit_code == 0, result.output
    project.first_run_output = result.output
    return project


@pytest.fixture(scope="session")
def cx_planted(tmp_path_factory: pytest.TempPathFactory) -> CXProject:
    """The generator's week as planted (seed 004's three findings), run once."""
    return build_cx_project(tmp_path_factory.mktemp("cx_planted"))


@pytest.fixture(scope="session")
def cx_swapped(tmp_path_factory: pytest.TempPathFactory) -> CXProject:
    """The same week with category names swapped: the findings move to other categories."""
    return build_cx_project(tmp_path_factory.mktemp("cx_swapped"), SWAPPED)
