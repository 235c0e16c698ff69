"""Alembic's script directory, shipped in the package as `bot._data.migrations` (setup.py)."""
