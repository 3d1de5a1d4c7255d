"""The pipeline steps and the runner that chains them for one run date.

Thin orchestration over the library: each step is one call into ``sources``,
``lake``, ``warehouse``, ``transform`` or ``serving``. The CLI calls these, and
so will the Airflow DAGs.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from churnstack.errors import ChurnstackError, ConfigError, SourceError, TransformError
from churnstack.lake.partitions import (
    ABSENT,
    DATA_FILE,
    DISABLED,
    EXTRACTED,
    KEPT,
    Manifest,
    RunManifest,
    clear_manifest,
    clear_run_manifest,
    has_runs_before,
    partition_dir,
    remove_stale_temp_files,
    write_manifest,
    write_run_manifest,
)
from churnstack.pipeline.runlog import RunLog, RunRecord, StepRecord, utc_now
from churnstack.serving.publish import Publication, publish
from churnstack.settings import Settings, load_pseudonym_key
from churnstack.sources.contracts import get_contract
from churnstack.sources.extract import Extracted, extract_source
from churnstack.transform.dbt import DbtResult
from churnstack.transform.dbt import build as dbt_build
from churnstack.warehouse.load import LoadResult, load_date, loaded_run_id

# Bump when contracts or lineage rules change: the run id must then change too.
CONTRACT_VERSION = "1"

Notify = Callable[[str], None]


def logical_time(run_date: date) -> datetime:
    """The run's logical timestamp (UTC, naive): stored in the data instead of wall time."""
    return datetime.combine(run_date, datetime.min.time())


@dataclass
class IngestResult:
    run_id: str
    extracted: list[Extracted]
    statuses: dict[str, str]  # table -> extracted | absent | disabled | kept

    @property
    def skipped(self) -> list[str]:
        return sorted(t for t, status in self.statuses.items() if status != EXTRACTED)

    @property
    def source_rows(self) -> int:
        return sum(e.source_rows for e in self.extracted)

    @property
    def lake_rows(self) -> int:
        return sum(e.lake_rows for e in self.extracted)

    @property
    def quarantined_rows(self) -> int:
        return sum(e.quarantined_rows for e in self.extracted)


def derive_run_id(run_date: date, fingerprints: dict[str, str], statuses: dict[str, str]) -> str:
    """Same run date + same inputs = same run id (so re-runs reproduce the lake byte for byte)."""
    lines = [f"contracts:{CONTRACT_VERSION}"]
    lines += [f"{t}:{statuses[t]}:{fingerprints.get(t, '')}" for t in sorted(statuses)]
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return f"{run_date:%Y%m%d}-{digest[:12]}"


def ingest(
    settings: Settings,
    run_date: date,
    notify: Notify | None = None,
    *,
    refresh_static: bool = True,
) -> IngestResult:
    """Extract every enabled source into the lake partitions of ``run_date``.

    All sources are read and checked before anything is written, so a fatal
    problem in one source leaves the lake as it was. ``refresh_static=False``
    (the earlier dates of a backfill) extracts only daily sources.
    """
    notify = notify or (lambda _msg: None)
    statuses: dict[str, str] = {}
    extracted: list[Extracted] = []
    try:
        return _ingest(settings, run_date, notify, refresh_static, statuses, extracted)
    finally:
        for item in extracted:
            item.close()  # spool files of chunked sources


def _ingest(
    settings: Settings,
    run_date: date,
    notify: Notify,
    refresh_static: bool,
    statuses: dict[str, str],
    extracted: list[Extracted],
) -> IngestResult:
    # The first run of a project is the initial load: a daily source that names a
    # `history` file reads it too, so the warehouse starts with the whole history.
    initial_load = not has_runs_before(settings.lake_path, run_date)
    for name, source in sorted(settings.sources.items()):
        if source.daily and "history" in source.options:
            source = replace(source, options={**source.options, "initial_load": initial_load})
        get_contract(name)  # an unknown table is a configuration error, raised early
        if not source.enabled:
            statuses[name] = DISABLED
            continue
        if not source.daily and not refresh_static:
            statuses[name] = KEPT
            continue
        notify(f"extracting {name}")
        item = extract_source(source, run_date)
        if item is None:
            notify(f"{name}: optional source {source.label_for(run_date)} is absent, skipped")
            statuses[name] = ABSENT
            continue
        statuses[name] = EXTRACTED
        extracted.append(item)
    if not extracted and refresh_static:
        raise SourceError("sources", "no enabled source had anything to read")
    fingerprints = {e.table: e.fingerprint for e in extracted}
    run_id = derive_run_id(run_date, fingerprints, statuses)
    load_time = logical_time(run_date)
    # The date's run manifest goes first (cleared) and last (written): the loader trusts a
    # date only when it names this run, so a killed ingest is simply ingested again.
    clear_run_manifest(settings.lake_path, run_date)
    for item in extracted:
        write_partition(settings, run_date, item, run_id, load_time)
    write_run_manifest(
        settings.lake_path,
        RunManifest(run_id=run_id, run_date=run_date.isoformat(), tables=statuses),
    )
    for item in extracted:
        item.commit()  # e.g. an incremental source saves its cursor, now that the lake has it
    return IngestResult(run_id=run_id, extracted=extracted, statuses=statuses)


def write_partition(
    settings: Settings, run_date: date, item: Extracted, run_id: str, load_time: datetime
) -> Manifest:
    system, table = item.source.system, item.table
    raw_dir = partition_dir(settings.lake_path, "raw", system, table, run_date)
    quarantine_dir = partition_dir(settings.lake_path, "quarantine", system, table, run_date)
    clear_manifest(raw_dir)  # the partition is incomplete until the new manifest lands
    remove_stale_temp_files(raw_dir)
    remove_stale_temp_files(quarantine_dir)
    lake_rows, quarantined_rows = item.write_lake(
        raw_dir / DATA_FILE, quarantine_dir / DATA_FILE, run_id, load_time
    )
    manifest = Manifest(
        table=table,
        system=system,
        run_id=run_id,
        run_date=run_date.isoformat(),
        source_file=item.label,
        source_sha256=item.fingerprint,
        source_rows=item.source_rows,
        lake_rows=lake_rows,
        quarantined_rows=quarantined_rows,
    )
    write_manifest(manifest, raw_dir)
    return manifest


class Reporter:
    """What the runner tells its caller; the CLI draws Rich progress from these calls."""

    def step_started(self, name: str) -> None:  # pragma: no cover - interface
        pass

    def step_finished(self, step: StepRecord) -> None:  # pragma: no cover - interface
        pass

    def notify(self, message: str) -> None:  # pragma: no cover - interface
        pass


@dataclass
class RunOutcome:
    record: RunRecord
    ingest: IngestResult | None = None
    load: LoadResult | None = None
    dbt: DbtResult | None = None
    publication: Publication | None = None


class Runner:
    """Runs steps for one run date, recording each in the run log."""

    def __init__(
        self, settings: Settings, run_date: date, command: str, reporter: Reporter | None = None
    ) -> None:
        self.settings = settings
        self.run_date = run_date
        self.reporter = reporter or Reporter()
        self.log = RunLog(settings.state_path / "runs")
        self.record, self.path = self.log.start(run_date.isoformat(), command)
        self.outcome = RunOutcome(record=self.record)

    @contextmanager
    def step(self, name: str) -> Iterator[StepRecord]:
        record = StepRecord(name=name, started_at=utc_now())
        self.record.steps.append(record)
        self.log.save(self.record, self.path)
        self.reporter.step_started(name)
        began = time.perf_counter()
        try:
            yield record
            record.status = "ok"
        except BaseException as exc:
            record.status = "failed"
            record.detail.setdefault("error", str(exc) or type(exc).__name__)
            raise
        finally:
            record.duration_s = round(time.perf_counter() - began, 3)
            self.log.save(self.record, self.path)
            self.reporter.step_finished(record)

    def _set_run_id(self, run_id: str) -> None:
        if self.record.run_id != run_id:
            self.record.attempt = self.log.attempt_number(run_id)
            self.record.run_id = run_id

    def finish(self, error: BaseException | None = None) -> RunOutcome:
        self.record.finished_at = utc_now()
        if error is None:
            self.record.status = "ok"
        else:
            self.record.status = "failed"
            self.record.error = str(error) or type(error).__name__
        self.log.save(self.record, self.path)
        return self.outcome

    # --- steps -------------------------------------------------------------------------

    def ingest(self, *, refresh_static: bool = True) -> IngestResult:
        with self.step("ingest") as step:
            result = ingest(
                self.settings, self.run_date, self.reporter.notify, refresh_static=refresh_static
            )
            self._set_run_id(result.run_id)
            step.rows_in = result.source_rows
            step.rows_out = result.lake_rows
            step.rows_quarantined = result.quarantined_rows
            step.detail["tables"] = {
                e.table: {
                    "source_rows": e.source_rows,
                    "lake_rows": e.lake_rows,
                    "quarantined_rows": e.quarantined_rows,
                }
                for e in result.extracted
            }
            step.detail["statuses"] = result.statuses
        self.outcome.ingest = result
        return result

    def load(self) -> LoadResult:
        key = load_pseudonym_key(self.settings)
        with self.step("load") as step:
            result = load_date(self.settings, self.run_date, key)
            self._set_run_id(result.run_id)
            step.rows_in = sum(t.manifest.lake_rows for t in result.tables if t.manifest)
            step.rows_out = sum(t.rows for t in result.tables)
            step.rows_quarantined = result.quarantined_rows
            step.detail["tables"] = {t.table: t.rows for t in result.tables}
        self.outcome.load = result
        return result

    def transform(self, run_id: str, *, with_tests: bool = True) -> DbtResult:
        with self.step("transform") as step:
            step.detail["run_id"] = run_id
            loaded = loaded_run_id(self.settings)
            if loaded != run_id:
                raise TransformError(
                    f"the warehouse holds run {loaded or '(none)'}, not {run_id}: "
                    f"run `churnstack load --date {self.run_date.isoformat()}` first"
                )
            result = dbt_build(self.settings, with_tests=with_tests)
            step.detail.update(
                models=result.count("model"),
                tests_passed=result.tests_passed,
                tests_failed=result.tests_failed,
            )
            self.outcome.dbt = result
            if not result.success:
                problems = "; ".join(
                    f"{n.resource_type} {n.name}: {n.status}" for n in result.problems[:5]
                )
                raise TransformError(
                    "dbt build failed, nothing published"
                    + (f" ({problems})" if problems else "")
                    + (f" [{result.error}]" if result.error else "")
                )
        return result

    def publish(self, run_id: str) -> Publication:
        with self.step("publish") as step:
            publication = publish(self.settings, run_id, self.run_date.isoformat())
            step.detail["snapshot"] = publication.snapshot
            step.rows_out = len(publication.tables)
        self.outcome.publication = publication
        return publication


def run_all(
    settings: Settings,
    run_date: date,
    reporter: Reporter | None = None,
    command: str = "run",
    *,
    refresh_static: bool = True,
    test_and_publish: bool = True,
) -> RunOutcome:
    """ingest -> load -> transform -> publish for one run date.

    ``refresh_static=False`` and ``test_and_publish=False`` are for the earlier
    dates of a backfill: only daily sources are extracted, and dbt builds
    models and snapshots without their tests; nothing is published.
    """
    load_pseudonym_key(settings)  # a missing secret fails before any work starts
    runner = Runner(settings, run_date, command, reporter)
    try:
        runner.ingest(refresh_static=refresh_static)
        loaded = runner.load()
        runner.transform(loaded.run_id, with_tests=test_and_publish)
        if test_and_publish:
            runner.publish(loaded.run_id)
    except (ChurnstackError, KeyboardInterrupt) as exc:
        runner.finish(exc)
        raise
    return runner.finish()


def backfill(
    settings: Settings, start: date, end: date, reporter: Reporter | None = None
) -> list[RunOutcome]:
    """Run every date from ``start`` to ``end`` in order.

    Daily sources are extracted for every date; static sources only on the last
    date (earlier dates keep what the warehouse has: the latest-only rule).
    dbt builds models and snapshots for every date so history (incremental
    facts, SCD2) is recorded date by date; tests run, and the marts are
    published, on the last date. Re-running a backfill reproduces the same
    lake partitions and warehouse content.
    """
    return [
        run_all(
            settings,
            day,
            reporter,
            command="backfill",
            refresh_static=last,
            test_and_publish=last,
        )
        for day, last in backfill_dates(start, end)
    ]


def backfill_dates(start: date, end: date) -> Iterator[tuple[date, bool]]:
    """(date, is_last) for every date of a backfill, in order."""
    if end < start:
        raise ConfigError(f"backfill: --end {end} is before --start {start}")
    day = start
    while day <= end:
        yield day, day == end
        day += timedelta(days=1)
