"""Print pacsite's import graph: each module and the pacsite modules it imports, then its cycles.

    python tools/imports.py            # module -> imports (lazy ones marked), cycles, private names
    python tools/imports.py --dot      # the graph for Graphviz: ... | dot -Tsvg > imports.svg

Read from the source with ``ast``, nothing is imported. Every import
counts: at the top of a module, inside a function (``lazy``: made when
called, often to keep ``pacsite check`` from importing Jinja) and under
``if TYPE_CHECKING:`` (``typing``): each is a dependency a reader has to
know about, and a cycle through any of them is one the layout should not
have. ``tests/test_architecture.py`` checks the cycles and the private
names against short lists that may only shrink.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "pacsite"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE


@dataclass(frozen=True)
class Import:
    """One pacsite module imported by another, where and how."""

    source: str  # pacsite.figures.trend
    target: str  # pacsite.load.loader
    line: int
    kind: str  # "top", "lazy" (inside a function) or "typing" (under TYPE_CHECKING)
    names: tuple[str, ...] = ()  # what ``from target import …`` takes, if anything


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Return every module of the package by dotted name (a package by its ``__init__``)."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(body: list[ast.stmt], kind: str) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    """Yield each import statement with its kind, looking into functions, classes and blocks."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, kind
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _walk(node.body, "lazy" if kind == "top" else kind)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _walk(node.body, "typing")
            yield from _walk(node.orelse, kind)
        else:  # class bodies, try, with, if, for…: run when the block is
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list) and inner:
                    blocks = [h.body for h in inner] if field == "handlers" else [inner]
                    for block in blocks:
                        yield from _walk(block, kind)


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(root: Path = ROOT) -> list[Import]:
    """Return every import of a pacsite module by a pacsite module."""
    known = modules(root)
    found: list[Import] = []
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, kind in _walk(tree.body, "top"):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in known:
                        found.append(Import(module, alias.name, node.lineno, kind))
                continue
            target = _absolute(module, node, path.name == "__init__.py")
            if target not in known:
                continue
            taken: list[str] = []
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in known:  # from pacsite import trend: the module trend
                    found.append(Import(module, submodule, node.lineno, kind))
                else:
                    taken.append(alias.name)
            if taken:
                found.append(Import(module, target, node.lineno, kind, tuple(taken)))
    return found


def graph(found: list[Import], kinds: tuple[str, ...] = ("top", "lazy", "typing")) -> dict[str, set[str]]:
    """Return module -> the modules it imports (itself excluded), for imports of the given kinds."""
    edges: dict[str, set[str]] = {m: set() for m in modules()}
    for i in found:
        if i.kind in kinds and i.target != i.source:
            edges.setdefault(i.source, set()).add(i.target)
    return edges


def packages(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """Return the graph between the stages' sub-packages (``load``, ``site``…) and top-level modules."""
    def part(module: str) -> str:
        names = module.split(".")
        return names[1] if len(names) > 1 else names[0]

    found: dict[str, set[str]] = {}
    for source, targets in edges.items():
        found.setdefault(part(source), set()).update(part(t) for t in targets if part(t) != part(source))
    return found


def cycles(edges: dict[str, set[str]]) -> set[tuple[str, ...]]:
    """Return the import cycles: each group of modules that import one another, sorted (Tarjan's SCCs)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: set[tuple[str, ...]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.add(tuple(sorted(group)))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def private_names(found: list[Import]) -> set[tuple[str, str]]:
    """Return (importer, 'module._name') for each private name one pacsite module takes from another."""
    return {(i.source, f"{i.target}.{name}") for i in found for name in i.names
            if name.startswith("_") and not name.startswith("__") and i.target != i.source}


def private_attributes(root: Path = ROOT) -> set[tuple[str, str]]:
    """Return (user, 'module._name') for each ``module._name`` read through an imported pacsite module."""
    known = modules(root)
    found: set[tuple[str, str]] = set()
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        bound: dict[str, str] = {}
        for node, _ in _walk(tree.body, "top"):
            for alias in node.names:
                if isinstance(node, ast.Import) and alias.name in known and alias.asname:
                    bound[alias.asname] = alias.name
                elif isinstance(node, ast.ImportFrom):
                    target = f"{_absolute(module, node, path.name == '__init__.py')}.{alias.name}"
                    if target in known:
                        bound[alias.asname or alias.name] = target
        for used in ast.walk(tree):
            if (isinstance(used, ast.Attribute) and isinstance(used.value, ast.Name) and used.value.id in bound
                    and used.attr.startswith("_") and not used.attr.startswith("__")
                    and bound[used.value.id] != module):
                found.add((module, f"{bound[used.value.id]}.{used.attr}"))
    return found


def short(name: str) -> str:
    """Drop the package's name: ``pacsite.load.loader`` -> ``loader``."""
    return name.removeprefix(f"{PACKAGE}.")


def main(argv: list[str] | None = None) -> int:
    """Print the graph, its cycles and the private names taken; 1 if there is a cycle."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dot", action="store_true", help="print the graph for Graphviz")
    args = parser.parse_args(argv)
    found = imports()
    edges = graph(found)
    if args.dot:
        print("digraph pacsite {\n  rankdir=LR; node [shape=box, fontsize=10];")
        for i in sorted({(i.source, i.target, i.kind) for i in found if i.source != i.target}):
            style = {"top": "solid", "lazy": "dashed", "typing": "dotted"}[i[2]]
            print(f'  "{short(i[0])}" -> "{short(i[1])}" [style={style}];')
        print("}")
        return 0
    kinds = {(i.source, i.target): i.kind for i in sorted(found, key=lambda i: i.kind != "top")}
    for module in sorted(edges):
        targets = [short(t) + ("" if kinds[module, t] == "top" else f" ({kinds[module, t]})")
                   for t in sorted(edges[module])]
        print(f"{short(module)} -> {', '.join(targets) or '-'}")
    found_cycles = sorted(cycles(edges))
    print("\ncycles:" if found_cycles else "\nno cycle")
    for group in found_cycles:
        print("  " + " <-> ".join(short(m) for m in group))
    private = sorted(private_names(found) | private_attributes())
    if private:
        print("\nprivate names taken from another module:")
        for importer, name in private:
            print(f"  {short(importer)} uses {short(name)}")
    return 1 if found_cycles else 0


if __name__ == "__main__":
    sys.exit(main())
