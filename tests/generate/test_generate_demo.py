"""generate_demo: the four files, their consistency, determinism and planted defects."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from churnstack.errors import TerminalError
from churnstack.generate import GeneratedFiles, generate_demo

AS_OF = dt.date(2026, 6, 1)
N = 7043
FILES = ("telco_customers", "customer_location", "zip_population", "customer_reviews")
REASONS = {"price", "network", "support", "billing", "competitor"}


def read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def padding(line: str) -> list[str]:
    """Values with stray whitespace (a lone space is IBM's blank TotalCharges, not padding)."""
    return [f for f in line.split(",") if f != f.strip() and f != " "]


def normalise(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> GeneratedFiles:
    return generate_demo(tmp_path_factory.mktemp("clean"), customers=N, as_of=AS_OF, defects=False)


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory) -> GeneratedFiles:
    return generate_demo(tmp_path_factory.mktemp("dirty"), customers=N, as_of=AS_OF)


@pytest.fixture(scope="module")
def telco(clean: GeneratedFiles) -> dict[str, dict[str, str]]:
    header, *body = read_csv(clean.telco_customers)
    return {row[0]: dict(zip(header, row, strict=True)) for row in body}


@pytest.fixture(scope="module")
def reviews(clean: GeneratedFiles) -> list[dict]:
    return [json.loads(line) for line in clean.customer_reviews.read_text("utf-8").splitlines()]


# --- the call itself ---------------------------------------------------------------------------


def test_writes_four_files_into_a_new_directory(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "demo"
    result = generate_demo(out, customers=300, seed=7, as_of=AS_OF)
    assert [getattr(result, f) for f in FILES] == [
        out / "telco_customers.csv",
        out / "customer_location.csv",
        out / "zip_population.csv",
        out / "customer_reviews.jsonl",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        getattr(result, f).name for f in FILES
    )  # no temporary files left behind
    assert set(result.counts) == set(result.defects) == set(FILES)
    assert result.defects["customer_location"] == result.defects["zip_population"] == []
    assert result.counts["telco_customers"] == result.counts["customer_location"] == 300


def test_overwrites_existing_files(tmp_path: Path) -> None:
    first = generate_demo(tmp_path, customers=500, seed=1, as_of=AS_OF)
    second = generate_demo(tmp_path, customers=200, seed=1, as_of=AS_OF, defects=False)
    assert first.telco_customers == second.telco_customers
    assert len(read_csv(second.telco_customers)) == 1 + 200
    assert len(list(tmp_path.iterdir())) == 4


@pytest.mark.parametrize("customers", [0, -5])
def test_refuses_an_empty_population(tmp_path: Path, customers: int) -> None:
    with pytest.raises(TerminalError, match="customers"):
        generate_demo(tmp_path, customers=customers, as_of=AS_OF)


@pytest.mark.parametrize("customers", [1, 2, 5])
def test_tiny_populations_still_get_every_defect(tmp_path: Path, customers: int) -> None:
    result = generate_demo(tmp_path, customers=customers, seed=3, as_of=AS_OF)
    lines = result.telco_customers.read_text("utf-8").splitlines()
    assert len(lines) == 1 + customers + 2
    assert any(line.count(",") < 20 for line in lines)
    assert len(result.defects["customer_reviews"]) == 1


# --- determinism -------------------------------------------------------------------------------


def file_bytes(result: GeneratedFiles) -> dict[str, bytes]:
    return {f: getattr(result, f).read_bytes() for f in FILES}


def test_same_seed_and_date_give_identical_bytes(tmp_path: Path) -> None:
    a = generate_demo(tmp_path / "a", customers=2000, seed=11, as_of=AS_OF)
    b = generate_demo(tmp_path / "b", customers=2000, seed=11, as_of=AS_OF)
    assert file_bytes(a) == file_bytes(b)
    assert a.counts == b.counts and a.defects == b.defects


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    a = file_bytes(generate_demo(tmp_path / "a", customers=2000, seed=11, as_of=AS_OF))
    b = file_bytes(generate_demo(tmp_path / "b", customers=2000, seed=12, as_of=AS_OF))
    for name in ("telco_customers", "customer_location", "customer_reviews"):
        assert a[name] != b[name], name


def test_as_of_only_moves_the_reviews(tmp_path: Path) -> None:
    later = AS_OF + dt.timedelta(days=30)
    a = file_bytes(generate_demo(tmp_path / "a", customers=1000, seed=5, as_of=AS_OF))
    b = file_bytes(generate_demo(tmp_path / "b", customers=1000, seed=5, as_of=later))
    assert a["telco_customers"] == b["telco_customers"]
    assert a["customer_location"] == b["customer_location"]
    assert a["customer_reviews"] != b["customer_reviews"]


# --- defects -----------------------------------------------------------------------------------


def test_no_defects_when_switched_off(clean: GeneratedFiles) -> None:
    assert clean.defects == {name: [] for name in FILES}
    lines = clean.telco_customers.read_text("utf-8").splitlines()
    assert lines[0].startswith("customerID,gender,SeniorCitizen,Partner,Dependents,tenure,")
    assert len(lines) == 1 + N == len(set(lines))
    assert all(padding(line) == [] for line in lines)
    assert all(line.count(",") == 20 for line in lines)
    for line in clean.customer_reviews.read_text("utf-8").splitlines():
        json.loads(line)


def test_telco_defects_are_planted_and_described(dirty: GeneratedFiles) -> None:
    lines = dirty.telco_customers.read_text("utf-8").splitlines()
    assert len(lines) == 1 + N + 2  # header, valid customers, duplicate, truncated line
    assert dirty.counts["telco_customers"] == N

    header = lines[0].split(",")
    assert "tenure" not in header and "PaymentMethod" not in header
    assert "Tenure" in header and "paymentMETHOD" in header

    short = [i for i, line in enumerate(lines) if line.count(",") < 20]
    assert len(short) == 1
    duplicated = [line for line, times in Counter(lines).items() if times > 1]
    assert len(duplicated) == 1
    repeats = [i for i, line in enumerate(lines) if line == duplicated[0]]
    padded = [i for i, line in enumerate(lines) if padding(line)]
    assert len(padded) == 3

    # Every defect is described with its 1-based line number.
    described = dirty.defects["telco_customers"]
    assert len(described) == 1 + 3 + 1 + 1
    text = "\n".join(described)
    assert "line 1: mixed-case header" in text
    assert f"line {short[0] + 1}: truncated record" in text
    assert f"line {repeats[1] + 1}: duplicate of line {repeats[0] + 1}" in text
    for i in padded:
        assert f"line {i + 1}: stray whitespace" in text

    # The truncated line's customer exists nowhere else (not in any file).
    ghost = lines[short[0]].split(",")[0]
    assert sum(line.startswith(ghost + ",") for line in lines) == 1
    assert ghost not in dirty.customer_location.read_text("utf-8")
    assert ghost not in dirty.customer_reviews.read_text("utf-8")


def test_repairing_the_defects_gives_the_clean_file(
    clean: GeneratedFiles, dirty: GeneratedFiles
) -> None:
    """Same seed: the defective file is the clean one plus problems a loader can fix."""
    header, *body = read_csv(dirty.telco_customers)
    repaired, seen = [], set()
    for row in body:
        if len(row) != len(header) or row[0] in seen:
            continue  # quarantine: malformed line, duplicate key (first row wins)
        seen.add(row[0])
        repaired.append([value.strip() for value in row])
    clean_header, *clean_body = read_csv(clean.telco_customers)
    assert [normalise(h) for h in header] == [normalise(h) for h in clean_header]
    assert repaired == [[value.strip() for value in row] for row in clean_body]
    assert len(repaired) == N
    for name in ("customer_location", "zip_population"):
        assert getattr(dirty, name).read_bytes() == getattr(clean, name).read_bytes()


def test_reviews_have_one_truncated_line(clean: GeneratedFiles, dirty: GeneratedFiles) -> None:
    lines = dirty.customer_reviews.read_text("utf-8").splitlines()
    broken = []
    for number, line in enumerate(lines, start=1):
        try:
            json.loads(line)
        except json.JSONDecodeError:
            broken.append(number)
    assert len(broken) == 1
    assert lines[broken[0] - 1].startswith('{"_id":')
    assert len(lines) == dirty.counts["customer_reviews"] + 1
    [note] = dirty.defects["customer_reviews"]
    assert note.startswith(f"line {broken[0]}: truncated JSON document")
    valid = [line for number, line in enumerate(lines, 1) if number != broken[0]]
    assert valid == clean.customer_reviews.read_text("utf-8").splitlines()


# --- location and population -------------------------------------------------------------------


def test_every_customer_has_one_location(
    clean: GeneratedFiles, telco: dict[str, dict[str, str]]
) -> None:
    header, *body = read_csv(clean.customer_location)
    assert header == ["customer_id", "zip_code", "city", "state", "lat", "lng"]
    assert [row[0] for row in body] == list(telco)  # same customers, same order
    for _, zip_code, city, state, lat, lng in body:
        assert re.fullmatch(r"\d{5}", zip_code)
        assert re.fullmatch(r"[A-Z]{2}", state) and city
        assert re.fullmatch(r"-?\d+\.\d{5}", lat) and re.fullmatch(r"-?\d+\.\d{5}", lng)
        assert 24 < float(lat) < 50 and -125 < float(lng) < -66  # contiguous US
    states = Counter(row[3] for row in body)
    assert states["CA"] > 0.6 * len(body)
    assert any(row[1].startswith("0") for row in body)  # leading zeros kept (New England)
    cities = {(row[2], row[3]) for row in body}
    assert len(cities) >= 24
    assert len({(row[2], row[3], row[1]) for row in body}) >= 3 * len(cities)  # several ZIPs


def test_customers_sit_near_their_city(clean: GeneratedFiles) -> None:
    _, *body = read_csv(clean.customer_location)
    by_city: dict[str, list[tuple[float, float]]] = {}
    for _, _, city, state, lat, lng in body:
        by_city.setdefault(f"{city}, {state}", []).append((float(lat), float(lng)))
    for city, points in by_city.items():
        spread = np.abs(np.array(points) - np.median(np.array(points), axis=0)).max()
        assert spread < 0.2, city
    la = np.median(np.array(by_city["Los Angeles, CA"]), axis=0)
    assert abs(la[0] - 34.05) < 0.1 and abs(la[1] + 118.24) < 0.1


def test_zip_population_covers_the_zips_used(clean: GeneratedFiles) -> None:
    header, *body = read_csv(clean.zip_population)
    assert header == ["zip_code", "population", "density"]
    _, *locations = read_csv(clean.customer_location)
    assert [row[0] for row in body] == sorted({row[1] for row in locations})
    assert clean.counts["zip_population"] == len(body)
    for _, population, density in body:
        assert re.fullmatch(r"\d+", population) and int(population) > 0
        assert re.fullmatch(r"\d+\.\d", density) and float(density) > 0


# --- reviews -----------------------------------------------------------------------------------


def test_review_documents_follow_the_contract(
    clean: GeneratedFiles, reviews: list[dict], telco: dict[str, dict[str, str]]
) -> None:
    assert len(reviews) == clean.counts["customer_reviews"]
    start = dt.datetime.combine(AS_OF, dt.time(), dt.UTC) - dt.timedelta(days=365)
    end = dt.datetime.combine(AS_OF, dt.time(), dt.UTC)
    for doc in reviews:
        assert list(doc) == [
            "_id",
            "customer_id",
            "rating",
            "review_text",
            "created_at",
            "channel",
            "metadata",
            "tags",
        ]
        assert re.fullmatch(r"[0-9a-f]{24}", doc["_id"])
        assert doc["customer_id"] in telco
        assert doc["rating"] in {1, 2, 3, 4, 5}
        assert isinstance(doc["review_text"], str) and len(doc["review_text"]) > 10
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc["created_at"])
        created = dt.datetime.fromisoformat(doc["created_at"])
        assert start <= created < end
        assert doc["channel"] in {"app", "web", "store", "call"}
        assert set(doc["metadata"]) == {"device", "app_version", "language"}
        assert (doc["metadata"]["app_version"] is not None) == (doc["channel"] == "app")
        assert isinstance(doc["tags"], list) and all(isinstance(t, str) for t in doc["tags"])
        # The ObjectId's first four bytes are its creation time, as in MongoDB.
        assert int(doc["_id"][:8], 16) == int(created.timestamp())
    assert len({doc["_id"] for doc in reviews}) == len(reviews)


def test_about_half_the_customers_review(
    reviews: list[dict], telco: dict[str, dict[str, str]]
) -> None:
    per_customer = Counter(doc["customer_id"] for doc in reviews)
    assert 0.40 <= len(per_customer) / len(telco) <= 0.60
    assert sum(1 for times in per_customer.values() if times > 1) > 0.1 * len(per_customer)


def test_churners_rate_lower_and_say_why(
    reviews: list[dict], telco: dict[str, dict[str, str]]
) -> None:
    churned = [doc for doc in reviews if telco[doc["customer_id"]]["Churn"] == "Yes"]
    stayed = [doc for doc in reviews if telco[doc["customer_id"]]["Churn"] == "No"]
    assert np.mean([d["rating"] for d in churned]) + 1 < np.mean([d["rating"] for d in stayed])

    low = [doc for doc in churned if doc["rating"] <= 2]
    assert all(doc["tags"] and doc["tags"][0] in REASONS for doc in low)
    assert {doc["tags"][0] for doc in low} == REASONS

    def price_share(docs: list[dict]) -> float:
        return float(np.mean([doc["tags"][0] == "price" for doc in docs]))

    def expensive_fiber(doc: dict) -> bool:
        row = telco[doc["customer_id"]]
        return row["InternetService"] == "Fiber optic" and float(row["MonthlyCharges"]) > 85

    pricey = [doc for doc in low if expensive_fiber(doc)]
    others = [doc for doc in low if not expensive_fiber(doc)]
    assert price_share(pricey) > 2 * price_share(others)

    billing = [d for d in low if d["tags"][0] == "billing"]
    echeck = np.mean(
        [telco[d["customer_id"]]["PaymentMethod"] == "Electronic check" for d in billing]
    )
    assert echeck > 0.6
