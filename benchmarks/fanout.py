"""Fan-out benchmark: N schedules due in the same minute, posted through the real Discord and
Slack adapters to fakes enforcing the platforms' rate limits, next to a naive sequential
poster in the same process and harness. Prints both side by side, the ratio last.

    .venv/bin/python -m benchmarks.fanout discord --schedules 10000 --speed 2
    .venv/bin/python -m benchmarks.fanout discord --schedules 1000 --speed 5 --unpaced
    .venv/bin/python -m benchmarks.fanout slack --schedules 10000 [--per-community 100]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
from dataclasses import replace

from bot.core.domain import PlatformName
from bot.delivery.deliverer import DeliveryConfig
from bot.storage.engine import make_engine, make_sessions, upgrade
from bot.storage.uow import SqlUnitOfWorkFactory
from tests.scale.fanout import format_report, run_discord, run_slack

SLACK = PlatformName.SLACK


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("platform", choices=["discord", "slack"])
    parser.add_argument("--schedules", type=int, default=10000)
    parser.add_argument("--per-community", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=DeliveryConfig().concurrency)
    parser.add_argument("--batch-size", type=int, default=DeliveryConfig().batch_size)
    parser.add_argument("--speed", type=float, default=5.0, help="Discord: run the limits faster")
    parser.add_argument("--latency", type=float, default=0.05, help="round trip per request, s")
    parser.add_argument(
        "--unpaced", action="store_true", help="Discord: no pacer, discord.py's own bucket sweep"
    )
    parser.add_argument(
        "--refilling-bucket", action="store_true",
        help="Discord: the fake's global limit as a refilling bucket, not per wall-clock second",
    )  # fmt: skip
    parser.add_argument(
        "--requests-per-second", type=float, default=0.0,
        help="Discord: pace at this rate instead of DISCORD_REQUESTS_PER_SECOND's default",
    )  # fmt: skip
    parser.add_argument(
        "--slack-concurrency", type=int, default=DeliveryConfig().concurrency_for(SLACK)
    )
    parser.add_argument("--naive-sample", type=int, default=200)
    parser.add_argument("--database", default="", help="default: a fresh SQLite file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    config = DeliveryConfig(concurrency=args.concurrency, batch_size=args.batch_size)
    config = replace(config, platform_concurrency=((SLACK, args.slack_concurrency),))
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite+aiosqlite:///{folder}/fanout.db"
        upgrade(url)
        engine = make_engine(url)
        uow = SqlUnitOfWorkFactory(make_sessions(engine))
        if args.platform == "discord":
            report = await run_discord(
                uow, args.schedules, args.per_community, args.speed, args.latency, config,
                args.naive_sample, args.unpaced, args.requests_per_second or None,
                not args.refilling_bucket,
            )  # fmt: skip
        else:
            report = await run_slack(
                uow, args.schedules, args.per_community, args.latency, config,
                args.naive_sample,
            )  # fmt: skip
        await engine.dispose()
    print(format_report(report))


if __name__ == "__main__":
    asyncio.run(main())
