"""Seed 004's three customer-experience insights, computed from the published marts.

``churnstack report`` runs three queries against the current published snapshot
(the read-only copy of the ``marts`` schema of the last run whose dbt tests
passed) and writes a Markdown report that embeds each query verbatim, beside
its result, so every number in the text can be checked by running the SQL:

1. **Backlog**: the complaint category (all channels) with the highest share
   of complaints in status *Backlog*, against the share of all other categories
   (``cx_backlog_by_category``).
2. **Handling time**: the category whose calls last longest on average, and
   that average as a multiple of the median call (``cx_handling_time_by_category``
   and ``fct_call_logs``).
3. **Channel hopping**: the share of complaining customers who used more than
   one channel, and of those who came back on another channel within the hop
   window (``cx_channel_hopping``).

Nothing here names a category: the text says whatever the data says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from churnstack.errors import TerminalError
from churnstack.serving.publish import connect_published, current_publication
from churnstack.settings import Settings

BACKLOG_SQL = """\
select
    complaint_category,
    complaints,
    backlog_count,
    round(100.0 * backlog_rate, 1) as backlog_pct,
    round(
        100.0 * (sum(backlog_count) over () - backlog_count)
        / nullif(sum(complaints) over () - complaints, 0),
        1
    ) as other_categories_backlog_pct
from marts.cx_backlog_by_category
where complaints > 0
order by backlog_rate desc, complaints desc, complaint_category"""

HANDLING_SQL = """\
with median_call as (
    select percentile_cont(0.5) within group (order by handling_minutes) as median_minutes
    from marts.fct_call_logs
)
select
    h.complaint_category,
    h.calls,
    round(h.avg_handling_minutes, 1) as avg_minutes,
    round(m.median_minutes, 1) as median_call_minutes,
    round(h.avg_handling_minutes / nullif(m.median_minutes, 0), 1) as multiple_of_median
from marts.cx_handling_time_by_category as h
cross join median_call as m
where h.calls > 0
order by h.avg_handling_minutes desc, h.complaint_category"""

CHANNELS_SQL = """\
select
    count(*) as customers,
    sum(case when is_multi_channel then 1 else 0 end) as multi_channel_customers,
    round(100.0 * sum(case when is_multi_channel then 1 else 0 end) / count(*), 1)
        as multi_channel_pct,
    sum(case when has_hopped then 1 else 0 end) as hopping_customers,
    round(100.0 * sum(case when has_hopped then 1 else 0 end) / count(*), 1) as hopping_pct,
    max(hop_window_days) as hop_window_days
from marts.cx_channel_hopping"""

SHOWN_ROWS = 10  # result rows printed under each query in the report


@dataclass(frozen=True)
class Insight:
    """One finding: its sentence, the SQL that proves it and that SQL's result."""

    key: str
    title: str
    finding: str
    sql: str
    columns: list[str]
    rows: list[tuple]
    figures: dict[str, object] = field(default_factory=dict)  # the numbers in `finding`


@dataclass(frozen=True)
class InsightsReport:
    run_id: str
    run_date: str
    insights: list[Insight]

    def insight(self, key: str) -> Insight:
        return next(i for i in self.insights if i.key == key)

    def markdown(self) -> str:
        lines = [
            "# Customer experience insights",
            "",
            f"Published run `{self.run_id}` (run date {self.run_date}); every figure below",
            "comes from the SQL printed with it, run against the published `marts` snapshot.",
            "",
            "## Findings",
            "",
        ]
        lines += [f"{n}. **{i.title}**: {i.finding}" for n, i in enumerate(self.insights, 1)]
        for n, insight in enumerate(self.insights, 1):
            lines += ["", f"## {n}. {insight.title}", "", insight.finding, "", "```sql"]
            lines += [insight.sql, "```", ""]
            lines += _markdown_table(insight.columns, insight.rows[:SHOWN_ROWS])
            if len(insight.rows) > SHOWN_ROWS:
                lines.append(f"\n({len(insight.rows) - SHOWN_ROWS} more rows)")
        return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).replace("|", "\\|")


def _markdown_table(columns: Sequence[str], rows: Sequence[tuple]) -> list[str]:
    if not rows:
        return ["(no rows)"]
    out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return out


def _query(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple]]:
    try:
        cursor = con.execute(sql)
        rows = cursor.fetchall()
    except duckdb.CatalogException as exc:
        raise TerminalError(
            "the published marts have no customer-experience models yet "
            f"(run `churnstack run` with this version first): {str(exc).splitlines()[0]}"
        ) from exc
    return [d[0] for d in cursor.description], rows


def _backlog(con: duckdb.DuckDBPyConnection) -> Insight:
    columns, rows = _query(con, BACKLOG_SQL)
    title = "Highest backlog share"
    if not rows:
        return Insight(
            "backlog", title, "No complaints in the published marts.", BACKLOG_SQL, columns, rows
        )
    top = dict(zip(columns, rows[0], strict=True))
    others = top["other_categories_backlog_pct"]
    against = "" if others is None else f", against {others}% for all other categories together"
    finding = (
        f'"{top["complaint_category"]}" complaints end in Backlog most often: '
        f"{top['backlog_pct']}% of its {top['complaints']:,} complaints{against}."
    )
    return Insight("backlog", title, finding, BACKLOG_SQL, columns, rows, top)


def _handling(con: duckdb.DuckDBPyConnection) -> Insight:
    columns, rows = _query(con, HANDLING_SQL)
    title = "Longest calls"
    if not rows:
        return Insight(
            "handling", title, "No calls in the published marts.", HANDLING_SQL, columns, rows
        )
    top = dict(zip(columns, rows[0], strict=True))
    multiple = top["multiple_of_median"]
    times = (
        ""
        if multiple is None
        else f", {multiple}x the median call ({top['median_call_minutes']} min)"
    )
    finding = (
        f'"{top["complaint_category"]}" calls last longest: {top["avg_minutes"]} minutes '
        f"on average over {top['calls']:,} calls{times}."
    )
    return Insight("handling", title, finding, HANDLING_SQL, columns, rows, top)


def _channels(con: duckdb.DuckDBPyConnection) -> Insight:
    columns, rows = _query(con, CHANNELS_SQL)
    title = "Customers on more than one channel"
    figures = dict(zip(columns, rows[0], strict=True)) if rows else {}
    if not figures.get("customers"):
        return Insight(
            "channels",
            title,
            "No complaining customers in the published marts.",
            CHANNELS_SQL,
            columns,
            rows,
            figures,
        )
    finding = (
        f"{figures['multi_channel_pct']}% of the {figures['customers']:,} complaining customers "
        f"({figures['multi_channel_customers']:,}) used more than one channel; "
        f"{figures['hopping_pct']}% ({figures['hopping_customers']:,}) came back on another "
        f"channel within {figures['hop_window_days']} days."
    )
    return Insight("channels", title, finding, CHANNELS_SQL, columns, rows, figures)


def compute_insights(con: duckdb.DuckDBPyConnection) -> list[Insight]:
    """The three insights, from a connection that sees the ``marts`` schema."""
    return [_backlog(con), _handling(con), _channels(con)]


def build_report(settings: Settings) -> InsightsReport:
    """Compute the insights from the currently published snapshot."""
    publication = current_publication(settings)
    with connect_published(settings) as con:
        insights = compute_insights(con)
    assert publication is not None  # connect_published raised otherwise
    return InsightsReport(publication.run_id, publication.run_date, insights)


def default_report_path(settings: Settings, report: InsightsReport) -> Path:
    return settings.state_path / "reports" / f"cx_insights_{report.run_date}.md"


def write_report(report: InsightsReport, path: Path) -> Path:
    """Write the Markdown atomically (a reader never sees half a report)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{dt.datetime.now().strftime('%f')}.tmp")
    try:
        tmp.write_text(report.markdown(), encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
