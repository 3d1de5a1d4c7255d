"""SIGKILL a run at random moments; the next normal run must end in the same marts.

Each kill lands somewhere in extract, load, dbt or publish of a real child
process. After it, a normal run must succeed and leave the working warehouse
and the published snapshot exactly as an uninterrupted run does.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from churnstack.quality.checksums import table_checksums
from tests.support.projects import (
    child_env,
    cli_command,
    make_project,
    published_marts,
    run_cli,
    settings_of,
)

pytestmark = pytest.mark.slow

DAY = "2026-03-01"
KILL_POINTS = int(os.environ.get("CHURNSTACK_TEST_KILL_POINTS", "10"))


def _working_marts(config: Path) -> dict[str, tuple[int, str]]:
    with duckdb.connect(str(settings_of(config).warehouse_path), read_only=True) as con:
        return table_checksums(con, "marts")


def test_sigkill_at_random_points_then_rerun_gives_the_same_marts(tmp_path: Path) -> None:
    baseline = make_project(tmp_path / "baseline")
    began = time.monotonic()
    run_cli(baseline, "run", "--date", DAY)
    duration = time.monotonic() - began
    expected_working, expected_published = _working_marts(baseline), published_marts(baseline)

    victim = make_project(tmp_path / "victim")
    rng = random.Random(20261122)
    # One kill per slice of the run's duration, at a random moment inside the slice.
    points = sorted((i + rng.random()) * duration / KILL_POINTS for i in range(KILL_POINTS))
    killed_while_running = 0
    for delay in points:
        child = subprocess.Popen(
            cli_command(victim, "run", "--date", DAY),
            env=child_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            killed_while_running += 1
        child.wait(timeout=60)
        result = run_cli(victim, "run", "--date", DAY, check=False)
        assert result.returncode == 0, f"run after a kill at {delay:.2f}s failed:\n{result.stderr}"
        assert _working_marts(victim) == expected_working, f"kill at {delay:.2f}s"
        assert published_marts(victim) == expected_published, f"kill at {delay:.2f}s"
    assert killed_while_running >= KILL_POINTS - 2  # the kills really interrupted runs
    status = run_cli(victim, "status", "--limit", "30").stdout
    assert "interrupted" in status
