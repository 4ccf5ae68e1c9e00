"""A clean build renders its pages in worker processes: the same bytes as one process, errors reported."""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from pacsite.build import build
from pacsite.errors import Diagnostics, PacsiteError
from pacsite.load import processes
from pacsite.output import parallel
from pacsite.serve.preview import rebuild
from pacsite.serve.session import Session
from tests.conftest import EXAMPLE_TODAY, REPO


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")}


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "pacsite.yaml", tmp_path / "pacsite.yaml")
    return tmp_path


@pytest.mark.parametrize("ahead", [False, True], ids=["texts in the page workers", "texts rendered ahead"])
def test_workers_write_the_same_site_as_one_process(plan: Path, monkeypatch: pytest.MonkeyPatch,
                                                     ahead: bool) -> None:
    monkeypatch.setattr(parallel, "MIN_PAGES_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "workers", lambda *args: 3)  # more processes than cores: still the same
    monkeypatch.setattr(processes, "workers", lambda *args: 2 if ahead else 1)  # the texts' worker, or none
    ready: list[int] = []
    start = parallel.start

    def starting(*args: Any, **options: Any) -> parallel.Rendering:
        ready.append(len(args[7].ready))  # the Markdown the page workers are given
        return start(*args, **options)

    monkeypatch.setattr(parallel, "start", starting)
    report = build(plan, Diagnostics(), plan / "many", today=EXAMPLE_TODAY)
    assert ready == [54 if ahead else 0]  # every phase's texts rendered ahead by their worker, or none
    # the live preview's path renders every page in this process, into memory, then writes them
    rebuild(plan, Diagnostics(), plan / "one", EXAMPLE_TODAY, Session())
    many, one = snapshot(plan / "many"), snapshot(plan / "one")
    assert report.pages == 96 and len(many) == report.files + 1  # + the output marker
    assert many.keys() == one.keys()
    assert [p for p in many if many[p] != one[p]] == []


def test_an_error_in_a_worker_stops_the_build_and_keeps_the_old_site(plan: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda *args: 2)
    build(plan, Diagnostics(), plan / "public", today=EXAMPLE_TODAY)
    before = snapshot(plan / "public")
    (plan / "templates").mkdir()
    (plan / "templates" / "phase.html").write_text('{% extends "base.html" %}{% block content %}'
                                                  '{{ row.phase.no_such_field }}{% endblock %}')
    with pytest.raises(PacsiteError, match=r"phase\.html: template error on actions/.+no_such_field"):
        build(plan, Diagnostics(), plan / "public", today=EXAMPLE_TODAY)
    assert snapshot(plan / "public") == before
    assert not list(plan.glob(".public.tmp-*"))  # no staging folder left behind


def test_a_template_error_met_by_the_workers_names_the_same_page_every_time(
        plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages are taken in turn, by whichever worker is free: of two failing pages, the first in the site's
    order is the one reported, whichever worker met it, build after build."""
    monkeypatch.setattr(parallel, "workers", lambda *args: 2)
    (plan / "templates").mkdir()
    (plan / "templates" / "phase.html").write_text(
        '{% extends "base.html" %}{% block content %}'
        '{% if page.path.endswith("/concurrence/index.html") %}{{ row.phase.first_missing }}{% endif %}'
        '{% if page.path.endswith("/newsletter/index.html") %}{{ row.phase.second_missing }}{% endif %}'
        '{% endblock %}')
    messages = set()
    for _ in range(4):
        with pytest.raises(PacsiteError) as caught:
            build(plan, Diagnostics(), plan / "public", today=EXAMPLE_TODAY)
        messages.add(str(caught.value))
    [message] = messages
    assert "concurrence" in message and "first_missing" in message


def _dies_or_waits(share: int, jobs: int) -> None:
    import os
    import signal
    import time

    if share == 1:
        os.kill(os.getpid(), signal.SIGKILL)  # killed, as the out-of-memory killer would, perhaps holding a turn
    time.sleep(600)  # the other: waiting for ever on the turn the dead one held


def test_a_worker_that_dies_stops_the_others_at_once() -> None:
    import signal
    import time

    def too_long(*args: object) -> None:
        raise AssertionError("the build waited for a worker that waits for ever")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(60)
    started = time.monotonic()
    try:
        shares = processes.Shares(_dies_or_waits, 2)
        with pytest.raises(PacsiteError, match="worker"):
            shares.results()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 30
    assert shares.children == []


def test_small_plans_stay_in_one_process() -> None:
    assert parallel.workers(2 * parallel.MIN_PAGES_PER_WORKER - 1) == 1
    assert parallel.workers(10_000) >= 1


def _taken(turns: processes.Turns, seconds: dict[int, float], share: int, jobs: int) -> list[int]:
    import time

    taken = []
    for index in turns.take():
        taken.append(index)
        time.sleep(seconds.get(index, 0.0))
    return taken


def test_workers_take_the_pages_in_turn_each_page_once() -> None:
    """Taken in turn, heaviest first: the worker that got the slow page took few others, none twice."""
    order = [7, *range(7), *range(8, 40)]  # page 7 is the slow one (a table of every phase): first
    turns = processes.Turns(order, 2)
    first, second = processes.Shares(partial(_taken, turns, {7: 0.3}), 2).results()
    assert sorted(first + second) == list(range(40))
    slow, other = (first, second) if 7 in first else (second, first)
    assert slow[0] == 7 and len(slow) < len(other)  # the other worker did the rest meanwhile
    assert list(processes.Turns(order, 1).take()) == order  # one job: a plain loop, in the given order


@pytest.mark.parametrize("ahead", [False, True], ids=["texts in the page workers", "texts rendered ahead"])
def test_a_broken_link_in_a_phase_found_by_a_worker_is_an_error_with_its_line(
        plan: Path, monkeypatch: pytest.MonkeyPatch, ahead: bool) -> None:
    monkeypatch.setattr(parallel, "workers", lambda *args: 2)
    monkeypatch.setattr(processes, "workers", lambda *args: 2 if ahead else 1)
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
    assert "nulle-part.md" in error.text()
    assert snapshot(plan / "public") == before


def test_the_live_preview_writes_the_pages_before_the_downloads(plan: Path) -> None:
    cache = Session()
    rebuild(plan, Diagnostics(), plan / "public", EXAMPLE_TODAY, cache)
    phase = plan / "content" / "actions" / "01-etudes-de-marche" / "02-concurrence.md"
    text = phase.read_text(encoding="utf-8")
    assert "budget_prevu: 4500" in text  # a French alias of budget
    phase.write_text(text.replace("budget_prevu: 4500", "budget_prevu: 4700"), encoding="utf-8")
    seen: dict[str, object] = {}

    def on_pages(paths: tuple[str, ...]) -> None:
        seen["paths"] = paths
        seen["json"] = (plan / "public" / "plan.json").read_text(encoding="utf-8")
        seen["page"] = (plan / "public" / "actions/etudes-de-marche/concurrence/index.html").read_text("utf-8")

    report = rebuild(plan, Diagnostics(), plan / "public", EXAMPLE_TODAY, cache, on_pages)
    paths = seen["paths"]
    assert isinstance(paths, tuple)
    # the phase, its family and the plan-wide tables are on disk with the new amount; the downloads are not yet
    assert {"actions/etudes-de-marche/concurrence/index.html", "actions/etudes-de-marche/index.html",
            "budget/index.html", "plan/index.html", "index.html"} <= set(paths)
    assert not any(p.endswith((".json", ".xlsx", ".csv", ".ics")) for p in paths)
    assert "4\u202f700,00" in str(seen["page"])
    assert '"4500.00"' in str(seen["json"]) and '"4700.00"' not in str(seen["json"])
    assert '"4700.00"' in (plan / "public" / "plan.json").read_text(encoding="utf-8")
    assert report.changed is not None and "plan.json" in report.changed and "plan.xlsx" in report.changed


@pytest.mark.parametrize("command", ["check", "build"])
def test_every_error_at_once_broken_links_in_texts_too(plan: Path, monkeypatch: pytest.MonkeyPatch,
                                                       command: str) -> None:
    from pacsite.build import plan_site

    monkeypatch.setattr(parallel, "workers", lambda *args: 2)
    monkeypatch.setattr(processes, "workers", lambda *args: 2)  # the files parsed by workers too
    phases = sorted((plan / "content" / "actions").glob("*/*-*.md"))
    linked, broken, unreadable = phases[3], phases[10], phases[20]
    unreadable.write_text("---\ntitle: [pas fermé\n---\n", encoding="utf-8")  # parsed by a worker: a YAML error
    linked.write_text(linked.read_text(encoding="utf-8") + "\nVoir [ici](absent.md).\n", encoding="utf-8")
    broken.write_text(broken.read_text(encoding="utf-8").replace("---\n", "---\nbudget: douze\n", 1),
                      encoding="utf-8")
    diagnostics = Diagnostics()
    if command == "check":
        site = plan_site(plan, diagnostics, EXAMPLE_TODAY)
        for source, line, message in parallel.markdown_errors(site.pages, site.md, 2):
            diagnostics.error(source, line, None, message)
    else:
        with pytest.raises(PacsiteError):
            build(plan, diagnostics, plan / "public", today=EXAMPLE_TODAY)
    paths = {d.path for d in diagnostics.errors}
    assert {p.relative_to(plan).as_posix() for p in (linked, broken, unreadable)} <= paths
    [yaml_error] = [d for d in diagnostics.errors if d.path == unreadable.relative_to(plan).as_posix()]
    assert yaml_error.line is not None and yaml_error.line >= 2


@pytest.mark.parametrize("command", ["check", "build"])
def test_files_parsed_ahead_give_the_same_result(plan: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str], command: str) -> None:
    """`check` and `build` fork their parsing workers before importing the rest: the same diagnostics, same site."""
    from pacsite.cli import main

    phases = sorted((plan / "content" / "actions").glob("*/*-*.md"))
    phases[5].write_text("---\ntitle: [pas fermé\n---\n", encoding="utf-8")  # a YAML error, from a worker
    outputs = []
    for jobs in (1, 2):
        monkeypatch.setattr(processes, "workers", lambda *args, n=jobs: n)
        monkeypatch.setattr(parallel, "workers", lambda *args, n=jobs: n)
        started = []
        real = processes.Shares.__init__

        def counting(self: processes.Shares, work: object, count: int, real: object = real,
                     started: list[int] = started, **options: object) -> None:
            started.append(count)
            real(self, work, count, **options)  # type: ignore[operator]

        monkeypatch.setattr(processes.Shares, "__init__", counting)
        argv = [command, str(plan), "--today", "2027-06-30"] + (["-o", str(plan / f"out{jobs}")] if command == "build"
                                                                 else [])
        assert main(argv) == 1
        outputs.append(capsys.readouterr().err)
        assert (started[:1] == [2]) == (jobs == 2)  # with two workers, the parse was forked first
    assert outputs[0] == outputs[1] and "liste entre crochets mal fermée" in outputs[0]


def test_files_parsed_ahead_are_not_kept_after_the_load(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 15 000 phases the parsed files are ~60 MB: once the plan is loaded, nothing holds them."""
    from pacsite.load.loader import load_plan

    monkeypatch.setattr(processes, "workers", lambda *args: 2)
    ahead = processes.parse_ahead(plan)
    assert ahead is not None
    cache = ahead.collect()
    assert len(cache._entries) > 54 and ahead.shares.done == []  # the results live in the cache only
    diagnostics = Diagnostics()
    loaded = load_plan(plan, diagnostics, EXAMPLE_TODAY, files=cache)
    assert len(loaded.phases) == 54 and not diagnostics.has_errors()
    assert cache._entries == {}  # released: the plan holds what it needs


def _collector_on(share: int, jobs: int) -> bool:
    import gc

    return gc.isenabled()


def test_a_one_shot_command_runs_without_the_collector_and_its_workers_with_it() -> None:
    import gc

    assert gc.isenabled()
    with processes.one_shot():
        assert not gc.isenabled()
        assert processes.Shares(_collector_on, 2).results() == [True, True]
        # work done in this process (one job: a small plan, a system without fork) collects as a worker does
        assert processes.Shares(_collector_on, 1).results() == [True]
        assert not gc.isenabled()
    assert gc.isenabled()


def test_listing_a_plan_leaves_nothing_for_the_collector(plan: Path) -> None:
    """A build runs without the collector: what it makes must be freed by reference counting alone."""
    import gc

    from pacsite.load.sources import discover

    gc.collect()
    gc.disable()
    try:
        assert len(discover(plan)) > 50
        assert gc.collect() == 0  # a nested function calling itself held every path in a cycle
    finally:
        gc.enable()
