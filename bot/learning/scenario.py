"""Simulator scenarios: the YAML keys of `tigerbird simulate`, their defaults, strict loading."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

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


@dataclass(frozen=True)
class DriftSpec:
    walk_sigma_per_year: float = 0.2
    shift_day: int = 200
    shift_fraction: float = 0.1
    shift_magnitude: float = 0.5


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

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["day_of_week"] = list(self.day_of_week)
        return data


def _build(cls: type[T], data: Any, where: str) -> T:
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{where or 'scenario'} must be a mapping, got {data!r}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - names)
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
            values[name] = tuple(float(v) for v in raw)
        elif kind is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise ScenarioError(f"{path} must be an integer, got {raw!r}")
            values[name] = raw
        else:
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise ScenarioError(f"{path} must be a number, got {raw!r}")
            values[name] = float(raw)
    return cls(**values)


def scenario_from_mapping(data: Mapping[str, Any] | None) -> Scenario:
    """A scenario from parsed YAML; missing keys take their defaults, unknown keys fail."""
    return _build(Scenario, data or {}, "")


def load_scenario(path: Path | None) -> Scenario:
    """The scenario in a YAML file, or the default scenario when `path` is None."""
    if path is None:
        return Scenario()
    return scenario_from_mapping(yaml.safe_load(path.read_text(encoding="utf-8")))
