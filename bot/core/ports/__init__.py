"""The ports the core talks through, in one place: adapters and storage implement them; the
core never imports an SDK, a driver or an ORM. `platform` holds the outward ports (chat
platforms, liveness, the clock), `inbound` what the adapters call into (an event sink, a
command runner) and the `Adapter` the application starts and stops, `storage` the repositories
and the unit of work, `reads` the bulk reads of analytics, privacy and export, `rituals` what
streaks, the regulars board and the best answer keep; the plain records
the storage ports take and return are re-exported here from `bot.core.records` and
`bot.core.history`."""

from __future__ import annotations

from bot.core.history import CommunityInfo, History, PostFact, PromptInfo, ResponseFact
from bot.core.ports.audit import AuditEntry, AuditPage, AuditRepository
from bot.core.ports.inbound import (
    Adapter,
    ChannelSchedules,
    CommandRunner,
    CommunityDirectory,
    ConsoleEntry,
    CoreEntry,
    EventSink,
)
from bot.core.ports.library_reads import (
    LibraryQuery,
    LibraryReads,
    PromptRecord,
    WordingRecord,
)
from bot.core.ports.messaging import MemberMessages
from bot.core.ports.platform import (
    Clock,
    IncompletePost,
    Missing,
    Platform,
    PlatformError,
    PromptMessage,
    Standing,
    Standings,
    WorkerLiveness,
)
from bot.core.ports.reads import ExportReader, HistoryReader, MemberDataRepository
from bot.core.ports.rituals import RitualRepository, ThreadMessages
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
    POST_COLUMNS,
    RESPONSE_COLUMNS,
    ActivityRecord,
    Forgotten,
    MemberData,
    NewSchedule,
    PickOutcome,
    PickProvenance,
    PostRef,
    RecordedOutcome,
    ResponseRecord,
)

__all__ = [
    "POST_COLUMNS",
    "RESPONSE_COLUMNS",
    "ActivityRecord",
    "ActivityRepository",
    "Adapter",
    "AuditEntry",
    "AuditPage",
    "AuditRepository",
    "ChannelSchedules",
    "Clock",
    "CommandRunner",
    "CommunityDirectory",
    "CommunityInfo",
    "CommunityRepository",
    "ConsoleEntry",
    "CoreEntry",
    "EventSink",
    "ExportReader",
    "Forgotten",
    "History",
    "HistoryReader",
    "IncompletePost",
    "LibraryQuery",
    "LibraryReads",
    "MemberData",
    "MemberDataRepository",
    "MemberMessages",
    "Missing",
    "NewSchedule",
    "PickOutcome",
    "PickProvenance",
    "Platform",
    "PlatformError",
    "PostFact",
    "PostRef",
    "PostRepository",
    "PromptInfo",
    "PromptMessage",
    "PromptRecord",
    "PromptRepository",
    "RecordedOutcome",
    "ResponseFact",
    "ResponseRecord",
    "ResponseRepository",
    "RitualRepository",
    "ScheduleRepository",
    "Standing",
    "Standings",
    "StateRepository",
    "ThreadMessages",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "WordingRecord",
    "WorkerLiveness",
]
