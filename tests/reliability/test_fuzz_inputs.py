"""Hypothesis fuzzing of everything a person can type: prompt packs, schedule strings and
timezones. Bad input gets a clear, typed error; nothing else ever escapes.

~100 cases per test in `make test`; RELIABILITY_EXAMPLES=2000 in `make test-reliability`.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.library import load_pack
from bot.library.errors import PackLoadError
from bot.scheduling.parse import ScheduleError, build_spec
from bot.scheduling.slot_times import next_slot
from tests.reliability.sizing import EXAMPLES

FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # a DST weekend in Europe

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(["", "~", "null", "yes", "0x1F", "1e400", "2026-02-30", "*", "&a", "!!x"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ["id", "text", "category", "tags", "choices", "emoji", "label", "name", "language"]


def prompt_like() -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(FIELDS), values, max_size=6)


packs = st.fixed_dictionaries(
    {
        "pack": st.one_of(values, st.dictionaries(st.sampled_from(FIELDS), values, max_size=5)),
        "prompts": st.one_of(values, st.lists(prompt_like(), max_size=5)),
    }
)


def as_yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


yaml_texts = st.one_of(
    packs.map(as_yaml),
    st.text(max_size=300),
    st.tuples(packs.map(as_yaml), st.integers(0, 400), st.text(max_size=20)).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[1] :]
    ),
)


@FUZZ
@given(yaml_texts)
def test_any_pack_file_loads_or_lists_its_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            pack = load_pack(path)
        except PackLoadError as error:
            assert error.issues, "a refused pack says why"
            assert all(str(issue) for issue in error.issues)
            return
        assert all(d.text.strip() for d in pack.drafts)


typed = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "09:00",
            "9am",
            "25:00",
            "12:60",
            "mon-fri",
            "sun-mon",
            "Europe/Paris",
            "utc",
            "America/New_York",
            "0 9 * * 1-5",
            "*/0 * * * *",
            "60 * * * *",
            "2026-02-29",
            "2026-03-29",
            "-1",
            "",
            " ",
            "mon,,tue",
            "9:00,9:00",
            "24:00",
            "00:00:61",
        ]
    ),
)


@FUZZ
@given(
    at=st.none() | typed,
    tz=typed,
    days=st.none() | typed,
    every_days=st.none() | st.integers(-5, 400),
    cron=st.none() | typed,
    quiet=st.none() | typed,
)
def test_any_schedule_string_gives_a_spec_or_a_clear_error(
    at: str | None,
    tz: str,
    days: str | None,
    every_days: int | None,
    cron: str | None,
    quiet: str | None,
) -> None:
    try:
        spec = build_spec(at, tz, days, every_days, cron, quiet)
    except ScheduleError as error:
        assert str(error).strip()
        return
    slot = next_slot(spec, NOW)
    assert slot is None or slot > NOW
