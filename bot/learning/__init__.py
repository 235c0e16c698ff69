"""Learning which prompts engage: the pooled Thompson policy, the engagement metric, and the
simulator that benchmarks the policy against baselines (`tigerbird simulate`)."""

from bot.learning.config import PolicyConfig
from bot.learning.engagement import engagement, response_window_end
from bot.learning.policy import PooledThompsonPolicy

__all__ = ["PolicyConfig", "PooledThompsonPolicy", "engagement", "response_window_end"]
