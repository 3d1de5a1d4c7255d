from __future__ import annotations

from pathlib import Path

from churnstack.pipeline.runlog import RunLog, StepRecord


def test_records_round_trip_newest_first(tmp_path: Path) -> None:
    log = RunLog(tmp_path / "runs")
    first, first_path = log.start("2026-01-01", "run")
    first.run_id = "r1"
    first.steps.append(StepRecord(name="ingest", started_at="t", rows_in=5, detail={"x": 1}))
    log.save(first, first_path)
    second, second_path = log.start("2026-01-02", "run")
    second.run_id = "r1"
    log.save(second, second_path)
    records = log.records()
    assert [r.run_date for r in records] == ["2026-01-02", "2026-01-01"]
    assert records[1].steps[0].rows_in == 5 and records[1].steps[0].detail == {"x": 1}
    assert log.attempt_number("r1") == 3
    assert log.attempt_number("other") == 1


def test_unreadable_log_files_are_skipped(tmp_path: Path) -> None:
    log = RunLog(tmp_path)
    log.start("2026-01-01", "run")
    (tmp_path / "zzz-broken.json").write_text("{not json", encoding="utf-8")
    assert len(log.records()) == 1
    assert RunLog(tmp_path / "missing").records() == []


def test_a_run_whose_process_is_gone_reads_as_interrupted(tmp_path: Path) -> None:
    import subprocess
    import sys

    log = RunLog(tmp_path)
    record, path = log.start("2026-01-01", "run")
    assert record.interrupted is False  # this process is alive
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    record.pid = int(gone.stdout)
    log.save(record, path)
    assert log.records()[0].interrupted is True
    record.status = "ok"
    assert record.interrupted is False
