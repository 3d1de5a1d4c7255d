from __future__ import annotations

from pathlib import Path

import pytest

from churnstack.errors import ConfigError
from churnstack.settings import (
    init_secret,
    load_pseudonym_key,
    load_settings,
    parse_source_overrides,
)
from tests.conftest import TEST_KEY, write_project


def test_embedded_defaults_need_no_project_file(tmp_path: Path) -> None:
    settings = load_settings(None, environ={}, cwd=tmp_path)
    assert settings.project_file is None
    assert settings.warehouse_path == tmp_path / ".churnstack" / "warehouse.duckdb"
    assert settings.sources["telco_customers"].required is True
    assert settings.sources["customer_reviews"].kind == "jsonl"
    assert settings.sources["telco_customers"].path == tmp_path / "data/demo/telco_customers.csv"


def test_project_file_paths_resolve_from_its_folder(tmp_path: Path) -> None:
    project = write_project(tmp_path / "proj")
    settings = load_settings(project, environ={}, cwd=tmp_path)
    assert settings.lake_path == tmp_path / "proj" / "lake"
    assert settings.sources["zip_population"].display_path == "data/zip_population.csv"


def test_environment_overrides_any_key(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    env = {
        "CHURNSTACK__SOURCES__CUSTOMER_REVIEWS__ENABLED": "false",
        "CHURNSTACK__WAREHOUSE__PATH": "/srv/wh.duckdb",
        "UNRELATED": "x",
    }
    settings = load_settings(project, environ=env, cwd=tmp_path)
    assert settings.sources["customer_reviews"].enabled is False
    assert settings.warehouse_path == Path("/srv/wh.duckdb")


def test_explicit_missing_project_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nope.yml: project file not found"):
        load_settings(Path("nope.yml"), environ={}, cwd=tmp_path)


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "churnstack.yml"
    bad.write_text("paths:\n  lake: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"not valid YAML at line \d+"):
        load_settings(bad, environ={}, cwd=tmp_path)


def test_unknown_source_kind_is_refused(tmp_path: Path) -> None:
    project = write_project(tmp_path, "sources:\n  telco_customers: {kind: xml, path: a}\n")
    with pytest.raises(ConfigError, match="kind 'xml'"):
        load_settings(project, environ={}, cwd=tmp_path)


def test_source_override_points_at_another_file(tmp_path: Path) -> None:
    settings = load_settings(write_project(tmp_path), environ={}, cwd=tmp_path)
    changed = settings.with_source_paths({"telco_customers": "/data/real.csv"})
    assert changed.sources["telco_customers"].path == Path("/data/real.csv")
    assert changed.sources["telco_customers"].display_path == "/data/real.csv"
    with pytest.raises(ConfigError, match="no source named 'nope'"):
        settings.with_source_paths({"nope": "x.csv"})


@pytest.mark.parametrize("item", ["telco_customers", "=x.csv", "telco_customers="])
def test_malformed_source_override(item: str) -> None:
    with pytest.raises(ConfigError, match="expected NAME=PATH"):
        parse_source_overrides([item])


def test_secret_from_environment_then_file(tmp_path: Path) -> None:
    settings = load_settings(write_project(tmp_path), environ={}, cwd=tmp_path)
    assert load_pseudonym_key(settings, {"CHURNSTACK_PSEUDONYM_KEY": TEST_KEY}) == TEST_KEY.encode()
    (tmp_path / "secret.txt").write_text("file-key-abcdefghijklmnop\n", encoding="utf-8")
    assert load_pseudonym_key(settings, {}) == b"file-key-abcdefghijklmnop"


def test_missing_secret_is_clear_and_never_prints_a_value(tmp_path: Path) -> None:
    settings = load_settings(write_project(tmp_path), environ={}, cwd=tmp_path)
    with pytest.raises(ConfigError, match="missing secret") as info:
        load_pseudonym_key(settings, {})
    assert "CHURNSTACK_PSEUDONYM_KEY" in str(info.value)
    with pytest.raises(ConfigError, match="too short") as info:
        load_pseudonym_key(settings, {"CHURNSTACK_PSEUDONYM_KEY": "short-secret"})
    assert "short-secret" not in str(info.value)


def test_init_secret_creates_a_private_key_once(tmp_path: Path) -> None:
    settings = load_settings(write_project(tmp_path), environ={}, cwd=tmp_path)
    assert init_secret(settings) is True
    first = settings.pseudonym_key_file.read_text(encoding="utf-8")
    assert settings.pseudonym_key_file.stat().st_mode & 0o077 == 0
    assert init_secret(settings) is False
    assert settings.pseudonym_key_file.read_text(encoding="utf-8") == first
    assert len(load_pseudonym_key(settings, {})) >= 16


def test_transform_select_narrows_the_dbt_build(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    with project.open("a", encoding="utf-8") as handle:
        handle.write("transform:\n  select: [path:models/marts, path:models/staging]\n")
    settings = load_settings(project, environ={}, cwd=tmp_path)
    assert settings.transform_select == ("path:models/marts", "path:models/staging")
    env = {"CHURNSTACK__TRANSFORM__SELECT": "tag:churn"}
    assert load_settings(project, environ=env, cwd=tmp_path).transform_select == ("tag:churn",)
    assert load_settings(None, environ={}, cwd=tmp_path / "x").transform_select == ()
    bad = tmp_path / "bad.yml"
    bad.write_text(project.read_text().split("transform:")[0] + "transform: {select: 3}\n")
    with pytest.raises(ConfigError, match="transform.select"):
        load_settings(bad, environ={}, cwd=tmp_path)
