"""Scale and speed: rate-limited fakes and the CI-sized versions of the benchmarks."""

import sys
from pathlib import Path

# The Slack and Discord fakes import their siblings as top-level modules.
_TESTS = Path(__file__).resolve().parents[1]
for _folder in ("slack", "discord"):
    if str(_TESTS / _folder) not in sys.path:
        sys.path.insert(0, str(_TESTS / _folder))
