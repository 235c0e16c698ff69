"""The management use cases the dashboard (and any other door) steers a community through,
built once over the application service and the core authorization."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.authz import Access
from bot.service_layer.audit_trail import AuditTrail
from bot.service_layer.library_transfer import LibraryTransfer
from bot.service_layer.manage_library import LibraryManagement
from bot.service_layer.manage_schedules import ScheduleManagement
from bot.service_layer.manage_suggestions import MemberMessenger, SuggestionReview
from bot.service_layer.services import Tigerbird
from bot.service_layer.wordings import WordingManagement


@dataclass(frozen=True)
class Management:
    access: Access
    audit: AuditTrail
    schedules: ScheduleManagement
    library: LibraryManagement
    transfer: LibraryTransfer
    suggestions: SuggestionReview
    wordings: WordingManagement


def build_management(
    service: Tigerbird, access: Access, messenger: MemberMessenger | None = None
) -> Management:
    """Every management use case over one service; `access` is the one authorization path
    (the same Access the chat commands use)."""
    audit = AuditTrail(service.uow, service.clock, access)
    return Management(
        access=access,
        audit=audit,
        schedules=ScheduleManagement(service, access, audit),
        library=LibraryManagement(service.uow, access, audit),
        transfer=LibraryTransfer(service.uow, access, audit),
        suggestions=SuggestionReview(service.uow, access, audit, messenger),
        wordings=WordingManagement(service.uow, access, audit),
    )
