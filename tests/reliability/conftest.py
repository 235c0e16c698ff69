"""Fixtures for the reliability suite: no bot process outlives its test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _no_bot_outlives_its_test() -> Iterator[None]:
    from tests.reliability.bot_process import kill_leftovers

    yield
    kill_leftovers()
