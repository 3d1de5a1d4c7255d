"""The ``churnstack`` command line: thin commands over the library.

Heavy modules (dbt, DuckDB, Polars) are imported inside each command so
``churnstack --help`` answers at once. Errors churnstack raises on purpose
print as one red line and exit with status 1; nothing prints a traceback for
bad input.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from churnstack.pipeline.run import RunOutcome
    from churnstack.settings import Settings

app = typer.Typer(
    name="churnstack",
    help="Customer churn analytics: sources -> lake -> DuckDB warehouse -> dbt marts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Project file (default ./churnstack.yml, else defaults)."),
]
DateOption = Annotated[
    str | None, typer.Option("--date", "-d", help="Run date YYYY-MM-DD (default: today, UTC).")
]
SourceOption = Annotated[
    list[str] | None,
    typer.Option("--source", "-s", help="NAME=PATH: read file source NAME from PATH for this run."),
]


class _State:
    config: Path | None = None


@app.callback()
def main(config: ConfigOption = None) -> None:
    """churnstack: customer analytics from raw sources to tested marts."""
    _State.config = config


def _console() -> Console:
    from rich.console import Console

    return Console(stderr=False, highlight=False)


def _fail(message: str, code: int = 1) -> typer.Exit:
    from rich.console import Console

    Console(stderr=True, highlight=False).print(f"[bold red]error:[/] {message}", soft_wrap=True)
    return typer.Exit(code)


def _settings(sources: list[str] | None = None) -> Settings:
    from churnstack.settings import load_settings, parse_source_overrides

    settings = load_settings(_State.config)
    overrides = parse_source_overrides(sources)
    return settings.with_source_paths(overrides) if overrides else settings


def _run_date(value: str | None) -> date:
    from datetime import UTC, datetime

    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"--date {value!r}: expected YYYY-MM-DD") from None


def _guard(func):  # noqa: ANN001, ANN202 - decorator
    """Turn churnstack's own errors into one clear line and a non-zero exit."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        from churnstack.errors import ChurnstackError

        try:
            return func(*args, **kwargs)
        except ChurnstackError as exc:
            raise _fail(str(exc)) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug or an unexpected library error: say where the details are
            report = _write_crash_report(exc)
            raise _fail(
                f"unexpected {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
                f"(full traceback in {report})"
            ) from None

    return wrapper


def _write_crash_report(exc: BaseException) -> Path:
    import tempfile
    import traceback

    try:
        folder = _settings().state_path / "logs"
    except Exception:  # noqa: BLE001 - the settings themselves may be what failed
        folder = Path(tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "last-error.txt"
    path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    return path


@app.command()
@_guard
def generate(
    out: Annotated[Path | None, typer.Option(help="Output folder (default: paths.data).")] = None,
    customers: Annotated[int | None, typer.Option(min=1, help="Number of customers.")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (same seed, same files).")] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Anchor date YYYY-MM-DD (default today).")
    ] = None,
    defects: Annotated[
        bool | None, typer.Option("--defects/--no-defects", help="Plant realistic defects.")
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Daily files: complaints for the N days up to --as-of; transactions, orders, "
            "clickstream and inventory for --as-of and the N days after it.",
        ),
    ] = None,
    scale: Annotated[
        str | None,
        typer.Option(
            help="Customer 360 + commerce size: small (2,000 customers), medium (10,000) or "
            "large (50,000, ~13.5M transactions)."
        ),
    ] = None,
) -> None:
    """Write the synthetic demo sources (IBM Telco-shaped CSV, locations, reviews...)."""
    from churnstack.generate import generate_demo
    from churnstack.generate.cx import demo_customer_ids, generate_cx

    settings = _settings()
    defaults = settings.generate
    target = out or settings.data_path
    console = _console()
    with console.status("generating demo data..."):
        files = generate_demo(
            target,
            customers=customers or int(defaults.get("customers", 7043)),
            seed=seed if seed is not None else int(defaults.get("seed", 42)),
            as_of=_run_date(as_of),
            defects=defects if defects is not None else bool(defaults.get("defects", True)),
        )
        cx = generate_cx(
            target,
            customer_ids=demo_customer_ids(target),
            seed=seed if seed is not None else int(defaults.get("seed", 42)),
            as_of=_run_date(as_of),
            days=days or int(defaults.get("days", 7)),
        )
        c360, commerce = _generate_c360_and_commerce(
            target,
            scale=scale or str(defaults.get("scale", "small")),
            seed=seed if seed is not None else int(defaults.get("seed", 42)),
            as_of=_run_date(as_of),
            days=days or int(defaults.get("days", 7)),
            telco_customers=customers or int(defaults.get("customers", 7043)),
        )
    from rich.table import Table

    table = Table(title=f"Generated in {target}")
    table.add_column("file")
    table.add_column("valid records", justify="right")
    table.add_column("planted defects")
    for name, count in files.counts.items():
        path = getattr(files, name)
        table.add_row(path.name, f"{count:,}", "; ".join(files.defects.get(name, [])) or "-")
    for name, count in cx.counts.items():
        where = getattr(cx, name)
        label = where.name if isinstance(where, Path) else f"{name} ({len(cx.days)} daily files)"
        table.add_row(label, f"{count:,}", "-")
    for name, count in (c360.counts | commerce.counts).items():
        table.add_row(name, f"{count:,}", "-")
    console.print(table)


def _generate_c360_and_commerce(target: Path, *, scale: str, **options):  # noqa: ANN003, ANN202
    """Customer 360 (seed 003) and commerce (seed 002) sources for the same customers."""
    from churnstack.generate.c360 import generate_c360
    from churnstack.generate.commerce import generate_commerce

    c360 = generate_c360(target, scale=scale, **options)
    commerce = generate_commerce(target, base=c360.base, scale=scale, seed=options.get("seed", 42))
    return c360, commerce


@app.command("seed-sources")
@_guard
def seed_sources(
    customers: Annotated[int | None, typer.Option(min=1, help="Number of customers.")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (same seed, same data).")] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Last day YYYY-MM-DD of the daily tables (default today).")
    ] = None,
    days: Annotated[
        int | None, typer.Option(min=1, help="Days of daily tables (web forms...), up to --as-of.")
    ] = None,
) -> None:
    """Load the demo data into the configured databases (PostgreSQL, MySQL/MariaDB, MongoDB)."""
    from churnstack.sources.seed import seed_sources as seed_all

    settings = _settings()
    defaults = settings.generate
    console = _console()
    result = seed_all(
        settings,
        customers=customers or int(defaults.get("customers", 7043)),
        seed=seed if seed is not None else int(defaults.get("seed", 42)),
        as_of=_run_date(as_of),
        days=days or int(defaults.get("days", 7)),
        notify=console.print,
    )
    console.print(
        f"seeded {len(result.loaded)} tables/collections/objects for "
        f"{len({name for name, _, _ in result.loaded})} sources "
        f"({sum(rows for _, _, rows in result.loaded):,} rows)"
    )


@app.command("init-secret")
@_guard
def init_secret() -> None:
    """Create a random pseudonymisation key file if none exists (the value is never shown)."""
    from churnstack.settings import init_secret as create

    settings = _settings()
    created = create(settings)
    where = settings.pseudonym_key_file
    _console().print(f"{'created' if created else 'kept existing'} secret file {where}")


@app.command()
@_guard
def ingest(date_: DateOption = None, source: SourceOption = None) -> None:
    """Extract every enabled source into the lake partitions of the run date."""
    from churnstack.pipeline.run import Runner

    settings = _settings(source)
    console = _console()
    runner = Runner(settings, _run_date(date_), "ingest", _RichReporter(console))
    try:
        result = runner.ingest()
    except BaseException as exc:
        runner.finish(exc)
        raise
    runner.finish()
    console.print(
        f"run {result.run_id}: {result.source_rows:,} source rows -> {result.lake_rows:,} "
        f"in the lake, {result.quarantined_rows:,} quarantined"
    )


@app.command()
@_guard
def load(date_: DateOption = None) -> None:
    """Load the run date's lake partitions into the warehouse raw schema."""
    from churnstack.pipeline.run import Runner

    settings = _settings()
    console = _console()
    runner = Runner(settings, _run_date(date_), "load", _RichReporter(console))
    try:
        result = runner.load()
    except BaseException as exc:
        runner.finish(exc)
        raise
    runner.finish()
    console.print(f"run {result.run_id}: loaded {len(result.tables)} raw tables")


@app.command()
@_guard
def transform(date_: DateOption = None) -> None:
    """Build and test the dbt models for the loaded run, then publish the marts."""
    from churnstack.lake.partitions import read_run_manifest
    from churnstack.pipeline.run import Runner

    settings = _settings()
    run_date = _run_date(date_)
    run = read_run_manifest(settings.lake_path, run_date)
    if run is None:
        raise _fail(f"no lake partitions for {run_date}: run `churnstack run` or `ingest` first")
    run_id = run.run_id
    console = _console()
    runner = Runner(settings, run_date, "transform", _RichReporter(console))
    runner._set_run_id(run_id)
    try:
        runner.transform(run_id)
        runner.publish(run_id)
    except BaseException as exc:
        runner.finish(exc)
        raise
    _print_summary(console, settings, runner.finish())


@app.command()
@_guard
def run(date_: DateOption = None, source: SourceOption = None) -> None:
    """Run every step for a run date: ingest, load, transform (dbt build), publish."""
    from churnstack.pipeline.run import run_all

    settings = _settings(source)
    console = _console()
    outcome = run_all(settings, _run_date(date_), _RichReporter(console))
    _print_summary(console, settings, outcome)


@app.command()
@_guard
def backfill(
    start: Annotated[str, typer.Option(help="First run date YYYY-MM-DD.")],
    end: Annotated[str, typer.Option(help="Last run date YYYY-MM-DD (tests + publish).")],
) -> None:
    """Run every date from --start to --end in order (static sources on the last date only)."""
    from churnstack.pipeline.run import backfill as run_backfill

    settings = _settings()
    console = _console()
    outcomes = run_backfill(settings, _run_date(start), _run_date(end), _RichReporter(console))
    console.print(f"backfill: {len(outcomes)} run dates from {start} to {end}")
    _print_summary(console, settings, outcomes[-1])


@app.command()
@_guard
def status(limit: Annotated[int, typer.Option(min=1, help="How many runs to show.")] = 5) -> None:
    """Show the last runs: per-step duration, rows in/out/quarantined, dbt test results."""
    from rich.table import Table

    from churnstack.pipeline.runlog import RunLog
    from churnstack.serving.publish import current_publication

    settings = _settings()
    console = _console()
    records = RunLog(settings.state_path / "runs").records()[:limit]
    if not records:
        console.print(f"no runs recorded yet in {settings.state_path / 'runs'}")
        return
    for record in records:
        state = "interrupted" if record.interrupted else record.status
        title = (
            f"`{record.command}` for {record.run_date}: {state}  "
            f"(run id {record.run_id or '-'}, attempt {record.attempt}, "
            f"started {record.started_at[:19]}Z)"
        )
        table = Table(title=title, title_justify="left")
        for column in ("step", "status", "seconds", "rows in", "rows out", "quarantined", "notes"):
            table.add_column(
                column, justify="right" if column.startswith(("rows", "sec", "quar")) else "left"
            )
        for step in record.steps:
            notes = ""
            if "tests_passed" in step.detail:
                notes = (
                    f"{step.detail.get('models', 0)} models, tests {step.detail['tests_passed']} "
                    f"passed / {step.detail.get('tests_failed', 0)} failed"
                )
            if step.detail.get("error"):
                notes = str(step.detail["error"])[:120]
            table.add_row(
                step.name,
                step.status,
                f"{step.duration_s:.2f}" if step.duration_s is not None else "-",
                _fmt(step.rows_in),
                _fmt(step.rows_out),
                _fmt(step.rows_quarantined),
                notes,
            )
        console.print(table)
        if record.error:
            console.print(f"  [red]error:[/] {record.error}", soft_wrap=True)
    publication = current_publication(settings)
    if publication:
        console.print(
            f"serving: run {publication.run_id} ({publication.run_date}), "
            f"{len(publication.tables)} mart tables in {publication.snapshot}"
        )


@app.command()
@_guard
def report(
    out: Annotated[
        Path | None,
        typer.Option(help="Markdown file (default: <state>/reports/cx_insights_<date>.md)."),
    ] = None,
) -> None:
    """Customer experience insights from the published marts, with the SQL behind each one."""
    from churnstack.report.insights import build_report, default_report_path, write_report

    settings = _settings()
    console = _console()
    result = build_report(settings)
    path = write_report(result, out or default_report_path(settings, result))
    console.print(f"Customer experience insights (run {result.run_id}, {result.run_date})")
    for number, insight in enumerate(result.insights, 1):
        console.print(f"{number}. [bold]{insight.title}[/]: {insight.finding}", soft_wrap=True)
    console.print(f"report: {path}", soft_wrap=True)


def _fmt(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


class _RichReporter:
    """Shows each step with a spinner and elapsed time; prints notices as they come."""

    def __init__(self, console: Console) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = console
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            disable=not console.is_terminal,
        )
        self.task = None

    def step_started(self, name: str) -> None:
        if not self.progress.live.is_started:
            self.progress.start()
        self.task = self.progress.add_task(f"{name}...", total=None)

    def step_finished(self, step) -> None:  # noqa: ANN001 - StepRecord
        if self.task is not None:
            mark = "[green]done[/]" if step.status == "ok" else "[red]failed[/]"
            self.progress.update(self.task, description=f"{step.name} {mark}", total=1, completed=1)
        if not self.console.is_terminal:
            self.console.print(f"{step.name}: {step.status} in {step.duration_s:.2f}s")
        if step.name == "publish" or step.status != "ok":
            self.progress.stop()

    def notify(self, message: str) -> None:
        self.console.print(f"[yellow]note:[/] {message}")


def _print_summary(console: Console, settings: Settings, outcome: RunOutcome) -> None:
    from rich.table import Table

    from churnstack.quality.summary import quality_summary

    if outcome.ingest is not None:
        table = Table(title=f"Sources -> lake  (run {outcome.record.run_id})", title_justify="left")
        for column in ("table", "source rows", "lake rows", "quarantined"):
            table.add_column(column, justify="left" if column == "table" else "right")
        for item in outcome.ingest.extracted:
            table.add_row(
                item.table,
                f"{item.source_rows:,}",
                f"{item.lake_rows:,}",
                f"{item.quarantined_rows:,}",
            )
        for name in outcome.ingest.skipped:
            status = outcome.ingest.statuses[name]
            table.add_row(f"{name} ({status})", "-", "-", "-", style="dim")
        console.print(table)
    if outcome.dbt is not None:
        dbt = outcome.dbt
        console.print(
            f"dbt build: {dbt.count('model')} models, {dbt.count('snapshot')} snapshots, "
            f"tests {dbt.tests_passed} passed / {dbt.tests_failed} failed"
        )
    if outcome.publication is not None:
        summary = quality_summary(settings)
        table = Table(title="Data quality (published marts)", title_justify="left")
        table.add_column("metric")
        table.add_column("value", justify="right")
        for label, value in summary.items():
            table.add_row(label, value)
        console.print(table)
        snapshot = settings.state_path / "published" / outcome.publication.snapshot
        console.print(f"warehouse: {settings.warehouse_path}\npublished snapshot: {snapshot}")


def entrypoint() -> None:  # pragma: no cover - console script shim
    sys.exit(app())
