"""Offline search, two ways: Pagefind over http, a compact index from disk.

Pagefind (``pagefind[bin]``) indexes the built pages with stemming in the
page's language, and its JavaScript fetches index fragments: that needs a
web server, since browsers block module scripts and fetch from file://
(Pagefind issue #241). A plan opened from a file share still deserves
search, so every build also writes ``search-index.js``: per page its path,
title, family, a summary and its distinct words without accents, loaded by
a plain ``<script>`` tag. ``pacsite.js`` uses Pagefind when it can, the
compact index otherwise. Both index what a page's ``<main>`` shows, figures
and names included, and nothing of the navigation.

Both rank a phase before the pages that sum phases up (the plan table, the
budget, the variances, a family's, the team's, the objectives'), and show
under a result a page's own text, never its tables. A page's own text is its
headings and what was written for it: the Markdown of the plan's files
(``.prose``, ``.vision``) and the lead under its title (``own_text``). The rest
of ``<main>`` (tables, charts, fields, badges, lists drawn from the figures)
is figures, names and labels: words to find a page by, never a summary. So
Pagefind indexes a copy of each page (``pagefind_page``): its own text as the
page's content, which excerpts are cut from, and every word the page shows
as metadata (``data-pagefind-meta``), searched too since Pagefind 1.5 (a
phase's under ``PHASE_WORDS``, weighted above the others' by ``pacsite.js``).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from pacsite.errors import Diagnostics
from pacsite.messages import Msg, msg
from pacsite.site.views import PageSpec

INDEX = "search-index.js"
SUMMARY = 160  # characters of text shown under a result
_MAIN = re.compile(rb"<main\b[^>]*>(.*?)</main>", re.DOTALL)
_DROP = re.compile(r"<(script|style|svg|nav)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")
# a page's own text (``own_text``): headings and the elements of these classes, outermost
_OWN = re.compile(r"<(h[1-6]|div|section|p)\b([^>]*)>", re.IGNORECASE)
_NESTED = re.compile(r"<(/?)(h[1-6]|div|section|p)\b[^>]*>", re.IGNORECASE)
_CLASS = re.compile(r"\bclass=\"([^\"]*)\"")
_AUTHORED = frozenset({"prose", "vision", "lead"})
_NOT_TEXT = re.compile(r"<(table|figure|dl)\b.*?</\1>|<span class=\"badge\b[^\"]*\">(?:[^<]|<span\b[^>]*>[^<]*</span>)*"
                       r"</span>", re.DOTALL | re.IGNORECASE)
_BLOCK = re.compile(r"<(p|li)\b[^>]*>(.*?)</\1>", re.DOTALL | re.IGNORECASE)
_META = re.compile(r"<(a|span|div)\b[^>]*\bdata-pagefind-meta=.*?</\1>", re.DOTALL | re.IGNORECASE)
# what Pagefind leaves out of a page's own text: tables, charts, fields, badges (words all kept as metadata)
NOT_TEXT = ("table", "figure", "dl", ".chart-wrap", ".legend", ".badge")
PHASE_WORDS, WORDS = "phase_words", "words"  # the metadata of a phase's words, of another page's


def fold(text: str) -> str:
    """Lower-case and strip accents: what the index stores and the query is matched on."""
    bare = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in bare if not unicodedata.combining(c))


def page_text(page_html: bytes) -> str:
    """Return the visible text of a page's ``<main>``, without charts, scripts or navigation."""
    return _text(_main(page_html))


def _main(page_html: bytes) -> str:
    found = _MAIN.search(page_html)
    return _DROP.sub(" ", found.group(1).decode("utf-8")) if found else ""


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def own_text(body: str) -> tuple[list[str], list[tuple[bool, str]]]:
    """Split a ``<main>``'s HTML: the pieces of its own text in order (its headings, and the elements of class
    ``prose``, ``vision`` or ``lead``, outermost), and the paragraphs and list items of those texts, each with
    whether it is a lead, without their tables, figures, fields or badges."""
    pieces: list[str] = []
    blocks: list[tuple[bool, str]] = []
    done = 0
    for found in _OWN.finditer(body):
        if found.start() < done:
            continue  # within a piece already taken
        tag = found.group(1).lower()
        classes = _CLASS.search(found.group(2))
        kinds = _AUTHORED.intersection(classes.group(1).split()) if classes else frozenset()
        if not kinds and tag[0] != "h":
            continue
        done = _closing(body, tag, found.end())
        pieces.append(body[found.start():done])
        if kinds:
            cleaned = _NOT_TEXT.sub(" ", pieces[-1])
            blocks += (("lead" in kinds, _text(b)) for _, b in _BLOCK.findall(cleaned))
    return pieces, blocks


def _closing(body: str, tag: str, start: int) -> int:
    """Where the element of ``tag`` opened just before ``start`` ends (after its end tag; the end if unclosed)."""
    depth = 1
    for found in _NESTED.finditer(body, start):
        if found.group(2).lower() == tag:
            depth += -1 if found.group(1) else 1
            if depth == 0:
                return found.end()
    return len(body)


def summary_of(body: str, title: str, family: str) -> str:
    """The text shown under a page's result: the first paragraph or list item of its own text (40 characters
    at least: a sentence, not a label), else its lead, else its title and family; never a table's cells."""
    return _prose_summary(own_text(body)[1]) or _cut(" — ".join(p for p in (title, family) if p))


def _prose_summary(blocks: list[tuple[bool, str]]) -> str:
    """The first paragraph or list item of 40 characters or more, else the lead, else a shorter one; or ""."""
    found = next((t for lead, t in blocks if not lead and len(t) >= 40), "") \
        or next((t for lead, t in blocks if lead and t), "") or next((t for _, t in blocks if t), "")
    return _cut(found)


def _cut(summary: str) -> str:
    return summary[:SUMMARY].rsplit(" ", 1)[0] + " …" if len(summary) > SUMMARY else summary


def entry(page: PageSpec, family: str, page_html: bytes) -> list[Any]:
    """Return one page's entry: path, title, family, summary, distinct folded words, and its rank: 1 for a
    phase (ranked before the pages that sum phases up), 0 for the others."""
    body = _main(page_html)
    words = dict.fromkeys(w for w in _WORD.findall(fold(_text(body))) if len(w) > 1 or w.isdigit())
    rank = 1 if page.template == "phase.html" else 0
    return [page.path, page.title, family, summary_of(body, page.title, family), " ".join(words), rank]


def pagefind_page(page_html: bytes) -> bytes:
    """The copy of a page Pagefind indexes: its ``<main>`` reduced to its own text (``own_text``), which excerpts
    come from, and every word it shows kept as metadata, searched but never shown (a phase's under
    ``PHASE_WORDS``: base.html names a phase's family with ``data-pagefind-meta``), with the summary of the
    compact index if it has one (``summary``: shown when only those words matched). Other pages are unchanged."""
    found = _MAIN.search(page_html)
    if not found or b"data-pagefind-body" not in page_html[found.start():found.start(1)]:
        return page_html
    raw = found.group(1).decode("utf-8")
    body = _DROP.sub(" ", raw)
    pieces, blocks = own_text(body)
    words = {w.lower(): w for w in _WORD.findall(_text(body))}
    metas = [m.group(0) for m in _META.finditer(raw)]  # the metadata the templates set (a phase's family)
    key = PHASE_WORDS if 'data-pagefind-meta="family"' in raw else WORDS
    metas.append(f'<div data-pagefind-meta="{key}:{html.escape(" ".join(words.values()))}"></div>')
    if summary := _prose_summary(blocks):
        metas.append(f'<div data-pagefind-meta="summary:{html.escape(summary)}"></div>')
    text = "\n".join(pieces) + f'\n<div data-pagefind-ignore>{"".join(metas)}</div>\n'
    return page_html[:found.start(1)] + text.encode("utf-8") + page_html[found.end(1):]


def searchable(page: PageSpec) -> bool:
    """Tell whether a page belongs in the index (not the 404 page, not the search page)."""
    return page.template not in ("404.html", "search.html")


def family_title(page: PageSpec, families: dict[str, str]) -> str:
    """The family a page's entry names: a phase page's (``families``: titles by slug), else none."""
    return families.get(page.family or "", "") if page.template == "phase.html" else ""


def entry_json(page: PageSpec, family: str, page_html: bytes) -> str:
    """One page's entry as compact JSON: the live preview keeps it by its page's key (``index_of``)."""
    return json.dumps(entry(page, family, page_html), ensure_ascii=False, separators=(",", ":"))


def index_of(entries: list[str]) -> bytes:
    """``index_script`` from the entries as JSON (``entry_json``): the same bytes, since compact JSON is the
    concatenation of its items'."""
    return _script('{"version":1,"pages":[' + ",".join(entries) + "]}")


def index_script(entries: list[Any]) -> bytes:
    """Return ``search-index.js`` for the entries of the searchable pages, in page order."""
    return _script(json.dumps({"version": 1, "pages": entries}, ensure_ascii=False, separators=(",", ":")))


def _script(payload: str) -> bytes:
    return ("window.pacsiteSearch = " + payload + ";\n").encode("utf-8")


def pagefind_available() -> bool:
    """Tell whether the Pagefind binary (``pagefind[bin]``) is installed."""
    try:
        import pagefind_bin  # type: ignore[import-not-found]  # noqa: F401  # lazy: whether it is installed
    except ImportError:
        return False
    return True


def run_pagefind(site: Path, output: Path | None = None) -> Msg | None:
    """Index ``site`` with Pagefind into ``site/pagefind`` (or ``output``); return an error, or None.

    Pagefind reads a copy of the pages (``pagefind_page``) beside ``site``, removed afterwards.
    """
    copy = site.parent / f".{site.name}.pagefind-pages"
    command = [sys.executable, "-m", "pagefind", "--site", str(copy), "--silent", "--keep-index-url",
               "--output-path", str(output if output is not None else site / "pagefind")]
    for selector in NOT_TEXT:
        command += ["--exclude-selectors", selector]
    try:
        shutil.rmtree(copy, ignore_errors=True)
        for page in site.rglob("*.html"):
            relative = page.relative_to(site)
            if relative.parts[0] == "pagefind":
                continue  # its own bundle (``output.write.SEARCH_FOLDER``)
            try:
                source = page.read_bytes()
            except FileNotFoundError:
                continue  # removed by the live preview meanwhile: the next save indexes again
            (copy / relative).parent.mkdir(parents=True, exist_ok=True)
            (copy / relative).write_bytes(pagefind_page(source))
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return msg("search_not_built", error=str(exc))
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        return msg("search_not_built", error=f"pagefind: {detail[-1] if detail else done.returncode}")
    return None


def reindex(out: Path, lock: Callable[[], AbstractContextManager[Any]]) -> Msg | None:
    """Rebuild ``out/pagefind`` beside it, then swap it in under ``lock``: a search never sees half an index.

    Indexing reads the pages while the preview may replace some of them: each
    is replaced whole, and the next save indexes again.
    """
    fresh = out.parent / f".{out.name}.pagefind-tmp"
    shutil.rmtree(fresh, ignore_errors=True)
    error = run_pagefind(out, fresh)
    if error:
        shutil.rmtree(fresh, ignore_errors=True)
        return error
    old = out.parent / f".{out.name}.pagefind-old"
    with lock():
        shutil.rmtree(old, ignore_errors=True)
        current = out / "pagefind"
        if current.exists():
            current.rename(old)
        fresh.rename(current)
    shutil.rmtree(old, ignore_errors=True)
    return None


def indexer(enabled: bool, diagnostics: Diagnostics) -> Callable[[Path], None] | None:
    """Return what indexes the staging folder with Pagefind before it is swapped in (None: search is off)."""
    if not enabled:
        return None
    if not pagefind_available():
        diagnostics.warning("pacsite.yaml", None, "search", msg("pagefind_missing"))
        return None

    def index(staging: Path) -> None:
        error = run_pagefind(staging)
        if error:
            diagnostics.warning("pacsite.yaml", None, "search", error)

    return index
