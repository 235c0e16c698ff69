"""The boundaries themselves are import-linter contracts in pyproject.toml (`lint-imports` runs
in `make test`). These tests keep the contracts honest: every package is placed in the layers,
and the SDK ban names every SDK the project depends on."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())
CONFIG: dict[str, Any] = PYPROJECT["tool"]["importlinter"]
SDKS = {
    "slack_bolt",
    "slack_sdk",
    "discord",
    "aiohttp",
    "sqlalchemy",
    "apscheduler",
    "jinja2",
    "aiohttp_session",
    "authlib",
    "httpx2",
    "joserfc",
}


def contract(kind: str, name_part: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        c for c in CONFIG["contracts"] if c["type"] == kind and name_part in c["name"].lower()
    ]
    assert len(found) == 1, f"no single {kind} contract named like {name_part!r}"
    return found[0]


def packages(top: str) -> set[str]:
    return {
        f"{top}.{p.name}"
        for p in (ROOT / top).iterdir()
        if (p / "__init__.py").exists() and not p.name.startswith("_")
    }


def test_every_package_has_a_layer() -> None:
    layered: set[str] = set()
    for layer in contract("layers", "layers")["layers"]:
        layered.update(part.strip() for part in layer.replace(":", "|").split("|"))
    assert packages("bot") | packages("adapters") <= layered, "a package outside the layers"


def test_the_neutral_packages_ban_every_sdk() -> None:
    ban = contract("forbidden", "sdk")
    below_storage = contract("layers", "layers")["layers"][3:]
    neutral = {part.strip() for layer in below_storage for part in layer.split("|")}
    assert set(ban["source_modules"]) == neutral
    assert set(ban["forbidden_modules"]) >= SDKS


def test_adapters_are_independent() -> None:
    assert set(contract("independence", "adapters")["modules"]) == packages("adapters")


def test_every_package_says_what_lives_in_it() -> None:
    for package in packages("bot") | packages("adapters"):
        init = ROOT / package.replace(".", "/") / "__init__.py"
        text = init.read_text().lstrip()
        assert text.startswith('"""') and len(text.split('"""')[1]) > 40, f"{init} has no docstring"


def _runtime_imports(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """Module-level imports that run at import time (not under TYPE_CHECKING)."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If | ast.Try):
            found.extend(_runtime_imports(node.body))
    return found


def _import_graph() -> dict[str, set[str]]:
    modules: dict[str, Path] = {}
    for top in ("bot", "adapters"):
        for path in (ROOT / top).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in _runtime_imports(ast.parse(path.read_text()).body):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                subs = [f"{node.module}.{a.name}" for a in node.names]
                known = [s for s in subs if s in modules]
                targets = known if len(known) == len(subs) else [node.module, *known]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def test_no_import_cycles_between_modules() -> None:
    graph = _import_graph()
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            raise AssertionError("import cycle: " + " -> ".join([*path[path.index(name) :], name]))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*path, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
