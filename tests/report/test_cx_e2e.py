"""End to end for customer experience: `churnstack run` with the CX sources.

The week of generated complaints (folded into the run date's files, see
conftest) goes through ingest, load, dbt build (every CX model and test) and
publish; the tests then read the published marts and the working warehouse, and
re-run the same date to show it adds nothing.
"""

from __future__ import annotations

import duckdb
import pytest

from churnstack.serving.publish import connect_published
from tests.report.conftest import RUN_DATE, CXProject

pytestmark = pytest.mark.slow

CX_MARTS = {
    "dim_agent",
    "dim_channel",
    "dim_complaint_category",
    "fct_call_logs",
    "fct_web_complaints",
    "fct_social_media",
    "fct_unified_complaints",
    "cx_backlog_by_category",
    "cx_handling_time_by_category",
    "cx_complaints_per_customer_channel",
    "cx_channel_hopping",
}
FACTS = ("fct_call_logs", "fct_web_complaints", "fct_social_media")


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"select count(*) from {table}").fetchall()[0][0])


def test_run_builds_every_cx_model_with_tests_passing(cx_planted: CXProject) -> None:
    assert "/ 0 failed" in cx_planted.first_run_output
    with connect_published(cx_planted.settings) as con:
        tables = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        assert tables >= CX_MARTS
        assert _count(con, "marts.fct_call_logs") == cx_planted.calls.height
        assert _count(con, "marts.fct_web_complaints") == cx_planted.web.height
        assert _count(con, "marts.fct_social_media") == cx_planted.social.height
        unified = _count(con, "marts.fct_unified_complaints")
        assert unified == sum(_count(con, f"marts.{t}") for t in FACTS)
        assert con.execute(
            "select agent_name, is_unassigned from marts.dim_agent where agent_id = -1"
        ).fetchall() == [("Unassigned", True)]
        assert {r[0] for r in con.execute("select channel from marts.dim_channel").fetchall()} == {
            "Call",
            "Web",
            "Social",
        }
        # Unassigned web and social complaints point at the -1 member; calls always have an agent.
        assert _count(con, "marts.fct_social_media where agent_id = -1") > 0
        assert _count(con, "marts.fct_call_logs where agent_id = -1") == 0
        assert _count(con, "marts.fct_web_complaints where handling_seconds <> 0") == 0
        assert _count(con, "marts.fct_call_logs where handling_seconds <= 0") == 0
        assert _count(con, "marts.fct_unified_complaints where unparsed_timestamps > 0") == 0


def test_customer_complaint_features(cx_planted: CXProject) -> None:
    with duckdb.connect(str(cx_planted.settings.warehouse_path), read_only=True) as con:
        rows = con.execute(
            "select count(*), sum(complaint_count), count(distinct customer_id), "
            "sum(backlog_count), max(last_complaint_date) "
            "from intermediate.int_customer_complaints"
        ).fetchall()[0]
    customers, complaints, distinct, backlog, last = rows
    all_ids = set(cx_planted.calls["customer_id"]) | set(cx_planted.web["customer_id"])
    all_ids |= set(cx_planted.social["customer_id"])
    assert customers == distinct == len(all_ids)  # one row per complaining customer
    assert complaints == cx_planted.calls.height + cx_planted.web.height + cx_planted.social.height
    expected_backlog = sum(
        (f["resolution_status"] == "Backlog").sum()
        for f in (cx_planted.calls, cx_planted.web, cx_planted.social)
    )
    assert backlog == expected_backlog
    assert last == RUN_DATE


def test_rerunning_the_date_adds_no_rows(cx_planted: CXProject) -> None:
    query = "select count(*), count(distinct complaint_id) from marts.fct_unified_complaints"
    with connect_published(cx_planted.settings) as con:
        before = con.execute(query).fetchall()[0]
    result = cx_planted.cli("run", "--date", RUN_DATE.isoformat())
    assert result.exit_code == 0, result.output
    assert "/ 0 failed" in result.output
    with connect_published(cx_planted.settings) as con:
        after = con.execute(query).fetchall()[0]
        facts = sum(_count(con, f"marts.{t}") for t in FACTS)
    assert after == before and after[0] == after[1] == facts
