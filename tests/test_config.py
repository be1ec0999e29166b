"""Settings: flag beats environment beats default; URLs normalised; passwords hidden."""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path

import pytest

from tracker.config import SETTINGS_HELP, Settings, load_settings, normalise_url, redact_url


def test_config_defaults() -> None:
    settings = load_settings(env={})
    assert settings == Settings()
    assert settings.database_url == "sqlite:///tracker.db"


def test_config_env_beats_default() -> None:
    env = {"DATABASE_URL": "postgres://u@h/db", "TRACKER_MAX_FILE_MB": "5"}
    settings = load_settings(env=env)
    assert (settings.database_url, settings.max_file_mb) == ("postgresql+psycopg://u@h/db", 5)


def test_config_flag_beats_env() -> None:
    settings = load_settings(db="other.db", env={"DATABASE_URL": "x.db"})
    assert settings.database_url == "sqlite:///other.db"


def test_config_bad_number_names_variable() -> None:
    with pytest.raises(ValueError, match="TRACKER_MAX_ARTICLE_CHARS"):
        load_settings(env={"TRACKER_MAX_ARTICLE_CHARS": "lots"})


def test_config_every_setting_has_env_default_and_help() -> None:
    assert set(SETTINGS_HELP) == {f.name for f in fields(Settings)}
    for env, _default, help_line in SETTINGS_HELP.values():
        assert env.isupper() and help_line


def test_config_actor_files_split_on_pathsep() -> None:
    settings = load_settings(env={"TRACKER_ACTORS": f"a.jsonl{os.pathsep}b.jsonl"})
    assert settings.actors_files == (Path("a.jsonl"), Path("b.jsonl"))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("tracker.db", "sqlite:///tracker.db"),
        ("/data/t.db", "sqlite:////data/t.db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
        ("postgres://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql://h/db", "postgresql+psycopg://h/db"),
        ("postgresql+psycopg://h/db", "postgresql+psycopg://h/db"),
    ],
)
def test_config_normalise_url(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


@pytest.mark.parametrize(
    "url", ["postgresql+psycopg://u:s3cret@h/db", "weird://u:s3cret@h:notaport/db"]
)
def test_config_redact_url_hides_password(url: str) -> None:
    assert "s3cret" not in redact_url(url)
