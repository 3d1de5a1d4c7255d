"""The CLI: each command on a small project, and bad input as one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from churnstack.cli import app
from churnstack.sources.contracts import CONTRACTS
from tests.conftest import TELCO_HEADER, TELCO_ROWS, telco_csv, write_project

DAY = "2026-03-01"


def _cli(config: Path, *args: str):
    return CliRunner().invoke(app, ["--config", str(config), *args])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    config = write_project(tmp_path)
    telco_csv(tmp_path / "data" / "telco_customers.csv")
    return config


def test_help_lists_every_command_quickly() -> None:
    # A fresh interpreter: --help must not import dbt, DuckDB or Polars.
    code = (
        "import sys; from churnstack.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('dbt', 'duckdb', 'polars', 'pyarrow') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    for command in ("generate", "ingest", "load", "transform", "run", "status", "init-secret"):
        assert command in out.stdout
    assert "HEAVY []" in out.stdout


def test_generate_writes_the_demo_files(tmp_path: Path) -> None:
    config = write_project(tmp_path)
    result = _cli(config, "generate", "--customers", "50", "--seed", "3", "--as-of", DAY)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "telco_customers.csv").exists()
    assert "telco_customers.csv" in result.output and "duplicate" in result.output


def test_ingest_then_load_report_counts(project: Path) -> None:
    result = _cli(project, "ingest", "--date", DAY)
    assert result.exit_code == 0, result.output
    assert "4 source rows -> 4 in the lake, 0 quarantined" in result.output
    assert "customer_reviews: optional source" in result.output
    result = _cli(project, "load", "--date", DAY)
    assert result.exit_code == 0, result.output
    # One raw table per contract: absent sources load as empty tables.
    assert f"loaded {len(CONTRACTS)} raw tables" in result.output
    status = _cli(project, "status")
    assert status.exit_code == 0
    assert "ingest" in status.output and "load" in status.output


def test_transform_without_ingest_says_what_to_do(project: Path) -> None:
    result = _cli(project, "transform", "--date", DAY)
    assert result.exit_code == 1
    assert "no lake partitions for 2026-03-01" in result.output


def test_status_with_no_runs(project: Path) -> None:
    result = _cli(project, "status")
    assert result.exit_code == 0 and "no runs recorded yet" in result.output


def test_bad_date_is_refused(project: Path) -> None:
    result = _cli(project, "run", "--date", "22/11/2026")
    assert result.exit_code == 1
    assert "expected YYYY-MM-DD" in result.output


def test_missing_secret_stops_run_before_any_work(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHURNSTACK_PSEUDONYM_KEY")
    result = _cli(project, "run", "--date", DAY)
    assert result.exit_code == 1
    assert "missing secret" in result.output and "init-secret" in result.output
    assert not (project.parent / "lake").exists()


def test_init_secret_creates_the_key_file(project: Path) -> None:
    result = _cli(project, "init-secret")
    assert result.exit_code == 0
    assert (project.parent / "secret.txt").exists()
    assert "kept existing" in _cli(project, "init-secret").output


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "file is empty"),
        (TELCO_HEADER.replace(",tenure", "").encode() + b"\n", "missing required column(s) tenure"),
        (TELCO_HEADER.replace("gender", "gender,gender").encode() + b"\n", "duplicated header"),
        (TELCO_HEADER.encode("utf-16"), "unreadable encoding"),
    ],
)
def test_fatal_input_is_one_line_naming_the_file(
    project: Path, content: bytes, problem: str
) -> None:
    path = project.parent / "data" / "telco_customers.csv"
    path.write_bytes(content)
    result = _cli(project, "run", "--date", DAY)
    assert result.exit_code == 1
    assert f"data/telco_customers.csv: {problem}" in result.output
    assert "Traceback" not in result.output
    assert not list((project.parent / "lake").rglob("*.parquet"))


def test_missing_required_file_and_bad_source_override(project: Path) -> None:
    result = _cli(project, "ingest", "--source", "telco_customers=nowhere.csv")
    assert result.exit_code == 1
    assert "nowhere.csv: file not found" in result.output
    result = _cli(project, "ingest", "--source", "telco=x.csv")
    assert result.exit_code == 1 and "no source named 'telco'" in result.output


def test_unexpected_errors_point_to_a_report(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import churnstack.pipeline.run as run_module

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(run_module, "ingest", broken)
    result = _cli(project, "ingest", "--date", DAY)
    assert result.exit_code == 1
    assert "unexpected RuntimeError: disk on fire" in result.output
    report = project.parent / "state" / "logs" / "last-error.txt"
    assert "Traceback" in report.read_text() and "Traceback" not in result.output


def test_quarantined_rows_are_reported_not_dropped(project: Path) -> None:
    rows = [*TELCO_ROWS, TELCO_ROWS[0], TELCO_ROWS[1][:25]]
    telco_csv(project.parent / "data" / "telco_customers.csv", rows)
    result = _cli(project, "ingest", "--date", DAY)
    assert result.exit_code == 0, result.output
    assert "6 source rows -> 4 in the lake, 2 quarantined" in result.output


def test_transform_refuses_a_warehouse_loaded_for_another_date(project: Path) -> None:
    assert _cli(project, "ingest", "--date", DAY).exit_code == 0
    assert _cli(project, "ingest", "--date", "2026-03-02").exit_code == 0
    assert _cli(project, "load", "--date", "2026-03-02").exit_code == 0
    result = _cli(project, "transform", "--date", DAY)
    assert result.exit_code == 1
    assert "run `churnstack load --date 2026-03-01` first" in result.output
