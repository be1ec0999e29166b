"""Settings: every one declared once, with its environment variable, default and help.

The command line passes its flags to `load_settings`; a flag beats the environment,
which beats the default. `SETTINGS_HELP` feeds the settings table in the README.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite:///tracker.db"


def _setting(env: str, default: Any, help: str) -> Any:
    """Declare one setting: a dataclass field carrying its env variable and help line."""
    return field(default=default, metadata={"env": env, "help": help})


@dataclass(frozen=True)
class Settings:
    """Everything the tracker can be told from outside its code.

    Attributes:
        database_url: SQLAlchemy URL of the database (normalised by `normalise_url`).
        actors_file: extra actor dictionary files, separated by `os.pathsep`.
        cues_file: extra stance cue lexicon files, separated by `os.pathsep`.
        max_file_mb: larger input files are skipped.
        max_article_chars: longer article texts are refused.
    """

    database_url: str = _setting(
        "DATABASE_URL",
        DEFAULT_DATABASE_URL,
        "Database to write to and read from: a SQLite file path or URL, or a postgresql:// URL.",
    )
    actors_file: str = _setting(
        "TRACKER_ACTORS",
        "",
        "Extra actor dictionary files, separated by the OS path separator.",
    )
    cues_file: str = _setting(
        "TRACKER_CUES",
        "",
        "Extra stance cue lexicon files, separated by the OS path separator.",
    )
    max_file_mb: int = _setting(
        "TRACKER_MAX_FILE_MB", 25, "Input files larger than this many megabytes are skipped."
    )
    max_article_chars: int = _setting(
        "TRACKER_MAX_ARTICLE_CHARS",
        1_000_000,
        "Articles longer than this many characters are refused with an error.",
    )

    @property
    def actors_files(self) -> tuple[Path, ...]:
        """`actors_file` split into paths."""
        return split_paths(self.actors_file)

    @property
    def cues_files(self) -> tuple[Path, ...]:
        """`cues_file` split into paths."""
        return split_paths(self.cues_file)


SETTINGS_HELP: dict[str, tuple[str, Any, str]] = {
    f.name: (f.metadata["env"], f.default, f.metadata["help"]) for f in fields(Settings)
}
"""Setting name -> (environment variable, default, help line)."""


def split_paths(value: str) -> tuple[Path, ...]:
    """Split an `os.pathsep`-separated list of files, dropping empty parts."""
    return tuple(Path(part) for part in value.split(os.pathsep) if part.strip())


def normalise_url(url: str) -> str:
    """Turn what a user typed into a SQLAlchemy URL.

    A bare file path becomes a SQLite URL; `postgres://` and `postgresql://` get the
    psycopg 3 driver. Anything else is returned unchanged.

    Args:
        url: a path like `tracker.db`, or a URL like `sqlite:///x.db` or
            `postgres://user@host/db`.

    Returns:
        A URL SQLAlchemy can open.
    """
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if "://" not in url:
        return "sqlite:///" + os.path.expanduser(url)
    return url


def redact_url(url: str) -> str:
    """The URL with its password replaced by `***`, for messages and logs.

    Args:
        url: any database URL or path.

    Returns:
        The same URL without the password; paths and password-less URLs unchanged.
    """
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # not a URL SQLAlchemy can parse: hide anything like user:pw@
        return re.sub(r"^([\w+.-]+://[^:/@]*):[^@]*@", r"\1:***@", url)


def _parse(name: str, raw: str, default: Any) -> Any:
    """Convert an environment string to the type of the setting's default."""
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{name} must be a whole number, got {raw!r}") from None
    return raw


def load_settings(db: str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings once: the `--db` flag beats the environment beats the default.

    Args:
        db: the database flag, when the user gave one.
        env: environment to read; `os.environ` when None.

    Returns:
        The settings, with the database URL normalised.

    Raises:
        ValueError: when a numeric variable does not hold a number.
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for name, (var, default, _help) in SETTINGS_HELP.items():
        raw = env.get(var, "")
        if raw.strip():
            values[name] = _parse(var, raw.strip(), default)
    if db:
        values["database_url"] = db
    values["database_url"] = normalise_url(values.get("database_url", DEFAULT_DATABASE_URL))
    return Settings(**values)
