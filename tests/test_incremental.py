"""Builds that reuse parsed files give the same bytes as a clean build, after any edits."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from pacsite.build import build
from pacsite.errors import Diagnostics, PacsiteError
from pacsite.frontmatter import ParseCache, SourceError
from tests.conftest import EXAMPLE_TODAY, REPO


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_cache_rereads_only_changed_files(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: A\n---\n")
    cache = ParseCache()
    first = cache.parse(path)
    assert cache.parse(path) is first
    path.write_text("---\ntitle: AB\n---\n")
    assert cache.parse(path).data == {"title": "AB"}
    path.write_text("---\ntitle: [\n---\n")
    with pytest.raises(SourceError):
        cache.parse(path)
    with pytest.raises(SourceError):
        cache.parse(path)  # the error is remembered, and raised again


def test_random_edit_sequences_match_a_clean_build(tmp_path: Path) -> None:
    root = tmp_path / "plan"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    phases = sorted((root / "content" / "actions").glob("*/[0-9]*.md"))
    rng = random.Random(2027)
    cache = ParseCache()
    for step in range(12):
        phase = rng.choice(phases)
        text = phase.read_text(encoding="utf-8")
        kind = rng.choice(["budget", "title", "body", "break", "new"])
        if kind == "budget" and not any(key in text for key in ("spent", "depense", "Dépense")):
            text = text.replace("\n---\n", f"\nspent: {rng.randrange(1, 9999)}\n---\n", 1)
        elif kind == "budget":
            text += "\nEncore.\n"
        elif kind == "title":
            text = text.replace("title: ", f"title: Étape {step} — ", 1)
        elif kind == "body":
            text += f"\n\nAjout {step} : une phrase de plus.\n"
        elif kind == "break":
            text = text.replace("---\n", "---\ntitle: [\n", 1)
        else:
            new = phase.with_name(f"99-nouvelle-{step}.md")
            new.write_text(f"---\ntitle: Nouvelle {step}\nbudget: {step * 100}\n---\nTexte.\n", encoding="utf-8")
            phases.append(new)
        if kind != "new":
            temporary = phase.with_name(phase.name + ".tmp~")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, phase)
        incremental_ok = clean_ok = True
        try:
            build(root, Diagnostics(), root / "inc", today=EXAMPLE_TODAY, cache=cache)
        except PacsiteError:
            incremental_ok = False
        try:
            build(root, Diagnostics(), root / "clean", today=EXAMPLE_TODAY)
        except PacsiteError:
            clean_ok = False
        assert incremental_ok == clean_ok, (step, kind)
        if kind == "break":  # mend it, as the user would
            temporary = phase.with_name(phase.name + ".tmp~")
            temporary.write_text(text.replace("title: [\n", "", 1), encoding="utf-8")
            os.replace(temporary, phase)
            build(root, Diagnostics(), root / "inc", today=EXAMPLE_TODAY, cache=cache)
            build(root, Diagnostics(), root / "clean", today=EXAMPLE_TODAY)
        assert snapshot(root / "inc") == snapshot(root / "clean"), (step, kind)
