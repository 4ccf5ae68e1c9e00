"""The layout's rules, read from the source: no import cycle, no private name taken from another module.

Both lists below are debts being paid: they may only shrink. A new cycle
or a new private name fails; so does one that is gone but still listed,
so that the list says what is true. ``python tools/imports.py`` prints
the whole graph.
"""

from __future__ import annotations

import ast
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


# the stages' packages: each public function is a stage, or a part of one
STAGES = ("load", "figures", "site", "render")
# what only the reuse layer may hold: a stage is given its inputs, never a store of results
REUSE_TYPES = ("Reuse", "Session", "Stamped", "Fragments")
REUSE_NAMES = {"cache", "reuse", "memo", "session", "store"}
# the one allowed: the theme's templates ask for their pieces by name (``{% call fragment(…) %}``, Hugo's
# ``partialCached``), from inside the render; the reuse layer hands in those it kept (``output.parallel``,
# ``serve.preview``)
ALLOWED = {"pacsite/render/page.py: render_page(fragments: Fragments | None)"}


def stage_parameters_that_hold_results(root: Path) -> list[str]:
    """The parameters of the stages' public functions (and methods) that are a store of results: the reuse
    layer's types (``REUSE_TYPES``), or a name that says it is one (``REUSE_NAMES``)."""
    found = []
    for package in STAGES:
        for path in sorted((root / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name.startswith("_"):
                    continue
                for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
                    written = ast.unparse(arg.annotation) if arg.annotation else ""
                    if arg.arg in REUSE_NAMES or any(name in written for name in REUSE_TYPES):
                        found.append(f"{path.relative_to(root.parent)}: {node.name}({arg.arg}: {written})")
    return found


def test_no_stage_takes_a_store_of_results() -> None:
    """The reuse layer wraps the stages (``build.py``, ``routes.py``, ``serve``): no stage is handed it."""
    found = set(stage_parameters_that_hold_results(Path(__file__).resolve().parent.parent / "pacsite"))
    assert found - ALLOWED == set()
    assert ALLOWED - found == set(), "no longer taken: take it off ALLOWED"


def test_a_stage_given_the_store_is_found(tmp_path: Path) -> None:
    root = tmp_path / "pacsite"
    (root / "load").mkdir(parents=True)
    (root / "load" / "loader.py").write_text(
        "def load_plan(root, cache=None): ...\n"
        "def _private(reuse): ...\n"
        "class Reader:\n    def read(self, files: 'Stamped | None'): ...\n")
    assert stage_parameters_that_hold_results(root) == [
        "pacsite/load/loader.py: load_plan(cache: )",
        "pacsite/load/loader.py: read(files: 'Stamped | None')",
    ]


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
