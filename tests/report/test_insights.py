"""`churnstack report`: seed 004's three insights, computed from the published marts.

Two weeks of complaints are built (see conftest): the generator's, with the
findings planted, and the same week with category names swapped. The report must
name the planted categories in the first and follow the swap in the second, and
its figures must equal what the source files say, computed here independently.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from churnstack.report import insights
from churnstack.report.insights import build_report
from churnstack.serving.publish import connect_published
from tests.report.conftest import SWAPPED, CXProject

pytestmark = pytest.mark.slow


def _all_complaints(project: CXProject) -> pl.DataFrame:
    keep = ["customer_id", "complaint_category", "resolution_status"]
    return pl.concat(
        [
            project.calls.select(keep).with_columns(channel=pl.lit("Call")),
            project.web.select(keep).with_columns(channel=pl.lit("Web")),
            project.social.select(keep).with_columns(channel=pl.lit("Social")),
        ]
    )


def _expected_multi_channel_pct(project: CXProject) -> float:
    per_customer = (
        _all_complaints(project).group_by("customer_id").agg(pl.col("channel").n_unique())
    )
    return round(100.0 * (per_customer["channel"] > 1).sum() / per_customer.height, 1)


def _expected_backlog_leader(project: CXProject) -> str:
    rates = (
        _all_complaints(project)
        .group_by("complaint_category")
        .agg((pl.col("resolution_status") == "Backlog").mean().alias("rate"))
        .sort("rate", descending=True)
    )
    return rates["complaint_category"][0]


def test_report_names_the_planted_findings(cx_planted: CXProject, tmp_path: Path) -> None:
    out = tmp_path / "insights.md"
    result = cx_planted.cli("report", "--out", str(out))
    assert result.exit_code == 0, result.output
    printed = " ".join(result.output.split())  # rich wraps long lines
    assert '"Network Failure" complaints end in Backlog most often' in printed
    assert '"Technician Support" calls last longest' in printed
    assert "used more than one channel" in printed

    report = build_report(cx_planted.settings)
    backlog = report.insight("backlog").figures
    assert backlog["complaint_category"] == "Network Failure"
    assert backlog["backlog_pct"] > 50 > 25 > backlog["other_categories_backlog_pct"]
    handling = report.insight("handling").figures
    assert handling["complaint_category"] == "Technician Support"
    assert 2.4 <= handling["multiple_of_median"] <= 3.8  # "about 3x the median call"
    channels = report.insight("channels").figures
    assert channels["multi_channel_pct"] == _expected_multi_channel_pct(cx_planted)
    assert channels["multi_channel_pct"] >= 15  # a sizeable share
    assert channels["hop_window_days"] == 7

    text = out.read_text("utf-8")
    # Each query is embedded verbatim, and the figures it printed are its result.
    for sql in (insights.BACKLOG_SQL, insights.HANDLING_SQL, insights.CHANNELS_SQL):
        assert f"```sql\n{sql}\n```" in text
    with connect_published(cx_planted.settings) as con:
        top = con.execute(insights.HANDLING_SQL).fetchall()[0]
    assert f"| {top[0]} | {top[1]} | {top[2]:g} |" in text


def test_report_follows_the_data(cx_swapped: CXProject, tmp_path: Path) -> None:
    report = build_report(cx_swapped.settings)
    backlog = report.insight("backlog")
    assert backlog.figures["complaint_category"] == SWAPPED["Network Failure"]
    assert backlog.figures["complaint_category"] == _expected_backlog_leader(cx_swapped)
    handling = report.insight("handling")
    assert handling.figures["complaint_category"] == SWAPPED["Technician Support"]
    channels = report.insight("channels")
    assert channels.figures["multi_channel_pct"] == _expected_multi_channel_pct(cx_swapped)

    text = report.markdown()
    assert f'"{SWAPPED["Network Failure"]}" complaints end in Backlog' in text
    assert f'"{SWAPPED["Technician Support"]}" calls last longest' in text
    findings = text.split("## 1.")[0]
    assert "Network Failure" not in findings and "Technician Support" not in findings


def test_no_category_is_hard_coded() -> None:
    source = Path(insights.__file__).read_text("utf-8")
    for category in ("Network Failure", "Technician Support", "Billing Dispute"):
        assert category not in source


def test_report_without_a_publication_fails_cleanly(tmp_path: Path) -> None:
    from tests.conftest import write_project
    from tests.e2e_support import DemoProject

    project = DemoProject(root=tmp_path, config=write_project(tmp_path))
    result = project.cli("report")
    assert result.exit_code != 0
    assert re.search(r"nothing published yet", result.output)
