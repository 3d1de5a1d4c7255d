"""The data-quality summary shown after a run, read from the published marts."""

from __future__ import annotations

from churnstack.serving.publish import connect_published, current_publication
from churnstack.settings import Settings


def latest_metrics(settings: Settings) -> dict[str, object] | None:
    """The ``marts.data_quality_metrics`` row of the run that is currently published."""
    publication = current_publication(settings)
    if publication is None:
        return None
    with connect_published(settings) as con:
        cursor = con.execute(
            "select * from marts.data_quality_metrics where run_id = ?", [publication.run_id]
        )
        rows = cursor.fetchall()
        if not rows:
            return None
        names = [d[0] for d in cursor.description]
        return dict(zip(names, rows[0], strict=True))


def quality_summary(settings: Settings) -> dict[str, str]:
    """Human-readable figures for the CLI: counts, churn rate, averages, quarantine."""
    metrics = latest_metrics(settings)
    if metrics is None:
        return {"data_quality_metrics": "no rows"}
    with connect_published(settings) as con:
        runs = int(con.execute("select count(*) from marts.data_quality_metrics").fetchall()[0][0])

    def number(key: str, fmt: str) -> str:
        value = metrics.get(key)
        return "-" if value is None else format(float(value), fmt)

    return {
        "run": str(metrics.get("run_id")),
        "customers (total records)": number("total_records", ",.0f"),
        "churned": number("churned_records", ",.0f"),
        "churn rate %": number("churn_rate", ".2f"),
        "avg monthly charges": number("avg_monthly_charges", ",.2f"),
        "avg tenure (months)": number("avg_tenure_months", ".1f"),
        "quarantined rows": number("quarantined_rows", ",.0f"),
        "runs in metrics history": f"{runs:,}",
    }
