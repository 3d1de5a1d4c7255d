"""The customer-experience generator: files, contracts, determinism and seed 004's findings."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from churnstack.generate.cx import generate_cx
from churnstack.sources.columnar_json import read_columnar_json
from churnstack.sources.contracts import get_contract
from churnstack.sources.files import read_csv
from churnstack.sources.sheets import read_xlsx
from churnstack.sources.validate import validate

AS_OF = dt.date(2026, 3, 1)
IDS = [f"{n % 10000:04d}-{chr(65 + n // 10000)}BCDE" for n in range(12000)]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("cx")
    return out, generate_cx(out, customer_ids=IDS, seed=11, as_of=AS_OF, days=7)


def _all(paths: dict[dt.date, Path], table: str) -> pl.DataFrame:
    contract = get_contract(table)
    frames = []
    for path in paths.values():
        if path.suffix == ".json":
            batch = read_columnar_json(path, contract, source=path.name)
        else:
            batch = read_csv(path, contract, source=path.name)
        result = validate(batch, contract)
        assert result.quarantined.height == 0, result.quarantined
        frames.append(result.accepted)
    return pl.concat(frames)


def test_layout_and_contracts(generated) -> None:
    out, cx = generated
    assert cx.days[0] == AS_OF - dt.timedelta(days=6) and cx.days[-1] == AS_OF
    assert (out / "call logs" / "call_logs_2026-03-01.csv").exists()
    assert (out / "web_forms" / "web_form_request_2026_03_01.csv").exists()
    head = json.loads((out / "social_media" / "social_media_2026-03-01.json").read_text())
    assert set(head) >= {"complaint_id", "customer_id", "media_channel"}
    assert all(isinstance(column, dict) for column in head.values())
    for table, paths in (
        ("call_logs", cx.call_logs),
        ("web_forms", cx.web_forms),
        ("social_media", cx.social_media),
    ):
        frame = _all(paths, table)
        assert frame.height == cx.counts[table] > 0
        assert set(frame["customer_id"]) <= set(IDS)  # the churn area's customers
    ws = load_workbook(cx.agents, read_only=True).worksheets[0]
    assert next(ws.iter_rows(values_only=True)) == ("iD", "NamE", "experience", "state")
    agents = validate(
        read_xlsx(cx.agents, get_contract("agents"), source="a", sheet="agents", cells=None),
        get_contract("agents"),
    )
    assert agents.quarantined.height == 0 and agents.accepted.height == cx.counts["agents"]
    categories = get_contract("complaint_categories")
    cats = validate(
        read_xlsx(cx.complaint_categories, categories, source="c", sheet=None, cells=None),
        categories,
    )
    assert cats.accepted.height == 8


def test_same_seed_same_bytes(generated, tmp_path: Path) -> None:
    out, _ = generated
    generate_cx(tmp_path, customer_ids=IDS, seed=11, as_of=AS_OF, days=7)

    def digest(folder: Path) -> dict[str, str]:
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    assert digest(tmp_path) == digest(out)


def test_seed_004_findings_are_planted(generated) -> None:
    _, cx = generated
    calls = _all(cx.call_logs, "call_logs").with_columns(
        seconds=(pl.col("call_end_time") - pl.col("call_start_time")).dt.total_seconds()
    )
    backlog = calls.group_by(pl.col("complaint_category") == "Network Failure").agg(
        (pl.col("resolution_status") == "Backlog").mean().alias("share")
    )
    shares = dict(zip(backlog["complaint_category"], backlog["share"], strict=True))
    assert shares[True] > 0.5 and shares[True] > 3 * shares[False]  # 1: Network -> Backlog
    median = calls["seconds"].median()
    technician = calls.filter(pl.col("complaint_category") == "Technician Support")
    ratio = technician["seconds"].median() / median
    assert 2.3 < ratio < 3.7  # 2: Technician Support lasts about 3x the median call
    contacts = pl.concat(
        [
            calls.select(
                "customer_id",
                pl.col("call_start_time").alias("at"),
                pl.lit("call").alias("channel"),
            ),
            _all(cx.web_forms, "web_forms").select(
                "customer_id", pl.col("request_date").alias("at"), pl.lit("web").alias("channel")
            ),
            _all(cx.social_media, "social_media").select(
                "customer_id",
                pl.col("request_date").alias("at"),
                pl.lit("social").alias("channel"),
            ),
        ]
    )
    per_customer = contacts.group_by("customer_id").agg(
        pl.col("channel").n_unique().alias("channels"),
        (pl.col("at").max() - pl.col("at").min()).alias("span"),
    )
    hopping = per_customer.filter(
        (pl.col("channels") > 1) & (pl.col("span") <= pl.duration(days=7))
    ).height
    assert hopping / per_customer.height > 0.2  # 3: a sizeable share use several channels


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    from churnstack.errors import TerminalError

    with pytest.raises(TerminalError, match="at least one customer"):
        generate_cx(tmp_path, customer_ids=[], as_of=AS_OF)
    with pytest.raises(TerminalError, match="days must be"):
        generate_cx(tmp_path, customer_ids=IDS, as_of=AS_OF, days=0)
