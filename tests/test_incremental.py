"""Builds that reuse parsed files give the same bytes as a clean build, after any edits."""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest

from pacsite.build import build
from pacsite.errors import Diagnostics, PacsiteError
from pacsite.load.fields import PHASE_KEYS, normalize_key
from pacsite.load.frontmatter import Files, SourceError
from pacsite.serve.live import Builder, LiveState
from tests.conftest import EXAMPLE_TODAY, REPO


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a built site, but Pagefind's index: the preview refreshes it after a pause."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")}


def test_the_cache_rereads_only_changed_files(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: A\n---\n")
    cache = Files()
    first = cache.parse(path)
    assert cache.parse(path) is first
    path.write_text("---\ntitle: AB\n---\n")
    assert cache.parse(path).data == {"title": "AB"}
    path.write_text("---\ntitle: [\n---\n")
    with pytest.raises(SourceError):
        cache.parse(path)
    with pytest.raises(SourceError):
        cache.parse(path)  # the error is remembered, and raised again


def save(path: Path, text: str) -> None:
    """Save as most editors do: a temporary file renamed over the original."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp~")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def set_key(text: str, key: str, value: str) -> str:
    """Set a phase's top-level key, whatever alias the file wrote it with."""
    names = {key, *PHASE_KEYS[key]}
    kept = [line for line in text.split("\n")
            if not (":" in line and not line[:1].isspace() and normalize_key(line.split(":")[0]) in names)]
    return "\n".join(kept).replace("\n---\n", f"\n{key}: {value}\n---\n", 1)


def edit(root: Path, rng: random.Random, step: int) -> tuple[str, list[Path]]:
    """Make one random edit of the plan, as a user would; return its kind and the paths touched."""
    content = root / "content"
    texts = "".join(p.read_text(encoding="utf-8") for p in content.rglob("*.md"))
    # a file or folder that a link points to is not deleted or renamed: that is another test's error
    phases = [p for p in sorted(content.glob("actions/*/[0-9]*.md")) if p.name not in texts]
    phase = rng.choice(phases)
    text = phase.read_text(encoding="utf-8")
    kind = rng.choice(["budget", "spent", "title", "body", "status", "order", "same size", "break", "new phase",
                       "delete phase", "rename family", "new family", "family", "people", "objective",
                       "page", "template", "static", "attachment"])
    if kind == "budget" and re.search(r"(?m)^budget(_prevu)?:[ \t]*[^\s#]", text):
        text = set_key(text, "budget", str(rng.randrange(100, 99999)))
    elif kind == "spent" and not re.search(r"(?m)^\s+(-\s+)?(spent|d[ée]pense|r[ée]alis[ée])", text):
        text = set_key(text, "spent", str(rng.randrange(1, 9999)))
    elif kind == "title":
        text = set_key(text, "title", f"Étape {step}")
    elif kind == "status":
        text = set_key(text, "status", rng.choice(["done", "cancelled", "in_progress"]))
    elif kind == "order":
        text = set_key(text, "order", str(rng.randrange(1, 30)))
    elif kind in ("budget", "spent", "body"):
        text += f"\n\nAjout {step} : une phrase de plus, [la méthode](../../pages/methode.md).\n"
    elif kind == "same size":  # one digit changed in place: same size, maybe the same clock tick
        text = text.replace("0", "1", 1) if "0" in text else text
        phase.write_text(text, encoding="utf-8")
        return kind, [phase]
    elif kind == "break":
        text = text.replace("---\n", "---\ntitle: [\n", 1)
    elif kind == "new phase":
        new = phase.with_name(f"{50 + step}-nouvelle-{step}.md")
        save(new, f"---\ntitle: Nouvelle {step}\nbudget: {step * 100}\n"
                  "start: 2027-03-01\nend: 2027-09-30\n---\nTexte.\n")
        return kind, [new]
    elif kind == "delete phase":
        if len(list(phase.parent.glob("[0-9]*.md"))) > 1:
            phase.unlink()
        return kind, [phase]
    elif kind == "rename family":
        folder = rng.choice([f for f in sorted(content.glob("actions/*")) if f.name not in texts])
        renamed = folder.with_name(folder.name + f"-{step}")
        folder.rename(renamed)
        return kind, [folder, renamed]
    elif kind == "new family":
        folder = content / "actions" / f"{40 + step}-famille-{step}"
        save(folder / "_index.md", f"---\ntitle: Famille {step}\n---\nUne famille de plus.\n")
        save(folder / "01-premiere.md", f"---\ntitle: Première {step}\nbudget: 1000\nspent: 250\n---\nTexte.\n")
        return kind, [folder, folder / "_index.md", folder / "01-premiere.md"]
    elif kind == "family":
        index = phase.parent / "_index.md"
        save(index, re.sub(r"(?m)^title: ", f"title: Famille {step} — ", index.read_text(encoding="utf-8"), count=1))
        return kind, [index]
    elif kind == "people":
        people = content / "people.yaml"
        save(people, people.read_text(encoding="utf-8").replace("name: ", f"name: {step} ", 1))
        return kind, [people]
    elif kind == "objective":
        objective = rng.choice(sorted(content.glob("objectives/*.md")))
        save(objective, objective.read_text(encoding="utf-8") + f"\nNote {step}.\n")
        return kind, [objective]
    elif kind == "page":
        page = content / "pages" / "methode.md"
        save(page, page.read_text(encoding="utf-8") + f"\nParagraphe {step}.\n")
        return kind, [page]
    elif kind == "template":
        template = root / "templates" / "page.html"
        save(template, '{% extends "theme/page.html" %}{% block content %}'
                       f'<p>Gabarit {step}</p>{{{{ super() }}}}{{% endblock %}}\n')
        return kind, [template]
    elif kind == "static":
        asset = root / "static" / "logo.txt"
        save(asset, f"logo {step}\n")
        return kind, [asset]
    else:
        attachment = phase.parent / f"annexe-{step}.txt"
        save(attachment, f"annexe {step}\n")
        return kind, [attachment]
    save(phase, text)
    return kind, [phase]


class Recording(LiveState):
    """A live state that keeps every publication: (changed paths, whether a whole build)."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[tuple[str, ...] | None, bool]] = []

    def publish(self, errors: list[str], paths: tuple[str, ...] | None = None, build: bool = True) -> None:
        self.log.append((paths, build))
        super().publish(errors, paths, build)


def live_example(tmp_path: Path) -> tuple[Path, Recording, Builder]:
    """Copy the example plan and build it once with the live preview's builder."""
    root = tmp_path / "plan"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    state = Recording()
    builder = Builder(root, root / "public", state, EXAMPLE_TODAY)
    builder.build_once()
    return root, state, builder


@pytest.mark.slow  # long replays, a clean build after each edit
@pytest.mark.parametrize("seed", [2027, 31, 4])
def test_random_edit_sequences_served_equal_a_clean_build(tmp_path: Path, seed: int) -> None:
    """The live preview's incremental output is byte for byte a clean build, after every edit."""
    root, state, builder = live_example(tmp_path)
    rng = random.Random(seed)
    for step in range(14):
        kind, touched = edit(root, rng, step)
        for path in touched:
            builder.mark(str(path))
        state.log.clear()
        builder.build_once()
        # each file is announced once: the pages, then the downloads
        announced = [p for paths, _ in state.log for p in paths or ()]
        assert len(announced) == len(set(announced)), (step, kind, state.log)
        try:
            build(root, Diagnostics(), root / "clean", today=EXAMPLE_TODAY)
            clean_ok = True
        except PacsiteError:
            clean_ok = False
        assert (not builder.state.errors) == clean_ok, (step, kind, builder.state.errors)
        if kind == "break":  # mend it, as the user would
            save(touched[0], touched[0].read_text(encoding="utf-8").replace("title: [\n", "", 1))
            builder.mark(str(touched[0]))
            builder.build_once()
            build(root, Diagnostics(), root / "clean", today=EXAMPLE_TODAY)
        assert not builder.state.errors, (step, kind, builder.state.errors)
        served, clean = snapshot(root / "public"), snapshot(root / "clean")
        assert sorted(served) == sorted(clean), (step, kind)
        different = [path for path in served if served[path] != clean[path]]
        assert not different, (step, kind, different[:5])


def test_a_rebuild_after_one_edit_renders_few_pages_and_writes_them_first(tmp_path: Path) -> None:
    """An edit renders only the pages that hold the phase, and writes them before the downloads."""
    root, state, builder = live_example(tmp_path)
    phase = sorted((root / "content/actions").glob("06-*/03-*.md"))[0]
    page = "actions/supports-contractuels/autres-documents/index.html"
    family = "actions/supports-contractuels/index.html"

    def save_and_build(text: str) -> int:
        before = builder.session.rendered
        save(phase, text)
        builder.mark(str(phase))
        state.log.clear()
        builder.build_once()
        return builder.session.rendered - before

    # a text edit: no other page shows the text: nothing else is rendered, only the
    # search index is written again, after the page
    rendered = save_and_build(phase.read_text(encoding="utf-8") + "\nUne phrase de plus.\n")
    assert state.log == [((page,), False), (("search-index.js",), True)]
    assert rendered == 1
    assert "Une phrase de plus." in (root / "public" / page).read_text(encoding="utf-8")

    rendered = save_and_build(re.sub(r"(?m)^budget:.*$", "budget: 4321", phase.read_text(encoding="utf-8"), count=1))
    (pages, early), (rest, whole) = state.log
    assert not early and whole and pages is not None and rest is not None
    # the pages the edit changes first, the downloads after them
    assert {page, family, "budget/index.html", "index.html"} <= set(pages)
    # the calendar shows no budget; the search index has the pages' new figures
    assert set(rest) == {"plan.json", "plan.xlsx", "budget.csv", "search-index.js"}
    assert not any(p.startswith("actions/etudes-de-marche/") for p in pages)
    # the page, its family and the 7 plan-wide pages; not the family's variances
    # page, which does not list this phase (no result, no spend, not late)
    assert rendered == 1 + 8
    assert "4\u202f321,00" in (root / "public" / family).read_text(encoding="utf-8")
    # a page patched in place is as readable as one the whole build wrote, and leaves no temporary file
    untouched = root / "public/actions/etudes-de-marche/index.html"
    assert (root / "public" / family).stat().st_mode == untouched.stat().st_mode
    assert [p.name for p in (root / "public").rglob(".pacsite-*")] == [".pacsite-output"]  # the marker alone

    # sed -i writes a temporary file beside and renames it over: the watcher reports both
    temporary = phase.with_name("sedX7q2Lm")
    temporary.write_text(phase.read_text(encoding="utf-8") + "\nPar sed.\n", encoding="utf-8")
    os.replace(temporary, phase)
    builder.mark(str(temporary))
    builder.mark(str(phase))
    state.log.clear()
    builder.build_once()
    assert state.log == [((page,), False), (("search-index.js",), True)]

    # a phase deleted beside the edit: its page goes, its neighbours' links change
    sibling = sorted(phase.parent.glob("0[12]-*.md"))[0]
    sibling.unlink()
    builder.mark(str(sibling))
    save_and_build(phase.read_text(encoding="utf-8") + "\nEncore.\n")
    assert [whole for _, whole in state.log] == [False, True] and not state.errors
    assert not (root / "public" / page).parent.with_name(sibling.stem[3:]).exists()

    # a broken file: the build reports it, nothing is written
    save_and_build(phase.read_text(encoding="utf-8").replace("---\n", "---\ntitle: [\n", 1))
    assert state.log == [(None, True)] and state.errors


@pytest.mark.slow  # long replays, a clean build after each edit
@pytest.mark.parametrize("seed", [7, 1500])
def test_random_edits_of_a_large_layout_served_equal_a_clean_build(tmp_path: Path, seed: int,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-family reuse (rows, plan parts, variance lists, kept table rows) in the large layout:
    the thresholds lowered on the example, as in test_scale."""
    from pacsite.site import pages

    monkeypatch.setattr(pages, "PLAN_SPLIT", 20)
    monkeypatch.setattr(pages, "LIST_LIMIT", 3)
    monkeypatch.setattr(pages, "HOME_LIMIT", 2)
    monkeypatch.setattr(pages, "PEOPLE_LIMIT", 3)
    root, state, builder = live_example(tmp_path)
    assert (root / "public/plan/supports-contractuels/index.html").is_file()  # the large layout
    rng = random.Random(seed)
    for step in range(10):
        kind, touched = edit(root, rng, step)
        if kind == "break":  # covered above; here, the figures and lists: mended at once
            save(touched[0], touched[0].read_text(encoding="utf-8").replace("title: [\n", "", 1))
        for path in touched:
            builder.mark(str(path))
        builder.build_once()
        assert not state.errors, (step, kind, state.errors)
        build(root, Diagnostics(), root / "clean", today=EXAMPLE_TODAY)
        served, clean = snapshot(root / "public"), snapshot(root / "clean")
        assert sorted(served) == sorted(clean), (step, kind)
        assert not [p for p in served if served[p] != clean[p]], (step, kind)
