"""The `/tigerbird` command set, platform-neutral: parsing an invocation, checking who may act
through `bot.core.authz`, and the answers. Adapters translate their payloads into an
`Invocation` and render the `Reply`; each command family lives in its own module."""
