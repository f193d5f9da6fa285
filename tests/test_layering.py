"""The floors of the house, guarded: every import in evidence_app (module level, inside
functions, under TYPE_CHECKING — all of them, read with ast) must point down a floor or
stay on its own floor, and no group of modules may import each other in a circle at run
time (an import under ``if TYPE_CHECKING:`` is erased, so it cannot close a circle).

Floors, top to bottom (docs/architecture.md):
  7 entry       evidence_app.__main__
  6 faces       evidence_app.cli, evidence_app.ui
  5 app         evidence_app.app
  4 exporters   evidence_app.exporters
  3 packet, intake (files and case descriptions)
  2 crypto, store, rules (and channel profiles)
  1 model and base
Run it alone for the report: ``.venv/bin/pytest tests/test_layering.py -q -s``.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "evidence_app"

FLOORS: list[tuple[int, tuple[str, ...]]] = [
    (7, ("evidence_app.__main__",)),
    (6, ("evidence_app.cli", "evidence_app.ui")),
    (5, ("evidence_app.app",)),
    (4, ("evidence_app.exporters",)),
    (
        3,
        (
            "evidence_app.packet",
            "evidence_app.intake",
            "evidence_app.file_inspection",
            "evidence_app.casefile",
            "evidence_app.preservation",
            "evidence_app.trusted_time",
        ),
    ),
    (
        2,
        (
            "evidence_app.crypto",
            "evidence_app.store",
            "evidence_app.rules",
            "evidence_app.channels",
        ),
    ),
    (
        1,
        (
            "evidence_app.model",
            "evidence_app.fieldpath",
            "evidence_app.messages",
            "evidence_app.validators",
            "evidence_app.errors",
            "evidence_app.i18n",
            "evidence_app.jobs",
            "evidence_app.resources",
            "evidence_app.durable",
            "evidence_app",
        ),
    ),
]


def floor_of(module: str) -> int:
    for floor, prefixes in FLOORS:
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                return floor
    raise AssertionError(f"{module} is on no floor: add it to FLOORS and docs/architecture.md")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_only_nodes(tree: ast.AST) -> set[int]:
    """The import statements under ``if TYPE_CHECKING:`` (erased at run time)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                out.update(id(n) for n in ast.walk(child))
    return out


def imports_of(path: Path, name: str, known: set[str], *, types: bool = True) -> set[str]:
    """Every evidence_app module ``path`` imports, wherever the import statement sits
    (module level, in a function); ``types=False`` leaves out type-only imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text("utf-8"), str(path))
    skip = set() if types else _type_only_nodes(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in known else base)
    # Resolve "evidence_app.x.y.Name" to the longest known module.
    out = set()
    for target in found:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name and target.startswith("evidence_app"):
            out.add(target)
    return out


def graph(*, types: bool = True) -> dict[str, set[str]]:
    modules = all_modules()
    known = set(modules)
    return {name: imports_of(path, name, known, types=types) for name, path in modules.items()}


def upward_arrows(edges: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{a} (floor {floor_of(a)}) -> {b} (floor {floor_of(b)})"
        for a, targets in edges.items()
        for b in targets
        # A package's __init__ may re-export what lies below it; a module may import its
        # own package's __init__ only if that is not above it.
        if floor_of(b) > floor_of(a)
    )


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_no_upward_arrow_and_no_cycle():
    edges = graph()
    up = upward_arrows(edges)  # type-only imports too: no floor may even name one above
    loops = cycles(graph(types=False))  # what runs: type-only imports are erased
    print(
        f"\nlayering: {len(edges)} modules, {sum(map(len, edges.values()))} imports; "
        f"{len(up)} upward arrows, {len(loops)} cycles"
    )
    for line in up:
        print("  UP   ", line)
    for loop in loops:
        print("  CYCLE", " <-> ".join(loop))
    assert not up and not loops


def test_the_guard_sees_function_level_imports(tmp_path):
    """The parser finds an import hidden inside a function (the way cycles were hidden)."""
    source = tmp_path / "evidence_app" / "store" / "x.py"
    source.parent.mkdir(parents=True)
    source.write_text("def f():\n    from evidence_app.ui.app import run_app\n", "utf-8")
    found = imports_of(source, "evidence_app.store.x", {"evidence_app.ui.app"})
    assert found == {"evidence_app.ui.app"}
    assert upward_arrows({"evidence_app.store.x": found})
    assert cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
