"""Two languages: an English plan gets an English site, with no French interface word left."""

from __future__ import annotations

import html
import re
from pathlib import Path

from pacsite.build import build
from pacsite.errors import Diagnostics
from pacsite.i18n import OBJECTIVE_LABELS, STATUS_LABELS, STRINGS
from pacsite.tools.init import init_plan
from tests.conftest import EXAMPLE_TODAY

INVISIBLE = r'\s(id|class|href|src|for|headers|aria-describedby|aria-labelledby|data-[\w-]*sort)="[^"]*"'
FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre",
                 "octobre", "novembre", "décembre")


def french_words() -> set[str]:
    """The interface strings of the French catalogue that English does not share."""
    english = set(STRINGS["en"].values()) | set(STATUS_LABELS["en"].values()) | set(OBJECTIVE_LABELS["en"].values())
    french = set(STRINGS["fr"].values()) | set(STATUS_LABELS["fr"].values()) | set(OBJECTIVE_LABELS["fr"].values())
    found = set()
    for text in french - english:
        # the fixed part of a string with placeholders; short words like "Phase" exist in both languages
        for part in re.split(r"\{\w+\}", text):
            part = part.strip(" «»\u00a0.:…")
            if len(part) >= 6:
                found.add(part)
    return found


def test_an_english_plan_has_no_french_interface_word(tmp_path: Path) -> None:
    root = tmp_path / "plan"
    init_plan(root, "en")
    diagnostics = Diagnostics()
    build(root, diagnostics, root / "public", today=EXAMPLE_TODAY)
    assert not diagnostics.has_errors()
    words = french_words()
    assert len(words) > 100  # the check has something to look for
    pages = sorted((root / "public").rglob("*.html"))
    assert len(pages) > 60
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        assert '<html lang="en">' in raw
        # what a reader sees or hears: text and labels, not ids, classes and link targets
        text = html.unescape(re.sub(INVISIBLE, " ", raw))
        left = sorted(w for w in words if w in text)
        assert not left, (page.relative_to(root / "public").as_posix(), left[:5])
        lowered = text.lower()
        months = [m for m in FRENCH_MONTHS if re.search(rf"\b{m}\b", lowered)]
        assert not months, (page.name, months)
        assert "1er" not in text and "\u00a0:" not in text and "«" not in text  # French typography stays French


def test_money_and_dates_follow_the_locale(tmp_path: Path) -> None:
    root = tmp_path / "plan"
    init_plan(root, "en")
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    budget = (root / "public" / "budget" / "index.html").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert re.search(r"€\d{1,3}(,\d{3})*\.\d\d", budget)  # €12,500.00
    assert "June 30, 2027" in budget or "30 June 2027" in budget
