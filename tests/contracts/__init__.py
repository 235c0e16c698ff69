"""The vendored official API specs (see README.md here): one place that says where they are."""

from __future__ import annotations

from pathlib import Path


def contracts_dir() -> Path:
    """The folder holding `slack/` and `discord/` specs, inside the repository."""
    return Path(__file__).resolve().parent
