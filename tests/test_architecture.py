"""The house stands in one order (docs/architecture.md): the project package first, then the
apps as INSTALLED_APPS lists them, each importing only those before it (inside functions
too); no import circle; no module over 600 lines outside migrations and tests."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PROJECT = "stodperson"
MAX_LINES = 600


def _order() -> list[str]:
    local = [app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()]
    # An app installed only on demand (the benchmarks) stands last.
    on_demand = sorted(p.parent.name for p in ROOT.glob("*/apps.py") if p.parent.name not in local)
    return [PROJECT, *local, *on_demand]


def _modules() -> Iterator[tuple[str, Path]]:
    for package in _order():
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield ".".join(path.relative_to(ROOT).with_suffix("").parts), path


def _imports(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every module this one imports, wherever the import statement stands."""
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield target, node.lineno
            for alias in node.names:
                yield f"{target}.{alias.name}", node.lineno


def test_each_app_imports_only_the_apps_before_it():
    order = _order()
    rank = {app: i for i, app in enumerate(order)}
    wrong = []
    for module, path in _modules():
        own = module.split(".")[0]
        for target, line in _imports(module, path):
            other = target.split(".")[0]
            if other in rank and rank[other] > rank[own]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert wrong == [], f"imports against the order {' < '.join(order)}"


def test_no_module_imports_itself_round_a_circle():
    modules = dict(_modules())
    graph = {
        module: {target for target, _ in _imports(module, path) if target in modules} - {module}
        for module, path in modules.items()
    }
    circles = []
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_no_module_is_over_six_hundred_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for _, path in _modules()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
