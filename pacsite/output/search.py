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
_H1 = re.compile(r"<h1\b.*?</h1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"<p\b(?![^>]*class=\"lead)[^>]*>(.*?)</p>", re.DOTALL | re.IGNORECASE)
_WORD = re.compile(r"\w+")


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


def entry(page: PageSpec, family: str, page_html: bytes) -> list[str]:
    """Return one page's entry: path, title, family, summary, distinct folded words."""
    body = _main(page_html)
    # the first real paragraph reads better than the status line and the fields
    paragraphs = (_text(p) for p in _PARAGRAPH.findall(body))
    summary = next((p for p in paragraphs if len(p) >= 40), "") or _text(_H1.sub(" ", body, 1))
    if len(summary) > SUMMARY:
        summary = summary[:SUMMARY].rsplit(" ", 1)[0] + " …"
    words = dict.fromkeys(w for w in _WORD.findall(fold(_text(body))) if len(w) > 1 or w.isdigit())
    return [page.path, page.title, family, summary, " ".join(words)]


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
    """Index ``site`` with Pagefind into ``site/pagefind`` (or ``output``); return an error, or None."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent", "--keep-index-url"]
    if output is not None:
        command += ["--output-path", str(output)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return msg("search_not_built", error=str(exc))
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
