"""The ports the core talks through, in one place: adapters and storage implement them; the
core never imports an SDK, a driver or an ORM. `platform` holds the outward ports (chat
platforms, liveness, the clock), `storage` the repositories and the unit of work; the plain
records the storage ports take and return are re-exported here from `bot.core.records`."""

from __future__ import annotations

from bot.core.ports.platform import (
    Clock,
    Missing,
    Platform,
    PlatformError,
    PromptMessage,
    WorkerLiveness,
)
from bot.core.ports.storage import (
    ActivityRepository,
    CommunityRepository,
    PostRepository,
    PromptRepository,
    ResponseRepository,
    ScheduleRepository,
    StateRepository,
    UnitOfWork,
    UnitOfWorkFactory,
)
from bot.core.records import (
    ActivityRecord,
    NewSchedule,
    PickOutcome,
    PickProvenance,
    PostRef,
    RecordedOutcome,
    ResponseRecord,
)

__all__ = [
    "ActivityRecord",
    "ActivityRepository",
    "Clock",
    "CommunityRepository",
    "Missing",
    "NewSchedule",
    "PickOutcome",
    "PickProvenance",
    "Platform",
    "PlatformError",
    "PostRef",
    "PostRepository",
    "PromptMessage",
    "PromptRepository",
    "RecordedOutcome",
    "ResponseRecord",
    "ResponseRepository",
    "ScheduleRepository",
    "StateRepository",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "WorkerLiveness",
]
