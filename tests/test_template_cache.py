"""Compiled templates are kept between builds: never the wrong code for a language, never stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacsite.build import build
from pacsite.errors import Diagnostics
from pacsite.tools.init import init_plan
from tests.conftest import EXAMPLE_TODAY


def test_french_and_english_builds_share_no_compiled_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for language in ("fr", "en", "fr", "en"):  # the second round runs from the cache
        root = tmp_path / language
        if not root.exists():
            init_plan(root, language)
        build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
        assert f'<html lang="{language}">' in (root / "public" / "index.html").read_text(encoding="utf-8")
    folders = sorted(p.name for p in (tmp_path / "cache" / "pacsite").iterdir())
    assert len(folders) == 2 and any("-finalize-" in f for f in folders)


def test_a_changed_environment_option_never_runs_code_compiled_with_the_old_one() -> None:
    """Issue 15: changing ``trim_blocks`` served pages compiled with the old value (the key was the variant only)."""
    from pacsite.render.theme import OPTIONS, cache_key

    keys = {cache_key("plain", OPTIONS)}
    for option, value in OPTIONS.items():
        changed = {**OPTIONS, option: (not value) if isinstance(value, bool) else (value, "changed")}
        keys.add(cache_key("plain", changed))
    assert len(keys) == len(OPTIONS) + 1  # every option is part of the key
    assert cache_key("plain", OPTIONS) != cache_key("finalize", OPTIONS)


def test_an_edited_project_template_is_compiled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "plan"
    init_plan(root, "fr")
    (root / "templates").mkdir()
    page = root / "templates" / "404.html"
    for word in ("Perdu", "Égaré"):
        page.write_text('{% extends "base.html" %}{% block content %}<h1>' + word + "</h1>{% endblock %}",
                        encoding="utf-8")
        build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
        assert f"<h1>{word}</h1>" in (root / "public" / "404.html").read_text(encoding="utf-8")
