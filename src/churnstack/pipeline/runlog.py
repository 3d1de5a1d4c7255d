"""The run log: one JSON file per run attempt, rewritten atomically after each step.

Files, not a database table, so ``churnstack status`` can read the log while a
run holds the warehouse's single write lock. Wall-clock times live here (and
only here), keyed by run id and attempt; the data itself carries the run's
logical time so re-runs reproduce it exactly.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass
class StepRecord:
    name: str
    started_at: str
    duration_s: float | None = None
    status: str = "running"
    rows_in: int | None = None
    rows_out: int | None = None
    rows_quarantined: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunRecord:
    run_date: str
    command: str
    started_at: str
    run_id: str | None = None
    attempt: int = 1
    finished_at: str | None = None
    status: str = "running"
    error: str | None = None
    steps: list[StepRecord] = field(default_factory=list)
    pid: int | None = None

    @property
    def interrupted(self) -> bool:
        """Still marked running, but its process is gone (killed, or the machine stopped)."""
        if self.status != "running" or self.pid is None:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


class RunLog:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def start(self, run_date: str, command: str) -> tuple[RunRecord, Path]:
        self.folder.mkdir(parents=True, exist_ok=True)
        record = RunRecord(
            run_date=run_date, command=command, started_at=utc_now(), pid=os.getpid()
        )
        stamp = record.started_at.replace(":", "").replace("-", "").replace("+", "_")
        # pid + random suffix: two attempts started in the same millisecond keep separate files.
        path = self.folder / f"{stamp}-{os.getpid()}-{uuid.uuid4().hex[:6]}.json"
        self.save(record, path)
        return record, path

    def attempt_number(self, run_id: str) -> int:
        return 1 + sum(1 for r in self.records() if r.run_id == run_id)

    def save(self, record: RunRecord, path: Path) -> None:
        fd, tmp = tempfile.mkstemp(prefix=".run.", dir=self.folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(record), handle, indent=2)
        os.replace(tmp, path)

    def records(self) -> list[RunRecord]:
        """All recorded attempts, newest first (unreadable files are skipped, not fatal)."""
        found: list[RunRecord] = []
        if not self.folder.exists():
            return found
        for path in self.folder.glob("*.json"):
            try:
                data = json.loads(path.read_text("utf-8"))
                steps = [StepRecord(**s) for s in data.pop("steps", [])]
                found.append(RunRecord(**data, steps=steps))
            except (OSError, ValueError, TypeError):
                continue
        found.sort(key=lambda r: r.started_at, reverse=True)
        return found
