"""The core the application runs: the service, the chat commands and the learning loop, built
from a unit of work and the settings; the adapters register their platforms in it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bot.app.clock import SystemClock
from bot.app.settings import Settings
from bot.chat.commands import ChatCommands
from bot.core.domain import PlatformName
from bot.core.ports import Clock, Platform, UnitOfWorkFactory, WorkerLiveness
from bot.delivery.deliverer import Deliverer, DeliveryConfig
from bot.engagement.members import MemberKeys, load_member_keys
from bot.learning import PooledThompsonPolicy
from bot.learning.loop import LearningLoop
from bot.learning.selection import Policy
from bot.learning.wordings import WordingPolicy
from bot.service_layer.services import Tigerbird


@dataclass
class Core:
    """What `tigerbird run` and the CLI commands work with; `platforms` is shared with the
    service and the deliverer, so an adapter registered here is where they post."""

    service: Tigerbird
    commands: ChatCommands
    learning: LearningLoop
    # For the application layer's own reads (CLI exports, privacy, the session secret): the
    # service keeps storage to itself, the composition root hands these out explicitly.
    uow: UnitOfWorkFactory
    members: MemberKeys
    platforms: dict[PlatformName, Platform] = field(default_factory=dict)
    clock: Clock = field(default_factory=SystemClock)


async def build_core(
    uow: UnitOfWorkFactory,
    settings: Settings,
    clock: Clock | None = None,
    policy: Policy | None = None,
    config: DeliveryConfig | None = None,
    liveness: WorkerLiveness | None = None,
) -> Core:
    """Everything but the adapters; adapters register their Platform in `core.platforms`."""
    clock = clock or SystemClock()
    policy = policy or PooledThompsonPolicy(np.random.default_rng())
    platforms: dict[PlatformName, Platform] = {}
    key = settings.tigerbird_member_key
    members = await load_member_keys(uow, key.get_secret_value() if key else None)
    config = config or DeliveryConfig(holdout=settings.tigerbird_holdout)
    wordings = WordingPolicy(np.random.default_rng())  # learns from the same loop as `policy`
    deliverer = Deliverer(uow, platforms, policy, clock, config, liveness, wordings)
    service = Tigerbird(uow, platforms, policy, clock, members, deliverer)
    commands = ChatCommands(service, settings.tigerbird_timezone, settings.manager_ids)
    learning = LearningLoop(uow, policy, clock, wordings=wordings)
    return Core(service, commands, learning, uow, members, platforms, clock)
