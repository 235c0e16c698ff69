"""Simulator scenarios: the YAML keys of `tigerbird simulate`, their defaults, strict loading."""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin

import yaml

T = TypeVar("T")


class ScenarioError(ValueError):
    """A scenario file with an unknown key or a value of the wrong shape."""


@dataclass(frozen=True)
class PromptsSpec:
    count: int = 300
    categories: int = 12
    quality_sigma: float = 0.4
    category_sigma: float = 0.2
    # Shape of a prompt's own quality (log scale), every shape with sd `quality_sigma`.
    quality_dist: Literal["normal", "student_t3", "bimodal"] = "normal"
    # A/B wordings: extra wordings per prompt (0 = off) and the log-odds sd of their effects.
    variants_per_prompt: int = 0
    variant_sigma: float = 0.0


@dataclass(frozen=True)
class AudienceSpec:
    """Lognormal active audience per channel, clipped to [min, max]."""

    median: float = 60
    sigma: float = 1.2
    min: int = 5
    max: int = 5000


@dataclass(frozen=True)
class BaseRateSpec:
    """Lognormal share of the audience responding to an average prompt."""

    median: float = 0.08
    sigma: float = 0.5


@dataclass(frozen=True)
class LateJoinSpec:
    fraction: float = 0.2
    from_day: int = 150
    to_day: int = 250


@dataclass(frozen=True)
class ChannelsSpec:
    count: int = 50
    audience: AudienceSpec = field(default_factory=AudienceSpec)
    base_rate: BaseRateSpec = field(default_factory=BaseRateSpec)
    taste_sigma: float = 0.2
    late_join: LateJoinSpec = field(default_factory=LateJoinSpec)
    # Channel x prompt taste with no category structure (log-odds sd).
    prompt_taste_sigma: float = 0.0


@dataclass(frozen=True)
class DriftSpec:
    walk_sigma_per_year: float = 0.2
    shift_day: int = 200
    shift_fraction: float = 0.1
    shift_magnitude: float = 0.5


@dataclass(frozen=True)
class FatigueSpec:
    """A prompt re-posted in a channel loses penalty * 2^(-days since its last post there /
    half_life_days) in log-odds."""

    penalty: float = 0.0
    half_life_days: float = 90


@dataclass(frozen=True)
class SeasonalitySpec:
    """`categories` categories swing +-amplitude in log-odds over `period_days`, random phase."""

    categories: int = 0
    amplitude: float = 0.0
    period_days: float = 365


@dataclass(frozen=True)
class Scenario:
    seed: int = 7
    days: int = 365
    repeat_window_days: int = 60
    prompts: PromptsSpec = field(default_factory=PromptsSpec)
    channels: ChannelsSpec = field(default_factory=ChannelsSpec)
    day_of_week: tuple[float, ...] = (1.0, 1.05, 1.05, 1.0, 0.95, 0.7, 0.7)
    drift: DriftSpec = field(default_factory=DriftSpec)
    new_prompts_per_week: int = 2
    fatigue: FatigueSpec = field(default_factory=FatigueSpec)
    # Log-odds lost per consecutive earlier post of the same category in the channel.
    category_streak_penalty: float = 0.0
    # Beta-binomial correlation of the responders to one post (0: binomial).
    overdispersion: float = 0.0
    seasonality: SeasonalitySpec = field(default_factory=SeasonalitySpec)
    # Share of slots given to a uniform pick (the production holdout), for learning policies.
    holdout: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["day_of_week"] = list(self.day_of_week)
        return data


def _build(cls: type[T], data: Any, where: str) -> T:
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{where or 'scenario'} must be a mapping, got {data!r}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(str(key) for key in set(data) - names)
    if unknown:
        raise ScenarioError(f"unknown key(s) in {where or 'scenario'}: {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for name, raw in data.items():
        kind = hints[name]
        path = f"{where}.{name}" if where else name
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            values[name] = _build(kind, raw, path)
        elif name == "day_of_week":
            if not isinstance(raw, list) or len(raw) != 7:
                raise ScenarioError("day_of_week must list 7 multipliers, Monday first")
            if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw):
                raise ScenarioError("day_of_week must list 7 numbers, Monday first")
            values[name] = tuple(float(v) for v in raw)
        elif get_origin(kind) is Literal:
            allowed = get_args(kind)
            if raw not in allowed:
                choices = " | ".join(str(a) for a in allowed)
                raise ScenarioError(f"{path} must be one of {choices}, got {raw!r}")
            values[name] = raw
        elif kind is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise ScenarioError(f"{path} must be an integer, got {raw!r}")
            values[name] = raw
        else:
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise ScenarioError(f"{path} must be a number, got {raw!r}")
            values[name] = float(raw)
    return cls(**values)


# (path, lowest, highest) for every number; None is unbounded. The upper bounds keep a run
# within memory and minutes; MAX_BYTES bounds what they allow together.
_BOUNDS: tuple[tuple[str, float, float | None], ...] = (
    ("seed", 0, 2**63 - 1),
    ("days", 1, 3650),
    ("repeat_window_days", 0, 3650),
    ("new_prompts_per_week", 0, 1000),
    ("prompts.count", 1, 100_000),
    ("prompts.categories", 1, 1000),
    ("prompts.quality_sigma", 0, 10),
    ("prompts.category_sigma", 0, 10),
    ("prompts.variants_per_prompt", 0, 2),
    ("prompts.variant_sigma", 0, 10),
    ("channels.count", 1, 10_000),
    ("channels.audience.median", 1, 1_000_000),
    ("channels.audience.sigma", 0, 10),
    ("channels.audience.min", 1, 1_000_000),
    ("channels.audience.max", 1, 1_000_000),
    ("channels.base_rate.median", 0, 1),
    ("channels.base_rate.sigma", 0, 10),
    ("channels.taste_sigma", 0, 10),
    ("channels.late_join.fraction", 0, 1),
    ("channels.late_join.from_day", 0, None),
    ("channels.late_join.to_day", 0, None),
    ("drift.walk_sigma_per_year", 0, 10),
    ("drift.shift_day", 0, None),
    ("drift.shift_fraction", 0, 1),
    ("drift.shift_magnitude", -10, 10),
    ("channels.prompt_taste_sigma", 0, 10),
    ("fatigue.penalty", 0, 10),
    ("fatigue.half_life_days", 0.1, 3650),
    ("category_streak_penalty", 0, 10),
    ("overdispersion", 0, 0.99),
    ("seasonality.categories", 0, 1000),
    ("seasonality.amplitude", 0, 10),
    ("seasonality.period_days", 1, 3650),
    ("holdout", 0, 1),
)
MAX_BYTES = 2 * 1024**3
POLICIES = 6


def _value(scenario: Scenario, path: str) -> Any:
    value: Any = scenario
    for part in path.split("."):
        value = getattr(value, part)
    return value


def estimated_bytes(scenario: Scenario) -> int:
    """Roughly the memory a run needs: the prompts' daily walk, every policy's last- and
    first-post matrices, one day's probabilities, the daily values and the responders' draws."""
    channels = scenario.channels.count
    prompts = scenario.prompts.count + scenario.new_prompts_per_week * (scenario.days // 7 + 1)
    # Per policy its last and first post of each prompt in each channel; the prompt taste.
    cells = 2 * scenario.days * prompts + (2 * POLICIES + 4) * channels * prompts
    cells += POLICIES * channels * scenario.days + 2 * channels * scenario.channels.audience.max
    return 8 * cells


def check_scenario(scenario: Scenario) -> None:
    """Every value within its allowed range, and the whole run within MAX_BYTES."""
    for path, low, high in _BOUNDS:
        value = _value(scenario, path)
        if not (math.isfinite(value) and value >= low and (high is None or value <= high)):
            allowed = f"at least {low:g}" if high is None else f"{low:g}..{high:g}"
            raise ScenarioError(f"{path}: {value!r} is out of range (allowed {allowed})")
    audience, late = scenario.channels.audience, scenario.channels.late_join
    if audience.min > audience.max:
        raise ScenarioError(f"channels.audience: min {audience.min} is above max {audience.max}")
    if late.from_day > late.to_day:
        raise ScenarioError(
            f"channels.late_join: from_day {late.from_day} is after to_day {late.to_day}"
        )
    if scenario.seasonality.categories > scenario.prompts.categories:
        raise ScenarioError(
            f"seasonality.categories: {scenario.seasonality.categories} is above "
            f"prompts.categories {scenario.prompts.categories} (allowed 0..prompts.categories)"
        )
    if not all(math.isfinite(v) and 0 <= v <= 10 for v in scenario.day_of_week):
        raise ScenarioError("day_of_week: each multiplier must be a number in 0..10")
    needed = estimated_bytes(scenario)
    if needed > MAX_BYTES:
        raise ScenarioError(
            f"too large: days × channels.count × prompts would need about "
            f"{needed / 1024**3:.1f} GiB (limit {MAX_BYTES / 1024**3:.0f} GiB); "
            "lower days, channels.count, prompts.count or channels.audience.max"
        )


def scenario_from_mapping(data: Mapping[str, Any] | None) -> Scenario:
    """A scenario from parsed YAML; missing keys take their defaults, unknown keys and
    out-of-range values fail."""
    scenario = _build(Scenario, {} if data is None else data, "")
    check_scenario(scenario)
    return scenario


def load_scenario(path: Path | None) -> Scenario:
    """The scenario in a YAML file, or the default scenario when `path` is None.
    Every problem is a ScenarioError whose text starts with the file's name."""
    if path is None:
        return Scenario()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ScenarioError(f"{path}: not UTF-8 text (byte {error.start})") from error
    except OSError as error:
        raise ScenarioError(f"{path}: cannot read ({error.strerror or error})") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ScenarioError(f"{path}{where}: not valid YAML ({problem})") from error
    try:
        return scenario_from_mapping(data)
    except ScenarioError as error:
        raise ScenarioError(f"{path}: {error}") from error
