"""Tigerbird's use cases as one service: schedules, posting and previews, prompts, communities,
engagement, reports, member rituals. Each part lives in its own module; this one assembles them.

Adapters, the CLI and the scheduler call these; they never touch storage directly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.core.domain import PlatformName
from bot.core.ports import Clock, Platform, UnitOfWorkFactory
from bot.delivery.deliverer import Deliverer
from bot.engagement.batcher import EventBatcher
from bot.engagement.members import MemberKeys
from bot.engagement.recorder import EngagementRecorder
from bot.learning.selection import Policy
from bot.service_layer.base import NotFound
from bot.service_layer.best_time import BestTimeUseCases
from bot.service_layer.communities import CommunityUseCases
from bot.service_layer.engagement import EngagementUseCases
from bot.service_layer.library_health import LibraryHealthUseCases
from bot.service_layer.overview import OverviewUseCases
from bot.service_layer.posting import PostingUseCases
from bot.service_layer.prompts import PromptUseCases, SyncReport
from bot.service_layer.reports import ReportUseCases
from bot.service_layer.ritual_posts import RitualPostUseCases
from bot.service_layer.schedules import ScheduleUseCases

__all__ = ["NotFound", "SyncReport", "Tigerbird"]


class Tigerbird(
    ScheduleUseCases,
    PostingUseCases,
    PromptUseCases,
    CommunityUseCases,
    EngagementUseCases,
    ReportUseCases,
    OverviewUseCases,
    BestTimeUseCases,
    LibraryHealthUseCases,
    RitualPostUseCases,
):
    """The application service. One instance per process, built by bot.app.bootstrap."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        platforms: Mapping[PlatformName, Platform],
        policy: Policy,
        clock: Clock,
        members: MemberKeys,
        deliverer: Deliverer,
    ) -> None:
        self.uow = uow
        self.platforms = platforms
        self.policy = policy
        self.clock = clock
        self.members = members
        self.deliverer = deliverer
        self.on_change: Callable[[], None] | None = None
        self.engagement = EngagementRecorder(uow, platforms, members, clock)
        deliverer.recovery.catch_up = self.engagement.catch_up_post  # a found post's responses
        self.events = EventBatcher(lambda batch: self.engagement.record(batch))
        deliverer.on_sent = self.after_post  # the rituals that follow a post
