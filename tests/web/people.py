"""The Discord people and servers of the dashboard tests (snowflakes)."""

GUILD = 700_000_000_000_000_001
OTHER_GUILD = 700_000_000_000_000_002
OWNER = 800_000_000_000_000_001
MODERATOR = 800_000_000_000_000_002  # Manage Server (through a role) in GUILD only
MEMBER = 800_000_000_000_000_003
MOD_ROLE = 700_000_000_000_000_010
