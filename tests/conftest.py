"""Shared fixtures: plans made of real files, and one build of the example."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from pacsite.build import build
from pacsite.errors import Diagnostics

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_TODAY = date(2027, 6, 30)

MakePlan = Callable[[dict[str, str | bytes]], Path]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--accept-golden", action="store_true",
                     help="rewrite tests/golden/ from the built example (tests/test_golden.py); "
                          "or PACSITE_ACCEPT_GOLDEN=1")
    parser.addoption("--slow", action="store_true",
                     help="also run the tests marked slow: real processes, browsers, the Nu checker (make test-all)")


SLOW_LEFT_OUT = pytest.StashKey[int]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the tests marked slow unless ``--slow`` is given or ``-m`` names them."""
    if config.getoption("--slow") or "slow" in (config.getoption("markexpr") or ""):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]
    config.stash[SLOW_LEFT_OUT] = len(slow)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if config.stash.get(SLOW_LEFT_OUT, 0):
        terminalreporter.write_line(f"{config.stash[SLOW_LEFT_OUT]} slow tests left out "
                                    "(real processes, browsers, the Nu checker): add --slow, or make test-all")


def write_plan(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{path: text}`` under ``root``; text is dedented."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


MINIMAL = {
    "content/_index.md": """
        ---
        title: Plan test
        company: ACME
        ---
        Bonjour.
        """,
    "content/actions/01-etudes/_index.md": """
        ---
        title: Études
        ---
        """,
    "content/actions/01-etudes/01-clients.md": """
        ---
        title: Clients
        budget: 1000
        start: 2027-01-01
        end: 2027-01-31
        ---
        Texte.
        """,
}


@pytest.fixture
def make_plan(tmp_path: Path) -> MakePlan:
    """Return a function writing a plan folder (MINIMAL plus the given files)."""

    def make(files: dict[str, str | bytes], base: bool = True) -> Path:
        root = tmp_path / "plan"
        return write_plan(root, {**(MINIMAL if base else {}), **files})

    return make  # type: ignore[return-value]


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the example plan once for the session; return the output folder."""
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    out = root / "public"
    diagnostics = Diagnostics()
    build(root, diagnostics, out, today=EXAMPLE_TODAY)
    assert not diagnostics.has_errors(), diagnostics.render()
    return out


def _two_commits(root: Path) -> None:
    """Make ``root`` a git repository of two commits (the second raises a phase's budget)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root), "GIT_AUTHOR_NAME": "Claire Martin",
           "GIT_AUTHOR_EMAIL": "c@example.org", "GIT_COMMITTER_NAME": "Claire Martin",
           "GIT_COMMITTER_EMAIL": "c@example.org", "GIT_AUTHOR_DATE": "2027-01-04T09:00:00",
           "GIT_COMMITTER_DATE": "2027-01-04T09:00:00"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "The plan for 2027")
    phase = next((root / "content/actions").glob("01-*/01-*.md"))
    phase.write_text(phase.read_text(encoding="utf-8").replace("budget: 9800", "budget: 9900"), encoding="utf-8")
    env.update(GIT_AUTHOR_DATE="2027-02-15T10:00:00", GIT_COMMITTER_DATE="2027-02-15T10:00:00")
    git("commit", "-q", "-a", "-m", "Market study: budget raised")


@pytest.fixture(scope="session")
def example_site_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the example plan in English (``language: en``) once for the session; return the output folder."""
    root = tmp_path_factory.mktemp("example-en")
    shutil.copytree(REPO / "content", root / "content")
    settings = (REPO / "pacsite.yaml").read_text(encoding="utf-8")
    assert "language: fr\n" in settings
    (root / "pacsite.yaml").write_text(settings.replace("language: fr\n", "language: en\n"), encoding="utf-8")
    _two_commits(root)  # so that the quality checks see the history: last changes, the changes page
    out = root / "public"
    diagnostics = Diagnostics()
    build(root, diagnostics, out, today=EXAMPLE_TODAY)
    assert not diagnostics.has_errors(), diagnostics.render()
    return out
