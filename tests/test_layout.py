"""The package's shape, checked: dependencies point down, nothing imports
the command layer, no import cycles, imports at module level, short
functions, and every package says what it owns (no SQL outside store/ is
tests/store/test_no_sql_outside_store.py).

Read from the code's own syntax trees, so a change that breaks the layout
fails here with the file and line, not in a later review."""
from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "syndicate"

# Lower number = lower layer. A module may import its own layer or lower.
LAYERS = [
    ("syndicate.cli", 6),
    ("syndicate.daemon", 5),
    ("syndicate.serve", 5),
    ("syndicate.pipeline", 4),
    ("syndicate.websub", 3),
    ("syndicate.publish", 3),
    ("syndicate.review", 3),
    ("syndicate.glossary", 3),
    ("syndicate.sources", 3),
    ("syndicate.translate", 2),
    ("syndicate.store", 1),
    ("syndicate.lock", 1),
    ("syndicate.schedule", 1),
    ("syndicate.logs", 1),
    ("syndicate.config", 0),
    ("syndicate.exitcodes", 0),
    ("syndicate.article", 0),
    ("syndicate.text", 0),
    ("syndicate", 0),
]
MAX_FUNCTION_LINES = 75


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        parts = p.relative_to(PKG.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = p
    return out


MODULES = _modules()


def _layer(name: str) -> int:
    for prefix, rank in LAYERS:
        if name == prefix or name.startswith(prefix + "."):
            return rank
    raise AssertionError(f"{name}: no layer assigned in tests/test_layout.py")


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(importer: str, node: ast.ImportFrom) -> list[str]:
    """Package modules named by a `from X import a, b` (a and b may be modules)."""
    if node.level:
        base = importer.split(".") if _is_package(importer) else importer.split(".")[:-1]
        base = base[: len(base) - node.level + 1]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES]
    # `from . import inbox` depends on the submodule only, not on the package's face.
    names_only = len(subs) < len(node.names)
    return ([target] if target in MODULES and names_only else []) + subs


def _imports(name: str, tree: ast.Module, top_level: bool):
    """(line, imported module) for package imports at module level, or
    (top_level=False) inside functions."""
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        inside = node.col_offset > 0
        if inside == top_level:
            continue
        if isinstance(node, ast.ImportFrom):
            for t in _resolve(name, node):
                yield node.lineno, t
        else:
            for a in node.names:
                if a.name in MODULES:
                    yield node.lineno, a.name


def _trees():
    return {name: ast.parse(p.read_text(encoding="utf-8"), str(p)) for name, p in MODULES.items()}


def test_dependencies_point_down_and_nothing_imports_the_command_layer():
    bad = []
    for name, tree in _trees().items():
        for line, target in _imports(name, tree, top_level=True):
            if target.startswith("syndicate.cli") and not name.startswith("syndicate.cli"):
                bad.append(f"{MODULES[name]}:{line}: imports the command layer {target}")
            elif _layer(target) > _layer(name):
                bad.append(f"{MODULES[name]}:{line}: {name} (layer {_layer(name)}) imports {target} (layer {_layer(target)})")
    assert not bad, "\n".join(bad)


def test_no_import_cycles():
    graph = {name: set() for name in MODULES}
    for name, tree in _trees().items():
        for _, target in _imports(name, tree, top_level=True):
            # A package importing its own submodules to re-export them is its face, not a cycle.
            if target != name and not target.startswith(name + "."):
                graph[name].add(target)
    # Tarjan's strongly connected components.
    index, low, stack, on, sccs, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    assert not sccs, "import cycles: " + "; ".join(" <-> ".join(c) for c in sccs)


def test_package_modules_are_imported_at_module_level():
    """An import inside a function hides a dependency; the only reason
    allowed is deferring a heavy optional dependency, said in a comment
    containing "deferred" on the import line or in the few lines above it."""
    bad = []
    for name, tree in _trees().items():
        lines = MODULES[name].read_text(encoding="utf-8").splitlines()
        for line, target in _imports(name, tree, top_level=False):
            context = " ".join(lines[max(0, line - 5): line])
            if "deferred" not in context.lower():
                bad.append(f"{MODULES[name]}:{line}: imports {target} inside a function")
    assert not bad, "\n".join(bad)


def test_the_scan_sees_imports_both_at_module_level_and_inside_functions():
    # So that a pass above means something: known edges are found.
    trees = _trees()
    assert ("syndicate.store" in {t for _, t in _imports("syndicate.pipeline", trees["syndicate.pipeline"], True)})
    assert "syndicate.translate.ctranslate" in {
        t for _, t in _imports("syndicate.translate.engine", trees["syndicate.translate.engine"], False)}


def test_functions_fit_in_a_readers_head():
    long = []
    for name, p in MODULES.items():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{p}:{node.lineno}: {node.name} is {n} lines")
    assert not long, "\n".join(long)


def test_every_package_says_what_it_owns():
    bare = [str(p) for name, p in MODULES.items()
            if p.name == "__init__.py" and name != "syndicate" and not ast.get_docstring(ast.parse(p.read_text()))]
    assert not bare, bare


def test_layers_name_every_module():
    for name in MODULES:
        _layer(name)
