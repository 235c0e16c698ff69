"""Fixtures for the reliability suite: the fakes of tests/slack and tests/discord, importable."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parent.parent
for _folder in ("slack", "discord"):
    if str(_TESTS / _folder) not in sys.path:
        sys.path.insert(0, str(_TESTS / _folder))


@pytest.fixture(autouse=True)
def _no_bot_outlives_its_test() -> Iterator[None]:
    from tests.reliability.bot_process import kill_leftovers

    yield
    kill_leftovers()
