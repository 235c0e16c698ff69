"""Tigerbird's use cases as one service, `services.Tigerbird`: what the chat commands, the CLI
and the adapters call. Each part lives in a module named for its use cases (schedules, posting
and previews, prompts, communities, engagement). Callers never touch storage; the service opens
a unit of work per use case."""
