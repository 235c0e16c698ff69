"""The core stays platform-neutral: its modules import no SDK, driver, ORM or scheduler."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = [
    "domain",
    "ports",
    "selection",
    "schedule",
    "schedule_parse",
    "services",
    "delivery",
    "commands",
    "chat_types",
    "chat_prompts",
    "chat_settings",
    "text",
    "members",
    "authz",
    "chat_review",
]
FORBIDDEN = (
    "slack_bolt",
    "slack_sdk",
    "discord",
    "sqlalchemy",
    "apscheduler",
    "adapters",
    "aiohttp",
)


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_nothing_platform_specific(module: str) -> None:
    imported = imported_modules(ROOT / "bot" / f"{module}.py")
    bad = sorted(m for m in imported if m.split(".")[0] in FORBIDDEN)
    assert bad == [], f"bot/{module}.py imports {bad}"


def test_bot_never_imports_adapters_at_module_level() -> None:
    for path in (ROOT / "bot").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in tree.body:  # module level only: bootstrap imports adapters lazily
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("adapters"), path
