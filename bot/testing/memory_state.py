"""The fake database behind the in-memory store (see bot.testing.memory): plain dicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.core.domain import Community, Post, Prompt, ResponseKind, Schedule
from bot.core.ports.audit import AuditEntry
from bot.core.rituals import RitualMember, ThreadReply


@dataclass
class KeptReply:
    """A thread reply the memory store keeps (see bot.core.rituals.ThreadReply)."""

    reply: ThreadReply
    featured: bool = False
    reactions: int = 0


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
    # Rituals (bot.testing.memory_rituals): choices by (community, member); milestones by
    # (post, member); kept replies by (community, message id); their reactions.
    ritual_members: dict[tuple[int, str], RitualMember] = field(default_factory=dict)
    milestones: dict[tuple[int, str], int] = field(default_factory=dict)
    thread_replies: dict[tuple[int, str], KeptReply] = field(default_factory=dict)
    reply_reactions: dict[tuple[int, str, str, str], datetime] = field(default_factory=dict)
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1
