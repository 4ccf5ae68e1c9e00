"""Search: the compact index for file://, Pagefind for http, the search page, the live re-index."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pacsite.build import build
from pacsite.errors import Diagnostics
from pacsite.output import search
from pacsite.serve.live import Builder, Indexer, LiveState
from tests.conftest import EXAMPLE_TODAY, REPO, MakePlan

BROWSER_DIR = Path(__file__).parent / "browser"
needs_browser = pytest.mark.skipif(
    not (Path("/usr/bin/chromium").exists() and (BROWSER_DIR / "node_modules" / "playwright-core").is_dir()),
    reason="needs Debian's chromium and playwright-core: `make browser-deps` (CI installs them)",
)
PHASE_PAGE = "actions/supports-contractuels/autres-documents/index.html"


def compact_index(site: Path) -> dict[str, list[str]]:
    text = (site / search.INDEX).read_text(encoding="utf-8")
    assert text.startswith("window.pacsiteSearch = ") and text.endswith(";\n")
    return {entry[0]: entry for entry in json.loads(text[len("window.pacsiteSearch = "):-2])["pages"]}


def test_fold_ignores_case_and_accents() -> None:
    assert search.fold("Émilie FAURE, procès-verbal") == "emilie faure, proces-verbal"


def test_page_text_is_the_main_content_without_navigation_or_charts() -> None:
    page = ("<html><body><nav>Menu</nav><main id='x'><h1>Titre</h1><nav>Fil</nav><p>Un &amp; deux</p>"
            "<svg><title>Graphique</title></svg><script>var x;</script></main><footer>Pied</footer></body></html>")
    assert search.page_text(page.encode()) == "Titre Un & deux"


def test_the_compact_index_lists_pages_with_family_words_and_summary(example_site: Path) -> None:
    pages = compact_index(example_site)
    path, title, family, summary, words = pages[PHASE_PAGE]
    assert title.startswith("Les autres documents liés à la vente")
    assert family == "La conception des supports contractuels"
    assert summary.startswith("Trois documents à créer")
    # body words, owner name, tags and figures, without accents
    assert {"hivernage", "proces", "verbal", "emilie", "faure", "contrats", "200"} <= set(words.split())
    assert "404.html" not in pages and "recherche/index.html" not in pages
    assert pages["budget/index.html"][2] == ""  # only phases name their family


def test_the_search_page_and_header_box_exist_in_each_language(example_site: Path, tmp_path: Path) -> None:
    page = (example_site / "recherche" / "index.html").read_text(encoding="utf-8")
    assert 'id="search-results"' in page and 'data-index="../search-index.js"' in page
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert 'role="search" action="recherche/index.html"' in home and "data-pagefind-body" in home
    assert "search-index.js" not in (example_site / "sitemap.xml").read_text(encoding="utf-8")
    root = tmp_path / "en"
    shutil.copytree(REPO / "content", root / "content")
    (root / "pacsite.yaml").write_text((REPO / "pacsite.yaml").read_text(encoding="utf-8").replace(
        "language: fr", "language: en"))
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    english = (root / "public" / "search" / "index.html").read_text(encoding="utf-8")
    assert "Search the plan" in english and "No result for" in english


def test_search_can_be_turned_off(make_plan: MakePlan) -> None:
    root = make_plan({"pacsite.yaml": "search: false\n"})
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    assert not (root / "public" / search.INDEX).exists() and not (root / "public" / "pagefind").exists()
    assert not (root / "public" / "recherche").exists()
    assert 'role="search"' not in (root / "public" / "index.html").read_text(encoding="utf-8")


@pytest.mark.skipif(not search.pagefind_available(), reason="pagefind[bin] is not installed")
def test_the_build_writes_a_pagefind_index(example_site: Path) -> None:
    assert (example_site / "pagefind" / "pagefind.js").is_file()
    assert (example_site / "pagefind" / "pagefind-entry.json").is_file()


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A static http server on a folder, for the site copied under a sub-path."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path / "www"
    folder.mkdir()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                              cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        yield folder, port
    finally:
        server.terminate()
        server.wait(10)


def browser_search(query: str, expected: str, *urls: str) -> list[dict[str, object]]:
    done = subprocess.run(["node", str(BROWSER_DIR / "search.mjs"), query, expected, *urls],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.mark.slow  # a browser, over http and from disk
@needs_browser
@pytest.mark.skipif(not search.pagefind_available(), reason="pagefind[bin] is not installed")
def test_a_word_of_a_phase_body_finds_it_over_http_under_a_sub_path_and_from_disk(
    example_site: Path, http_root: tuple[Path, int]
) -> None:
    folder, port = http_root
    shutil.copytree(example_site, folder / "some" / "sub" / "path")
    served = f"http://127.0.0.1:{port}/some/sub/path/recherche/index.html"
    from_disk = (example_site / "recherche" / "index.html").as_uri()
    # a plural the page writes in the singular elsewhere, and an owner's name typed without accent
    for query in ("hivernage couvertures", "emilie faure contrat"):
        for report in browser_search(query, "autres-documents", served, from_disk):
            assert not report.get("error") and not report["errors"], report
            assert report["followed"] and report["followed"]["ok"], report  # type: ignore[index]
            hit = next(r for r in report["results"] if "autres-documents" in r["href"])  # type: ignore[attr-defined]
            assert hit["family"] == "La conception des supports contractuels"
            assert not report["foreign"], report  # no request leaves the site


@pytest.mark.slow  # a real preview, Pagefind and a browser
@needs_browser
@pytest.mark.skipif(not search.pagefind_available(), reason="pagefind[bin] is not installed")
def test_the_live_preview_reindexes_after_a_pause(tmp_path: Path, http_root: tuple[Path, int]) -> None:
    folder, port = http_root
    root = tmp_path / "plan"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    out = folder / "site"
    builder = Builder(root, out, LiveState(), EXAMPLE_TODAY)
    builder.indexer = Indexer(builder.out, quiet=0.2)
    builder.build_once()
    thread = threading.Thread(target=builder.indexer.run, args=(builder.stop,), daemon=True)
    thread.start()
    try:
        phase = next((root / "content" / "actions").glob("06-*/03-*.md"))
        phase.write_text(phase.read_text(encoding="utf-8") + "\nLe mot zorglubien est nouveau.\n", encoding="utf-8")
        builder.mark(str(phase))
        builder.build_once()
        deadline = time.monotonic() + 30
        while builder.indexer.runs == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert builder.indexer.runs == 1
        assert not list(folder.glob(".site.pagefind-*"))  # the fresh index was swapped in, nothing left
        (report,) = browser_search("zorglubien", "autres-documents", f"http://127.0.0.1:{port}/site/recherche/index.html")
        assert report["followed"], report
    finally:
        builder.stop.set()
        thread.join(30)
