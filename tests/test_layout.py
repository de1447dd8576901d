"""The package layout: imports run one way, down the stages, with no cycle.

Every import of every module counts, at the top, inside functions (lazy)
and under ``TYPE_CHECKING``: a lazy cycle is still a cycle for a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "detector"

# The stages, in the order data flows; a module may import modules of its own
# stage or of an earlier one, never of a later one.
STAGES = (
    ("detector._version", "detector.errors", "detector.results", "detector.reason_codes",
     "detector.resources"),
    ("detector.io",),
    ("detector.segment",),
    ("detector.features",),
    ("detector.reference",),
    ("detector.model",),
    ("detector.report",),
    ("detector.fit",),
    ("detector.score",),
    ("detector.service",),
    ("detector.cli",),
    ("detector", "detector.__main__"),
    # Drivers for other tools' pipelines, over the public API only.
    ("detector.integrations",),
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def stage_of(module: str) -> int:
    """The index of the module's stage: the longest prefix named in STAGES."""
    best, index = "", -1
    for i, prefixes in enumerate(STAGES):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, index = prefix, i
    return index


def imports_of(module: str) -> set[str]:
    """The detector modules (and the other top-level names starting with
    ``training``) that a module imports anywhere in its source."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
    return {name for name in found
            if name == "detector" or name.startswith("detector.") or name.split(".")[0] == "training"}


GRAPH = {module: imports_of(module) for module in MODULES}


def test_every_module_has_a_stage():
    assert [m for m in MODULES if stage_of(m) < 0] == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_down_the_stages(module):
    upward = sorted(target for target in GRAPH[module]
                    if target in MODULES and stage_of(target) > stage_of(module))
    assert upward == [], f"{module} imports a later stage: {upward}"


def test_the_package_never_imports_training():
    assert {m: sorted(t for t in targets if t.split(".")[0] == "training")
            for m, targets in GRAPH.items()
            if any(t.split(".")[0] == "training" for t in targets)} == {}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of the graph, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in graph:
                continue
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle():
    # A package's __init__ that imports its own modules is not a cycle unless
    # one of them imports the __init__ back.
    assert find_cycle(GRAPH) is None


def test_no_private_name_crosses_a_module():
    crossing = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("detector"):
                crossing.extend(f"{module} imports {node.module}.{alias.name}"
                                for alias in node.names
                                if alias.name.startswith("_") and not alias.name.startswith("__"))
    assert crossing == []


def test_error_types_are_imported_where_used():
    # ReferenceError is also a Python builtin: a module that uses it without
    # importing it raises the wrong type, and no linter notices.
    names = {node.name for node in ast.parse(MODULES["detector.errors"].read_text()).body
             if isinstance(node, ast.ClassDef)}
    missing = []
    for module, path in MODULES.items():
        if module == "detector.errors":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} & names
        imported = {a.asname or a.name for n in ast.walk(tree)
                    if isinstance(n, ast.ImportFrom) for a in n.names}
        missing.extend(f"{module}: {name}" for name in sorted(used - imported))
    assert missing == []


def test_integrations_use_only_the_public_api():
    # A driver for another tool's pipeline imports the package itself
    # (``from detector import score_document``), never a module inside it.
    integrations = {m for m in MODULES if stage_of(m) == len(STAGES) - 1}
    assert "detector.integrations.datatrove" in integrations
    assert {m: sorted(GRAPH[m] - {"detector"}) for m in integrations
            if GRAPH[m] - {"detector"}} == {}
