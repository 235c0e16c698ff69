"""`tigerbird`: run the bot, migrate the database, manage schedules and prompts."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.app.cli import export, privacy, prompts, schedule_calendar, schedules, stats
from bot.app.cli.common import err, fail, load_settings, run_async
from bot.app.cli.logs import configure_logging

app = typer.Typer(
    help="Tigerbird: one intriguing question a day.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db = typer.Typer(help="The database.", no_args_is_help=True)
app.add_typer(db, name="db")
app.add_typer(schedules.app, name="schedule")
schedule_calendar.register(schedules.app)
app.add_typer(prompts.app, name="prompts")
app.add_typer(stats.app, name="stats")
app.add_typer(export.app, name="export")
app.add_typer(privacy.app, name="privacy")


def _optional(module: str) -> None:
    """Mount commands contributed by other packages, if they are present."""
    try:
        register = __import__(module, fromlist=["register"]).register
    except (ImportError, AttributeError):
        return
    register(app)


_optional("bot.app.cli.simulate")
_optional("bot.app.cli.health")
_optional("bot.app.cli.holdout")
_optional("bot.app.cli.rituals")

discord = typer.Typer(help="Discord set-up helpers.", no_args_is_help=True)
app.add_typer(discord, name="discord")


@discord.command("invite-url")
def discord_invite_url(
    client_id: Annotated[
        str | None,
        typer.Option(help="Application ID (Developer Portal → General Information)."),
    ] = None,
) -> None:
    """Print the link that invites Tigerbird to a Discord server."""
    # Imported here: discord.py costs ~16 MB and `run` on Slack or the console never needs it.
    from adapters.discord.invite import print_invite_url

    print_invite_url(client_id, _discord_token)


def _discord_token() -> str | None:
    """DISCORD_TOKEN from the settings (the environment or .env)."""
    from bot.app.settings import Settings

    token = Settings().discord_token
    return token.get_secret_value() if token else None


@app.command()
def run(post_now: Annotated[bool, typer.Option(help="Post a prompt at once.")] = False) -> None:
    """Migrate the database, then run until Ctrl-C / SIGTERM."""
    from bot.app.bootstrap import run as run_bot

    settings = load_settings()
    configure_logging(settings.tigerbird_log_level)
    run_async(run_bot(settings, post_now=post_now))


@db.command()
def upgrade() -> None:
    """Apply every pending migration, then sync the built-in prompt library."""
    from bot.app.bootstrap import DATABASE_ERRORS, database_error
    from bot.storage.engine import upgrade as upgrade_db
    from bot.storage.sqlite_file import DatabaseUnavailable

    settings = load_settings()
    try:
        upgrade_db(settings.database_url)
    except DatabaseUnavailable as error:
        fail(str(error))
    except DATABASE_ERRORS as error:
        fail(str(database_error(settings.database_url, error)))
    err.print("database is at the latest schema")
    from bot.app.bootstrap import sync_packs
    from bot.app.cli.common import run_with_core

    err.print(run_with_core(settings, lambda core: sync_packs(core, settings)), markup=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
