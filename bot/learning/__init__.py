"""Learning which prompts engage: the pooled Thompson policy with its statistics, priors and
credit attribution, the engagement metric of one post, the selection rules (no-repeat window,
uniform baseline) and the loop that feeds finished posts back into the policy."""

from bot.learning.config import PolicyConfig
from bot.learning.metric import engagement, response_window_end
from bot.learning.policy import PooledThompsonPolicy

__all__ = ["PolicyConfig", "PooledThompsonPolicy", "engagement", "response_window_end"]
