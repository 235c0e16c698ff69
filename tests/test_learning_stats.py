"""Lazy discounting of the pooled statistics."""

from __future__ import annotations

import pytest

from bot.learning.stats import PooledStats


def test_discount_halves_per_half_life() -> None:
    stats = PooledStats(half_life_days=30)
    k = stats.prompt(1, "fun")
    stats.prompt_y[k] += 10 * stats.weight(100.0)
    assert stats.prompt_y[k] * stats.discount(100.0) == pytest.approx(10)
    assert stats.prompt_y[k] * stats.discount(130.0) == pytest.approx(5)
    assert stats.prompt_y[k] * stats.discount(160.0) == pytest.approx(2.5)


def test_rebasing_keeps_discounted_sums() -> None:
    stats = PooledStats(half_life_days=1)
    k = stats.prompt(1, "fun")
    stats.prompt_y[k] += 8 * stats.weight(0.0)
    later = 60.0  # 2**60 > the re-base threshold
    weight = stats.weight(later)  # re-bases first, so read the sums after it
    stats.prompt_y[k] += 1 * weight
    assert stats.reference == later
    assert stats.prompt_y[k] * stats.discount(later) == pytest.approx(1 + 8 * 2.0**-60)


def test_indices_grow_with_new_prompts_channels_and_categories() -> None:
    stats = PooledStats(half_life_days=30)
    for i in range(100):
        stats.prompt(i, f"cat{i % 9}")
        stats.channel(f"ch{i}")
    assert stats.prompt_count == 100
    assert stats.category_count == 9
    assert stats.taste_y.shape[0] >= 100 and stats.taste_y.shape[1] >= 9
    assert stats.prompt_category[stats.prompt_index[17]] == stats.category_index["cat8"]
