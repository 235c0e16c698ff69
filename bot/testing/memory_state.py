"""The fake database behind the in-memory store (see bot.testing.memory): plain dicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.core.domain import Community, Post, Prompt, ResponseKind, Schedule
from bot.core.ports.audit import AuditEntry


@dataclass
class MemoryState:
    communities: dict[int, Community] = field(default_factory=dict)
    schedules: dict[int, Schedule] = field(default_factory=dict)
    prompts: dict[int, Prompt] = field(default_factory=dict)
    posts: dict[int, Post] = field(default_factory=dict)
    responses: dict[tuple[int, str, ResponseKind, str], datetime] = field(default_factory=dict)
    activity: dict[tuple[int, str, str], datetime] = field(default_factory=dict)
    activity_hours: dict[tuple[int, str, datetime], int] = field(default_factory=dict)
    state: dict[str, str] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1
