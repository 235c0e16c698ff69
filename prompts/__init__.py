"""The built-in prompt packs, shipped in the package as `bot._data.prompts` (setup.py)."""
