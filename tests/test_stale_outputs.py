"""The live preview never serves stale output (issue 15, points 1 and 3).

A theme folder inside the plan is watched and its edits reach every page,
404.html included; a folder another process built into is written whole
again, not patched as if it still held the preview's last build.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from pacsite.build import build
from pacsite.cli import main
from pacsite.errors import Diagnostics
from pacsite.serve.live import Builder, LiveState, start_watching
from tests.conftest import EXAMPLE_TODAY, REPO
from tests.test_incremental import save, snapshot


def themed_example(tmp_path: Path, theme: str = "mytheme") -> Path:
    """The example plan with ``theme: <theme>``, a copy of the bundled theme inside the plan."""
    root = tmp_path / "plan"
    shutil.copytree(REPO / "content", root / "content")
    settings = (REPO / "pacsite.yaml").read_text(encoding="utf-8")
    (root / "pacsite.yaml").write_text(settings + f"theme: {theme}\n", encoding="utf-8")
    shutil.copytree(REPO / "themes" / "default", root / theme)
    return root


@pytest.mark.slow  # a clean build after each edit
@pytest.mark.parametrize("theme", ["mytheme", "themes/mine"])
def test_an_edited_template_of_a_theme_in_the_plan_reaches_every_page(tmp_path: Path, theme: str) -> None:
    """Editing the theme's 404.html, then its base layout, shows in 404.html and the pages each time."""
    root = themed_example(tmp_path, theme)
    builder = Builder(root, root / "public", LiveState(), EXAMPLE_TODAY)
    builder.build_once()
    assert not builder.state.errors
    missing, base = root / theme / "templates/404.html", root / theme / "templates/base.html"
    for step, (template, old, new) in enumerate([(missing, "<h1>", "<h1>Perdu une fois "),
                                                 (base, "<body", "<!-- édité 1 --><body"),
                                                 (missing, "<h1>", "<h1>Perdu deux fois "),
                                                 (base, "<body", "<!-- édité 2 --><body")]):
        text = template.read_text(encoding="utf-8")
        assert old in text
        save(template, text.replace(old, new, 1))
        builder.mark(str(template))
        builder.build_once()
        assert not builder.state.errors, step
        build(root, Diagnostics(), root / "clean", today=EXAMPLE_TODAY)
        served, clean = snapshot(root / "public"), snapshot(root / "clean")
        assert new.encode() in served["404.html"], step
        if template == base:
            assert new.encode() in served["index.html"], step
        different = [p for p in sorted(set(served) | set(clean)) if served.get(p) != clean.get(p)]
        assert not different, (step, different[:5])


def test_the_watcher_sees_the_files_of_a_theme_in_the_plan(tmp_path: Path) -> None:
    """A save in the theme folder (templates or static) marks the preview dirty and resets its cache."""
    root = themed_example(tmp_path)
    builder = Builder(root, root / "public", LiveState(), EXAMPLE_TODAY)
    builder.build_once()
    observer = start_watching(root, builder, poll=False)
    try:
        for edited in (root / "mytheme/static/style.css", root / "mytheme/templates/404.html"):
            builder.dirty.clear()
            save(edited, edited.read_text(encoding="utf-8") + "\n")
            assert builder.dirty.wait(10), edited  # not a sleep: the first event ends the wait
    finally:
        observer.stop()
        observer.join(5)
    reuse = builder.session.reuse
    reuse.remember("probe", lambda: 1)
    assert "probe" in reuse.kept_values
    builder._take_changes()
    assert "probe" not in reuse.kept_values and "probe" not in reuse.values  # reset, as for templates/


def test_a_folder_another_build_wrote_is_written_whole_again(tmp_path: Path) -> None:
    """``pacsite build --today`` into the preview's folder: its next build equals a clean one, not a mix."""
    root = tmp_path / "plan"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    builder = Builder(root, root / "public", LiveState(), EXAMPLE_TODAY)
    builder.build_once()
    own = (root / "public/budget/index.html").read_bytes()
    assert main(["build", str(root), "--today", "2031-01-01"]) == 0
    assert (root / "public/budget/index.html").read_bytes() != own  # the foreign budget page
    builder.build_once()  # no edit: nothing changed for the preview, but the folder did
    assert not builder.state.errors
    build(root, Diagnostics(), root / "clean", today=EXAMPLE_TODAY)
    served, clean = snapshot(root / "public"), snapshot(root / "clean")
    assert served["budget/index.html"] == own
    different = [p for p in sorted(set(served) | set(clean)) if served.get(p) != clean.get(p)]
    assert not different, different[:5]
    assert date(2031, 1, 1).isoformat() not in served["plan.json"].decode()


def test_a_lost_watcher_event_is_seen_by_the_next_build(tmp_path: Path) -> None:
    """Two phases saved, the watcher reports only one (an event lost): the next build still shows both.

    Editors and inotify drop events under load (FACTS.md); a build that read
    only the files the watcher named would keep the other page stale until
    that file is saved again.
    """
    root = tmp_path / "plan"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    builder = Builder(root, root / "public", LiveState(), EXAMPLE_TODAY)
    builder.build_once()
    phases = sorted((root / "content/actions").glob("*/[!_]*.md"))
    reported, lost = phases[0], phases[-1]
    for path, word in ((reported, "Signalée"), (lost, "Perdue")):
        text = path.read_text(encoding="utf-8")
        save(path, text.replace("\ntitle: ", f"\ntitle: {word} ", 1))
    created = reported.with_name("09-nouvelle-sans-evenement.md")  # a new file whose event was lost too
    save(created, "---\ntitle: Nouvelle phase sans événement\nbudget: 100\n---\nTexte.\n")
    builder.mark(str(reported))  # the events for ``lost`` and ``created`` never came
    builder.build_once()
    assert not builder.state.errors
    build(root, Diagnostics(), root / "clean", today=EXAMPLE_TODAY)
    served, clean = snapshot(root / "public"), snapshot(root / "clean")
    assert any(b"Perdue " in data for path, data in clean.items() if path.endswith(".html"))
    assert any(b"Nouvelle phase sans " in data for path, data in served.items() if path.endswith(".html"))
    different = [p for p in sorted(set(served) | set(clean)) if served.get(p) != clean.get(p)]
    assert not different, different[:5]


def test_a_rebuild_lists_no_folder_when_none_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit in place lists nothing again (each folder's stamp says no file came or went); a new file
    lists its folders again, even when no watcher event told of it."""
    from pacsite.load import assets, sources

    root = tmp_path / "plan"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    builder = Builder(root, root / "public", LiveState(), EXAMPLE_TODAY)
    builder.build_once()
    walked: list[Path] = []
    real_walk = sources.walk

    def counting_walk(folder: Path, *args: object, **kwargs: object) -> list[sources.Found]:
        walked.append(folder)
        return real_walk(folder, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sources, "walk", counting_walk)
    monkeypatch.setattr(assets, "walk", counting_walk)
    phase = sorted((root / "content/actions").glob("*/[!_]*.md"))[0]
    save(phase, phase.read_text(encoding="utf-8") + "\nUne ligne de plus.\n")
    builder.mark(str(phase))
    builder.mark(str(phase.parent))  # the watcher tells of the folder too (the temporary file renamed in it)
    builder.build_once()
    assert not builder.state.errors and walked == []
    save(phase.with_name("09-nouvelle.md"), "---\ntitle: Nouvelle\nbudget: 10\n---\n")  # no event
    builder.build_once()
    assert not builder.state.errors and root / "content" in walked
    build(root, Diagnostics(), root / "clean", today=EXAMPLE_TODAY)
    served, clean = snapshot(root / "public"), snapshot(root / "clean")
    assert [p for p in sorted(set(served) | set(clean)) if served.get(p) != clean.get(p)] == []


def test_a_link_re_pointed_out_of_the_plan_without_an_event_is_refused(tmp_path: Path) -> None:
    """A phase that is a link to a note in the plan; the note then becomes a link to a file outside,
    and the watcher says nothing: the next build refuses the phase, and the outside text is never shown."""
    root = tmp_path / "plan"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    (root / "notes").mkdir()
    note = root / "notes" / "lien.md"
    note.write_text("---\ntitle: Phase liée\nbudget: 10\n---\nTexte du dépôt.\n", encoding="utf-8")
    family = sorted((root / "content/actions").glob("01-*"))[0]
    (family / "09-lien.md").symlink_to(Path("../../../notes/lien.md"))
    builder = Builder(root, root / "public", LiveState(), EXAMPLE_TODAY)
    builder.build_once()
    assert not builder.state.errors
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: SECRET hors du plan\nbudget: 10\n---\nSECRET\n", encoding="utf-8")
    note.unlink()
    note.symlink_to(secret)  # no event reaches the builder
    builder.build_once()
    assert builder.state.errors and any("09-lien.md" in line for line in builder.state.errors)
    assert not [p for p in (root / "public").rglob("*") if p.is_file() and b"SECRET" in p.read_bytes()]
