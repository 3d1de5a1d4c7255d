"""A small daily (merge-loaded) source for tests of the load patterns and backfills.

The churn area's sources are all static; this registers a test-only contract
``test_events`` and writes one CSV per day: new events, plus a late update of an
event from the day before (same key, new amount), so merging has work to do.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from churnstack.sources.contracts import Column, Contract

EVENTS = Contract(
    table="test_events",
    key=("event_id",),
    columns=(
        Column("event_id", nullable=False),
        Column("customer_id", nullable=False),
        Column("amount", "float", nullable=False, minimum=0),
        Column("event_at", "timestamp", nullable=False),
    ),
)

EVENTS_SOURCE = """
  test_events:
    kind: csv
    path: "{data}/events/{date}.csv"
    daily: true
    load: merge
"""


def write_events(folder: Path, day: date, per_day: int = 5, late_update: bool = True) -> Path:
    """Events of ``day``: ``per_day`` new ones and (``late_update``) yesterday's first, changed."""
    yesterday = day - timedelta(days=1)
    lines = ["event_id,customer_id,amount,event_at"]
    for i in range(per_day):
        lines.append(f"E{day:%Y%m%d}-{i},C{i % 3},{10 + i}.50,{day}T0{i}:00:00Z")
    if late_update:
        lines.append(f"E{yesterday:%Y%m%d}-0,C0,{day.day}.25,{yesterday}T23:30:00Z")
    path = folder / "events" / f"{day.isoformat()}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
