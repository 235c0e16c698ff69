"""Where the shipped data lives: the top-level `migrations/` and `prompts/` folders.

The build maps them into the package as `bot._data.migrations` and `bot._data.prompts`
(see setup.py), so a wheel carries them and an editable install points at the repository's."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _folder(package: str) -> Path:
    return Path(str(files(package)))


def migrations_dir() -> Path:
    """Alembic's script directory (env.py, versions/)."""
    return _folder("bot._data.migrations")


def prompts_dir() -> Path:
    """The built-in prompt packs (*.yaml)."""
    return _folder("bot._data.prompts")
