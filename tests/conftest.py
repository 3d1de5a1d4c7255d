"""Shared fixtures. Settings are isolated: no test reads a developer's real environment."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

TEST_KEY = "test-pseudonym-key-0123456789"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("CHURNSTACK"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CHURNSTACK_PSEUDONYM_KEY", TEST_KEY)
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    monkeypatch.setenv("DO_NOT_TRACK", "1")


# The churn area's dbt folders: tests that only look at churn marts build just these
# (`transform.select`), which keeps each in-process dbt build to a few seconds.
CHURN_AREA = "path:models/staging path:models/intermediate path:models/marts"


def write_project(folder: Path, sources: str | None = None, select: str | None = None) -> Path:
    """A project file rooted in ``folder`` with the demo source layout."""
    folder.mkdir(parents=True, exist_ok=True)
    body = textwrap.dedent(
        """
        project: test
        paths: {data: data, lake: lake, state: state}
        warehouse: {type: duckdb, path: warehouse.duckdb}
        secrets: {pseudonym_key_file: secret.txt}
        """
    )
    if select:
        body += f"transform: {{select: {select!r}}}\n"
    body += sources or textwrap.dedent(
        """
        sources:
          telco_customers: {kind: csv, path: "{data}/telco_customers.csv", required: true}
          customer_location: {kind: csv, path: "{data}/customer_location.csv"}
          zip_population: {kind: csv, path: "{data}/zip_population.csv"}
          customer_reviews: {kind: jsonl, path: "{data}/customer_reviews.jsonl"}
        """
    )
    path = folder / "churnstack.yml"
    path.write_text(body, encoding="utf-8")
    return path


TELCO_HEADER = (
    "customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,MultipleLines,"
    "InternetService,OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,"
    "StreamingMovies,Contract,PaperlessBilling,PaymentMethod,MonthlyCharges,TotalCharges,Churn"
)
TELCO_ROWS = [
    "7590-VHVEG,Female,0,Yes,No,1,No,No phone service,DSL,No,Yes,No,No,No,No,Month-to-month,"
    "Yes,Electronic check,29.85,29.85,No",
    "5575-GNVDE,Male,0,No,No,34,Yes,No,DSL,Yes,No,Yes,No,No,No,One year,No,Mailed check,"
    "56.95,1889.5,No",
    "3668-QPYBK,Male,0,No,No,2,Yes,No,DSL,Yes,Yes,No,No,No,No,Month-to-month,Yes,Mailed check,"
    "53.85,108.15,Yes",
    "4472-LVYGI,Female,0,Yes,Yes,0,No,No phone service,DSL,Yes,No,Yes,Yes,Yes,No,Two year,Yes,"
    "Bank transfer (automatic),52.55, ,No",
]


def telco_csv(path: Path, rows: list[str] | None = None, header: str = TELCO_HEADER) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *(TELCO_ROWS if rows is None else rows)]) + "\n", "utf-8")
    return path


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """One generated demo project, run end to end once for the whole session."""
    from churnstack.generate import generate_demo
    from tests.e2e_support import DEMO_CUSTOMERS, DEMO_DATE, DemoProject

    root = tmp_path_factory.mktemp("demo")
    config = write_project(root, select=CHURN_AREA)
    generate_demo(root / "data", customers=DEMO_CUSTOMERS, seed=7, as_of=DEMO_DATE, defects=True)
    project = DemoProject(root=root, config=config)
    with pytest.MonkeyPatch.context() as patch:
        import os

        for name in list(os.environ):
            if name.startswith("CHURNSTACK"):
                patch.delenv(name)
        patch.setenv("CHURNSTACK_PSEUDONYM_KEY", TEST_KEY)
        result = project.cli("run", "--date", DEMO_DATE.isoformat())
    assert result.exit_code == 0, result.output
    return project
