"""A clean build renders its pages in worker processes: the same bytes as one process, errors reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pacsite import parallel
from pacsite.build import build
from pacsite.errors import Diagnostics, PacsiteError
from pacsite.memo import BuildCache
from tests.conftest import EXAMPLE_TODAY, REPO


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")}


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "pacsite.yaml", tmp_path / "pacsite.yaml")
    return tmp_path


def test_workers_write_the_same_site_as_one_process(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PAGES_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "workers", lambda pages: 3)  # more processes than cores: still the same
    report = build(plan, Diagnostics(), plan / "many", today=EXAMPLE_TODAY)
    # the live preview's path renders every page in this process, into memory, then writes them
    build(plan, Diagnostics(), plan / "one", today=EXAMPLE_TODAY, cache=BuildCache())
    many, one = snapshot(plan / "many"), snapshot(plan / "one")
    assert report.pages == 95 and len(many) == report.files + 1  # + the output marker
    assert many.keys() == one.keys()
    assert [p for p in many if many[p] != one[p]] == []


def test_an_error_in_a_worker_stops_the_build_and_keeps_the_old_site(plan: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda pages: 2)
    build(plan, Diagnostics(), plan / "public", today=EXAMPLE_TODAY)
    before = snapshot(plan / "public")
    (plan / "templates").mkdir()
    (plan / "templates" / "phase.html").write_text('{% extends "base.html" %}{% block content %}'
                                                  '{{ row.phase.no_such_field }}{% endblock %}')
    with pytest.raises(PacsiteError, match=r"phase\.html: template error on actions/.+no_such_field"):
        build(plan, Diagnostics(), plan / "public", today=EXAMPLE_TODAY)
    assert snapshot(plan / "public") == before
    assert not list(plan.glob(".public.tmp-*"))  # no staging folder left behind


def test_small_plans_stay_in_one_process() -> None:
    assert parallel.workers(95) == 1
    assert parallel.workers(10_000) >= 1


def test_a_broken_link_in_a_phase_found_by_a_worker_is_an_error_with_its_line(
        plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda pages: 2)
    build(plan, Diagnostics(), plan / "public", today=EXAMPLE_TODAY)
    before = snapshot(plan / "public")
    phase = next((plan / "content" / "actions").glob("*/*-*.md"))
    text = phase.read_text(encoding="utf-8")
    phase.write_text(text + "\nVoir [la fiche](nulle-part.md).\n", encoding="utf-8")
    line = len((text + "\nVoir").splitlines())
    diagnostics = Diagnostics()
    with pytest.raises(PacsiteError):
        build(plan, diagnostics, plan / "public", today=EXAMPLE_TODAY)
    [error] = diagnostics.errors
    assert error.path == phase.relative_to(plan).as_posix() and error.line == line
    assert "nulle-part.md" in error.message
    assert snapshot(plan / "public") == before
