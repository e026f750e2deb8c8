"""The layout rules of docs/overview.md, checked on the source so they cannot drift.

* no import cycle between the package's modules (deferred imports inside functions count;
  ``TYPE_CHECKING`` blocks are left out: they never run);
* no module over 400 lines unless its docstring says why (it names the 400 lines);
* tiktoken's internals are reached only in tokencmp/encodings/adapter.py;
* maintainer tooling (tokencmp/maintain) is never imported by the library.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tokencmp"
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path) -> set[str]:
    """The package modules ``name`` imports, at its top or inside its functions (deferred imports
    are still dependencies: a cycle through one is a cycle)."""
    tree = ast.parse(path.read_text("utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If):
                if not _is_type_checking(node):
                    visit(node.body)
                    visit(node.orelse)
            elif isinstance(node, (ast.Try, ast.With, ast.For, ast.While)):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)
                visit(getattr(node, "finalbody", []))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                visit(node.body)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("tokencmp"))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    module = ".".join([*base, node.module] if node.module else base)
                else:
                    module = node.module or ""
                if not module.startswith("tokencmp"):
                    continue
                found.add(module)
                for alias in node.names:  # `from . import segment` imports a module
                    if f"{module}.{alias.name}" in MODULES:
                        found.add(f"{module}.{alias.name}")

    visit(tree.body)
    return {m for m in found if m in MODULES and m != name}


def test_the_package_has_no_import_cycles() -> None:
    graph = {name: _imports(name, path) for name, path in MODULES.items()}
    # Importing a package's submodule runs the package first, but a package re-exporting its own
    # submodules is not a cycle: drop the edge from a submodule to its parent packages.
    for name, deps in graph.items():
        graph[name] = {d for d in deps if not name.startswith(d + ".")}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def walk(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*stack[stack.index(dep):], dep])
            elif dep not in state:
                walk(dep, [*stack, dep])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_long_module_says_why(name: str) -> None:
    path = MODULES[name]
    lines = len(path.read_text("utf-8").splitlines())
    if lines <= MAX_LINES:
        return
    doc = ast.get_docstring(ast.parse(path.read_text("utf-8"))) or ""
    assert "400 lines" in doc, f"{path.name} has {lines} lines and its docstring does not say why"


def test_only_the_adapter_touches_tiktoken_internals() -> None:
    allowed = PACKAGE / "encodings" / "adapter.py"
    for path in MODULES.values():
        if path == allowed:
            continue
        text = path.read_text("utf-8")
        for internal in ("_core_bpe", "__code__"):
            assert internal not in text, f"{path.relative_to(PACKAGE.parent)} uses {internal}"


def test_the_library_never_imports_maintainer_tooling() -> None:
    for name, path in MODULES.items():
        if name.startswith("tokencmp.maintain"):
            continue
        imported = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.update(node.module.split("."))
                imported.update(a.name for a in node.names)  # from . import maintain
            elif isinstance(node, ast.Import):
                imported.update(part for a in node.names for part in a.name.split("."))
        assert "maintain" not in imported, name
