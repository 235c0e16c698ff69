"""How big each campaign is: CI-sized by default, the long campaign via environment variables.

`make test-reliability` sets RELIABILITY_TRIALS=20 and RELIABILITY_EXAMPLES=2000.
"""

from __future__ import annotations

import os

TRIALS = int(os.environ.get("RELIABILITY_TRIALS", "2"))
EXAMPLES = int(os.environ.get("RELIABILITY_EXAMPLES", "100"))
SEED = int(os.environ.get("RELIABILITY_SEED", "20260302"))
# The long run also waits out slow paths, e.g. a Discord 503 (discord.py does not retry it)
# whose slot is retried by recovery once the 2-minute claim lease has run out.
LONG = os.environ.get("RELIABILITY_LONG", "") == "1"
