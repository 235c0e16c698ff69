"""How big each campaign is: CI-sized by default, the long campaign via environment variables.

`make test-reliability` sets RELIABILITY_TRIALS=20 and RELIABILITY_EXAMPLES=2000.
"""

from __future__ import annotations

import os

TRIALS = int(os.environ.get("RELIABILITY_TRIALS", "3"))
EXAMPLES = int(os.environ.get("RELIABILITY_EXAMPLES", "200"))
SEED = int(os.environ.get("RELIABILITY_SEED", "20260302"))
