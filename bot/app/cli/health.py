"""`tigerbird health`: the container's HEALTHCHECK (the database answers, at the latest schema)."""

from __future__ import annotations

import asyncio

import typer

from bot.app.cli.common import err, load_settings

TIMEOUT_SECONDS = 10.0


async def _check(url: str) -> str | None:
    """None when the database answers at the latest schema, else what is wrong."""
    from bot.storage.engine import database_revisions, make_engine, script_heads

    engine = make_engine(url)
    try:
        revisions = await asyncio.wait_for(database_revisions(engine), TIMEOUT_SECONDS)
    except (OSError, TimeoutError) as error:
        return f"database: does not answer ({error or 'timed out'})"
    except Exception as error:  # the driver's own errors (auth, unknown database, ...)
        return f"database: {type(error).__name__}: {error}"
    finally:
        await engine.dispose()
    if revisions != script_heads():
        return f"database: schema {sorted(revisions) or 'empty'}, expected {sorted(script_heads())}"
    return None


def health() -> None:
    """Exit 0 when the database answers at the latest schema, 1 otherwise (one line)."""
    settings = load_settings()
    problem = asyncio.run(_check(settings.database_url))
    if problem is not None:
        err.print(problem, markup=False, soft_wrap=True)
        raise typer.Exit(1)
    err.print("healthy: the database answers at the latest schema")


def register(app: typer.Typer) -> None:
    app.command("health")(health)
