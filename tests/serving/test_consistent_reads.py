"""Readers poll the published marts while runs write: no errors, only whole-run answers.

Two reader processes query the current snapshot in a loop while five runs
execute one after another; the third run's data quarantines too many rows, so
its dbt tests fail and it publishes nothing. Every answer a reader sees must be
the answer of a run that completed (or of the publication before them).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest

from churnstack.generate import generate_demo
from churnstack.serving.publish import current_publication
from tests.support.projects import child_env, make_project, run_cli, settings_of

pytestmark = pytest.mark.slow

START = date(2026, 3, 1)

READER = textwrap.dedent(
    """
    import json, sys, time, traceback
    from pathlib import Path
    from churnstack.serving.publish import connect_published
    from churnstack.settings import load_settings

    config, out, stop = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    settings = load_settings(config, environ={}, cwd=config.parent)
    with out.open("w") as log:
        while not stop.exists():
            try:
                with connect_published(settings) as con:
                    run_id = con.execute("select run_id from main._publication").fetchall()[0][0]
                    rows, total = con.execute(
                        "select count(*), sum(monthly_charges)::varchar from marts.fct_churn"
                    ).fetchall()[0]
                    metrics = con.execute(
                        "select count(*) from marts.data_quality_metrics where run_id = ?",
                        [run_id],
                    ).fetchall()[0][0]
                log.write(json.dumps({"answer": [run_id, rows, total, metrics]}) + "\\n")
            except Exception:
                log.write(json.dumps({"error": traceback.format_exc()}) + "\\n")
            log.flush()
            time.sleep(0.05)
    """
)


def _answer(config: Path) -> list:
    from churnstack.serving.publish import connect_published

    with connect_published(settings_of(config)) as con:
        run_id = con.execute("select run_id from main._publication").fetchall()[0][0]
        rows, total = con.execute(
            "select count(*), sum(monthly_charges)::varchar from marts.fct_churn"
        ).fetchall()[0]
    return [run_id, rows, total, 1]


def _break_telco(path: Path) -> None:
    """Truncate every third line: far more than the 10 % a source may lose to quarantine."""
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = [line[:20] if i % 3 == 0 else line for i, line in enumerate(lines[1:], 1)]
    path.write_text("\n".join([lines[0], *broken]) + "\n", encoding="utf-8")


def test_readers_see_only_whole_runs_while_runs_write(tmp_path: Path) -> None:
    config = make_project(tmp_path / "project", customers=150, seed=1, day=START)
    run_cli(config, "run", "--date", (START - timedelta(days=1)).isoformat())
    expected = [_answer(config)]
    stop = tmp_path / "stop"
    readers = []
    for i in range(2):
        out = tmp_path / f"reader{i}.jsonl"
        proc = subprocess.Popen(
            [sys.executable, "-c", READER, str(config), str(out), str(stop)], env=child_env()
        )
        readers.append((proc, out))
    outcomes = []
    try:
        for i in range(5):
            day = START + timedelta(days=i)
            generate_demo(config.parent / "data", customers=150 + 10 * i, seed=i + 2, as_of=day)
            if i == 2:
                _break_telco(config.parent / "data" / "telco_customers.csv")
            result = run_cli(config, "run", "--date", day.isoformat(), check=False)
            outcomes.append(result.returncode)
            if result.returncode == 0:
                expected.append(_answer(config))
            else:
                assert "dbt build failed, nothing published" in result.stderr
                assert current_publication(settings_of(config)).run_id == expected[-1][0]
    finally:
        stop.touch()
        for proc, _ in readers:
            proc.wait(timeout=60)
    assert outcomes == [0, 0, 1, 0, 0]
    answers, errors = [], []
    for _, out in readers:
        for line in out.read_text().splitlines():
            record = json.loads(line)
            (answers if "answer" in record else errors).append(record)
    assert errors == []
    assert len(answers) > 50
    assert {json.dumps(a["answer"]) for a in answers} <= {json.dumps(e) for e in expected}
    assert len({json.dumps(a["answer"]) for a in answers}) >= 3  # readers saw runs change
