"""Packaging beyond pyproject.toml: the top-level `migrations/` and `prompts/` folders ship
inside the package as `bot._data.migrations` and `bot._data.prompts` (package-dir mapping,
which pyproject's package discovery cannot combine with `find`)."""

from setuptools import find_packages, setup

DATA = {"bot._data.migrations": "migrations", "bot._data.prompts": "prompts"}

setup(
    packages=[*find_packages(include=["bot*", "adapters*"]), *DATA],
    package_dir=DATA,
    package_data={
        "*": ["py.typed"],
        "bot._data.migrations": ["script.py.mako", "versions/*.py"],
        "bot._data.prompts": ["*.yaml"],
        "adapters.web": ["templates/*.html", "static/*"],
    },
)
