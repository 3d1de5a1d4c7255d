"""telco_customers.csv: IBM's exact shape, plausible marginals, a learnable churn signal."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest

from churnstack.generate import generate_demo

AS_OF = dt.date(2026, 6, 1)
IBM_HEADER = [
    "customerID",
    "gender",
    "SeniorCitizen",
    "Partner",
    "Dependents",
    "tenure",
    "PhoneService",
    "MultipleLines",
    "InternetService",
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
    "Contract",
    "PaperlessBilling",
    "PaymentMethod",
    "MonthlyCharges",
    "TotalCharges",
    "Churn",
]
ADD_ONS = [
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
]
VOCABULARY = {
    "gender": {"Female", "Male"},
    "SeniorCitizen": {"0", "1"},
    "Partner": {"Yes", "No"},
    "Dependents": {"Yes", "No"},
    "PhoneService": {"Yes", "No"},
    "MultipleLines": {"Yes", "No", "No phone service"},
    "InternetService": {"DSL", "Fiber optic", "No"},
    **{name: {"Yes", "No", "No internet service"} for name in ADD_ONS},
    "Contract": {"Month-to-month", "One year", "Two year"},
    "PaperlessBilling": {"Yes", "No"},
    "PaymentMethod": {
        "Electronic check",
        "Mailed check",
        "Bank transfer (automatic)",
        "Credit card (automatic)",
    },
    "Churn": {"Yes", "No"},
}


@pytest.fixture(scope="module")
def telco_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("telco")
    return generate_demo(out, customers=7043, seed=42, as_of=AS_OF, defects=False).telco_customers


@pytest.fixture(scope="module")
def rows(telco_file: Path) -> list[dict[str, str]]:
    with open(telco_file, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def column(rows: list[dict[str, str]], name: str) -> np.ndarray:
    return np.array([r[name] for r in rows])


def test_header_is_ibms_exactly(telco_file: Path) -> None:
    first = telco_file.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.split(",") == IBM_HEADER


def test_plain_csv_one_line_per_customer(telco_file: Path) -> None:
    raw = telco_file.read_bytes()
    assert b"\r" not in raw and b'"' not in raw  # \n endings, nothing needs quoting
    assert raw.endswith(b"\n")
    lines = raw.decode("utf-8").splitlines()
    assert len(lines) == 1 + 7043
    assert all(line.count(",") == 20 for line in lines)


def test_customer_ids_are_well_formed_and_unique(rows: list[dict[str, str]]) -> None:
    ids = column(rows, "customerID")
    assert all(re.fullmatch(r"\d{4}-[A-Z]{5}", i) for i in ids)
    assert len(set(ids)) == len(ids)


def test_values_stay_in_vocabulary(rows: list[dict[str, str]]) -> None:
    for name, allowed in VOCABULARY.items():
        seen = set(column(rows, name))
        assert seen == allowed, name  # every value allowed, and every value used


def test_services_are_consistent(rows: list[dict[str, str]]) -> None:
    for r in rows:
        assert (r["PhoneService"] == "No") == (r["MultipleLines"] == "No phone service")
        no_internet = r["InternetService"] == "No"
        for name in ADD_ONS:
            assert (r[name] == "No internet service") == no_internet
        # Only DSL customers go without a phone line (as in IBM's data).
        assert r["PhoneService"] == "Yes" or r["InternetService"] == "DSL"


def test_charges_are_priced_from_services(rows: list[dict[str, str]]) -> None:
    monthly_text = column(rows, "MonthlyCharges")
    assert all(re.fullmatch(r"\d+\.\d{2}", m) for m in monthly_text)
    monthly = monthly_text.astype(float)
    assert monthly.min() >= 18 and monthly.max() <= 119
    internet = column(rows, "InternetService")
    means = {kind: monthly[internet == kind].mean() for kind in ("No", "DSL", "Fiber optic")}
    assert means["No"] < 30 < means["DSL"] < means["Fiber optic"]


def test_total_charges_blank_exactly_when_tenure_is_zero(rows: list[dict[str, str]]) -> None:
    tenure = column(rows, "tenure").astype(int)
    total = column(rows, "TotalCharges")
    assert tenure.min() >= 0 and tenure.max() <= 72
    assert np.array_equal(total == " ", tenure == 0)
    new = int((tenure == 0).sum())
    assert 1 <= new <= 0.005 * len(rows)  # a handful, like IBM's 11 of 7,043
    assert set(column(rows, "Churn")[tenure == 0]) == {"No"}  # just signed up

    paid = tenure > 0
    total_value = total[paid].astype(float)
    expected = column(rows, "MonthlyCharges")[paid].astype(float) * tenure[paid]
    ratio = total_value / expected
    assert np.all((ratio > 0.65) & (ratio < 1.35))
    assert abs(np.median(ratio) - 1.0) < 0.02


def test_marginals_look_like_ibms(rows: list[dict[str, str]]) -> None:
    def share(name: str, value: str) -> float:
        return float(np.mean(column(rows, name) == value))

    assert 0.24 <= share("Churn", "Yes") <= 0.29
    assert 0.45 <= share("Contract", "Month-to-month") <= 0.65
    assert 0.35 <= share("InternetService", "Fiber optic") <= 0.52
    assert 0.12 <= share("SeniorCitizen", "1") <= 0.21
    assert 25 <= column(rows, "tenure").astype(int).mean() <= 40


def test_churn_follows_the_known_drivers(rows: list[dict[str, str]]) -> None:
    churn = column(rows, "Churn") == "Yes"

    def rate(name: str, value: str) -> float:
        return float(churn[column(rows, name) == value].mean())

    assert rate("Contract", "Month-to-month") > 2 * rate("Contract", "One year")
    assert rate("Contract", "One year") > rate("Contract", "Two year")
    assert rate("InternetService", "Fiber optic") > rate("InternetService", "DSL")
    assert rate("PaymentMethod", "Electronic check") > rate("PaymentMethod", "Mailed check")
    assert rate("OnlineSecurity", "No") > rate("OnlineSecurity", "Yes")
    assert rate("TechSupport", "No") > rate("TechSupport", "Yes")
    assert rate("SeniorCitizen", "1") > rate("SeniorCitizen", "0")
    tenure = column(rows, "tenure").astype(int)
    assert churn[(tenure > 0) & (tenure <= 12)].mean() > churn[tenure > 48].mean()


def test_logistic_regression_auc_is_realistic(rows: list[dict[str, str]]) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    categorical = [n for n in IBM_HEADER[1:] if n in VOCABULARY and n != "Churn"]
    features = []
    for name in categorical:
        values = column(rows, name)
        for level in sorted(set(values))[1:]:  # one-hot, first level dropped
            features.append(values == level)
    features.append(column(rows, "tenure").astype(float) / 72)
    features.append(column(rows, "MonthlyCharges").astype(float) / 120)
    x = np.column_stack(features).astype(float)
    y = (column(rows, "Churn") == "Yes").astype(int)

    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.3, stratify=y, random_state=0
    )
    model = LogisticRegression(max_iter=1000).fit(x_train, y_train)
    auc = roc_auc_score(y_test, model.predict_proba(x_test)[:, 1])
    assert 0.78 <= auc <= 0.90, auc
