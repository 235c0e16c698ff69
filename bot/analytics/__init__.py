"""Analytics for community managers: what engages here, in chat, on the CLI and by digest."""

from bot.analytics.load import load_history
from bot.analytics.report import Scope, StatsReport, build_report
from bot.core.history import History, PostFact, PromptInfo, ResponseFact

__all__ = [
    "History",
    "PostFact",
    "PromptInfo",
    "ResponseFact",
    "Scope",
    "StatsReport",
    "build_report",
    "load_history",
]
