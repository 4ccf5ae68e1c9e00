"""The layout's rules, read from the source: no import cycle, no private name taken from another module.

Both lists below are debts being paid: they may only shrink. A new cycle
or a new private name fails; so does one that is gone but still listed,
so that the list says what is true. ``python tools/imports.py`` prints
the whole graph.
"""

from __future__ import annotations

from pathlib import Path

from tools.imports import cycles, graph, imports, packages, private_attributes, private_names

# modules that import one another (through any import: at the top, in a function or for typing)
KNOWN_CYCLES: set[tuple[str, str]] = set()

# the stages' packages (and the top-level modules) that still import one another
KNOWN_PACKAGE_CYCLES: set[tuple[str, str]] = set()

# (importer, the private name it takes)
KNOWN_PRIVATE: set[tuple[str, str]] = set()


def test_no_new_import_cycle() -> None:
    found = cycles(graph(imports()))
    assert found - KNOWN_CYCLES == set(), "a new import cycle: see `python tools/imports.py`"
    assert KNOWN_CYCLES - found == set(), "a known cycle is gone: take it off KNOWN_CYCLES"


def test_the_packages_form_a_pipeline() -> None:
    """Drawn between the stages' packages, the imports go one way: load → figures → site → render → output."""
    found = cycles(packages(graph(imports())))
    assert found - KNOWN_PACKAGE_CYCLES == set(), "a new cycle between packages: see `python tools/imports.py`"
    assert KNOWN_PACKAGE_CYCLES - found == set(), "a known cycle is gone: take it off KNOWN_PACKAGE_CYCLES"


def test_no_new_private_name_taken_from_another_module() -> None:
    found = private_names(imports()) | private_attributes()
    assert found - KNOWN_PRIVATE == set(), "make the name public, or keep it in its module"
    assert KNOWN_PRIVATE - found == set(), "a private name is no longer taken: take it off KNOWN_PRIVATE"


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_the_graph_sees_every_kind_of_import(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "a.py": "from typing import TYPE_CHECKING\nfrom pkg import b\nif TYPE_CHECKING:\n    from pkg.c import X\n",
        "b.py": "def f():\n    from pkg.c import _hidden\n    return _hidden\n",
        "c.py": "from . import a\nimport pkg.b as bee\nbee._secret()\n",
        "sub/__init__.py": "from .inner import y\n",
        "sub/inner.py": "y = 1\n",
    })
    found = imports(root)
    assert {(i.source, i.target, i.kind) for i in found} == {
        ("pkg.a", "pkg.b", "top"), ("pkg.a", "pkg.c", "typing"), ("pkg.b", "pkg.c", "lazy"),
        ("pkg.c", "pkg.a", "top"), ("pkg.c", "pkg.b", "top"), ("pkg.sub", "pkg.sub.inner", "top")}
    edges: dict[str, set[str]] = {}
    for i in found:
        edges.setdefault(i.source, set()).add(i.target)
    assert cycles(edges) == {("pkg.a", "pkg.b", "pkg.c")}
    assert private_names(found) == {("pkg.b", "pkg.c._hidden")}
    assert private_attributes(root) == {("pkg.c", "pkg.b._secret")}
