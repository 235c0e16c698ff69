"""Tigerbird's use cases as one service (schedules, prompts, engagement, previews): what the chat
commands, the CLI and the adapters call. Callers never touch storage; the service opens a unit
of work per use case."""
