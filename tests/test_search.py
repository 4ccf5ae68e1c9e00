"""Search: the compact index for file://, Pagefind for http, the search page, the live re-index."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
VITRINES = "actions/univers-commercial/vitrines/index.html"
# Nicolas Perrin's phases in the plan's order (``qui: nicolas-perrin`` in content/actions/*/*.md)
PERRIN = [f"actions/{p}/index.html" for p in (
    "supports-commerciaux/supports-force-de-vente", "univers-commercial/vitrines",
    "univers-commercial/amenagement-grenoble", "univers-commercial/amenagement-annecy",
    "marketing-direct/teleprospection", "marketing-evenementiel/portes-ouvertes",
    "marketing-evenementiel/animations-jardineries", "marketing-relationnel/prescripteurs",
    "organisation-commerciale/ouverture-grenoble", "organisation-commerciale/ouverture-annecy",
    "organisation-commerciale/recrutement")]
# what tables, charts, fields and badges leave in a text: three column names in a row, a status sign, three amounts
_HEADERS = re.compile(r"\b(?:(?:Phase|Qui|Statut|Calendrier|Prévu|Réalisé|Écart|Objectif|Budget|Enveloppe)\b\W*){3}")
_SIGNS = re.compile("[✓◐○✕⚠▲◆]")
_AMOUNT = r"[+-]?\d{1,3}(?:[\s\u202f]\d{3})*,\d\d\s?€"
_AMOUNTS = re.compile(rf"{_AMOUNT}\W+{_AMOUNT}\W+{_AMOUNT}")


def not_prose(text: str) -> bool:
    return bool(_HEADERS.search(text) or _SIGNS.search(text) or _AMOUNTS.search(text))


def compact_index(site: Path) -> dict[str, list[Any]]:  # path, title, family, summary, words, rank
    text = (site / search.INDEX).read_text(encoding="utf-8")
    assert text.startswith("window.pacsiteSearch = ") and text.endswith(";\n")
    return {entry[0]: entry for entry in json.loads(text[len("window.pacsiteSearch = "):-2])["pages"]}


def compact_search(pages: dict[str, list[Any]], query: str) -> list[str]:
    """The pages ``pacsite.js`` lists for ``query`` from the compact index, in its order (``stems``, ``score``):
    every word of the query, accents ignored and a plural or feminine ending dropped, starts a word of the page;
    then 10 points a word the title names, 5 for a phase (rank 1), then the index's order."""
    wanted = [re.sub(r"(eaux|aux|es|s|x|e)$", "", w) if len(w) > 4 else w
              for w in re.findall(r"\w+", search.fold(query))]
    found = []
    for order, (path, title, _, _, words, rank) in enumerate(pages.values()):
        if all(f" {w}" in f" {words}" for w in wanted):
            named = " " + " ".join(re.findall(r"\w+", search.fold(title)))
            found.append((-5 * rank - sum(10 for w in wanted if f" {w}" in named), order, path))
    return [path for _, _, path in sorted(found)]


def test_fold_ignores_case_and_accents() -> None:
    assert search.fold("Émilie FAURE, procès-verbal") == "emilie faure, proces-verbal"


def test_page_text_is_the_main_content_without_navigation_or_charts() -> None:
    page = ("<html><body><nav>Menu</nav><main id='x'><h1>Titre</h1><nav>Fil</nav><p>Un &amp; deux</p>"
            "<svg><title>Graphique</title></svg><script>var x;</script></main><footer>Pied</footer></body></html>")
    assert search.page_text(page.encode()) == "Titre Un & deux"


def test_the_compact_index_lists_pages_with_family_words_and_summary(example_site: Path) -> None:
    pages = compact_index(example_site)
    path, title, family, summary, words, rank = pages[PHASE_PAGE]
    assert title.startswith("Les autres documents liés à la vente") and rank == 1
    assert family == "La conception des supports contractuels"
    assert summary.startswith("Trois documents à créer")
    # body words, owner name, tags and figures, without accents
    assert {"hivernage", "proces", "verbal", "emilie", "faure", "contrats", "200"} <= set(words.split())
    assert "404.html" not in pages and "recherche/index.html" not in pages
    assert pages["budget/index.html"][2] == "" and pages["budget/index.html"][5] == 0  # only phases name their family


def test_a_summary_is_the_pages_own_text_never_its_tables_fields_or_badges() -> None:
    own = ('<div class="prose"><table><tr><td>Une cellule de tableau écrite dans le texte même de la phase</td></tr>'
           '</table><p>Court.</p><ul><li>Un point de la liste du texte, assez long pour dire de quoi parle la '
           'page.</li></ul></div>')
    body = ('<h1>Titre</h1><p class="lead"><span class="badge st-done"><span aria-hidden="true">✓</span> Terminé</span>'
            '</p><dl class="facts"><div><dt>Qui</dt> <dd>Émilie Faure, responsable qualité et service après-vente</dd>'
            '</div></dl><table><tr><th>Phase</th><td><p>Objectif atteint. Le dépassement correspond à une relance.</p>'
            '</td></tr></table>')
    assert search.summary_of(body + own, "Titre", "Famille") == \
        "Un point de la liste du texte, assez long pour dire de quoi parle la page."
    # nothing written for the page: its title and family (the badges of its lead are no text)
    assert search.summary_of(body, "Titre", "Famille") == "Titre — Famille"
    assert search.summary_of(body.replace("</h1>", '</h1><p class="lead">Le but de la famille.</p>'), "Titre", "") == \
        "Le but de la famille."


def test_pagefind_indexes_a_copy_of_the_page_its_own_text_with_every_word_as_metadata() -> None:
    page = ('<html lang="fr"><body><nav>Menu</nav><main id="contenu" data-pagefind-body><nav class="crumbs" '
            'data-pagefind-ignore><a href="f.html" data-pagefind-meta="family">La famille</a></nav><h1>Titre</h1>'
            '<dl class="facts"><div><dt>Qui</dt> <dd>Émilie Faure</dd></div></dl><div class="prose"><p>Le texte écrit '
            'pour la phase.</p></div><h2 id="lignes">Lignes</h2><table><tr><th>Vitrines</th><td>8 500,00 €</td></tr>'
            '</table></main></body></html>')
    copy = search.pagefind_page(page.encode()).decode()
    head, main = copy.split('<main id="contenu" data-pagefind-body>')
    main, tail = main.split("</main>")
    assert head == '<html lang="fr"><body><nav>Menu</nav>' and tail == "</body></html>"
    # the text excerpts are cut from: the headings and what was written for the page
    assert main.startswith('<h1>Titre</h1>\n<div class="prose"><p>Le texte écrit pour la phase.</p></div>\n'
                           '<h2 id="lignes">Lignes</h2>\n<div data-pagefind-ignore>')
    # every word, as metadata: a phase's (it names its family) under their own name; its summary
    assert '<a href="f.html" data-pagefind-meta="family">La famille</a>' in main
    words = re.search(r'data-pagefind-meta="phase_words:([^"]*)"', main)
    assert words and {"Titre", "Qui", "Émilie", "Faure", "Vitrines", "8", "500", "00"} <= set(words.group(1).split())
    assert '<div data-pagefind-meta="summary:Le texte écrit pour la phase."></div>' in main
    other = search.pagefind_page(page.replace(' data-pagefind-meta="family"', "").encode()).decode()
    assert 'data-pagefind-meta="words:' in other and "phase_words" not in other and "summary:" in other
    # a page Pagefind leaves out (no data-pagefind-body) is not changed
    assert search.pagefind_page(b"<main><table></table></main>") == b"<main><table></table></main>"


def test_the_compact_index_ranks_a_phase_first_and_shows_its_text(example_site: Path) -> None:
    pages = compact_index(example_site)
    hits = compact_search(pages, "vitrine")
    # the phase's title names it; the plan table, its family's page, the calendar, the variances, the team and
    # the objectives list it in their tables, after it
    assert hits[0] == VITRINES
    assert {"plan/index.html", "actions/univers-commercial/index.html", "calendrier/index.html", "equipe/index.html",
            "objectifs/index.html", "ecarts/univers-commercial/index.html"} <= set(hits[1:])
    # the first paragraph of content/actions/07-univers-commercial/01-vitrines.md
    assert pages[VITRINES][3].startswith("Les vitrines mettent en scène une piscine protégée (couverture à barres")
    # the family's page: the paragraph of its _index.md, not its table of phases (Phase Qui Statut Calendrier…)
    assert pages["actions/univers-commercial/index.html"][3].startswith("Le concept de magasin a été mis au point")
    assert not any("Phase Qui Statut" in pages[path][3] for path in hits)
    # a name only fields and tables show: Nicolas Perrin's phases in the plan's order, then the pages listing them
    hits = compact_search(pages, "Perrin")
    assert hits[:len(PERRIN)] == PERRIN
    assert {"plan/index.html", "equipe/index.html", "actions/univers-commercial/index.html"} <= set(hits[len(PERRIN):])


def test_every_summary_of_the_example_is_prose(example_site: Path) -> None:
    pages = compact_index(example_site)
    for path, entry in pages.items():
        assert entry[3] and not not_prose(entry[3]), (path, entry[3])
    # pages with no text of their own: their title (before: "Prévu Réalisé ▲…", "✓ Terminé ◐ En cours…")
    assert [pages[p][3] for p in ("budget/index.html", "calendrier/index.html", "equipe/index.html",
                                  "plan/index.html", "ecarts/supports-commerciaux/index.html")] == \
        ["Budget", "Calendrier", "Équipe", "Tableau du plan",
         "Écarts — La création des supports de présentation commerciale"]
    # the home page: the vision of content/_index.md, not the figures of where the plan stands
    assert pages["index.html"][3].startswith("Nous deviendrons sous 5 ans le leader en Rhône-Alpes de la distribution")
    # a family's variances: its first analysis (02-amenagement-grenoble.md), figures in a sentence are prose
    assert pages["ecarts/univers-commercial/index.html"][3].startswith("Dépassement de 12 870,35 € (+40 %) et 13 jours")


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


def site_paths(report: dict[str, Any]) -> list[str]:
    """The paths in the site of the results a browser search listed."""
    base = report["url"].removesuffix("recherche/index.html")
    return [result["href"].removeprefix(base) for result in report["results"]]


def browser_search(query: str, expected: str, *urls: str) -> list[dict[str, Any]]:
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
            assert report["followed"] and report["followed"]["ok"], report
            hit = next(r for r in report["results"] if "autres-documents" in r["href"])
            assert hit["family"] == "La conception des supports contractuels"
            assert not report["foreign"], report  # no request leaves the site


@pytest.mark.slow  # a browser, over http and from disk
@needs_browser
@pytest.mark.skipif(not search.pagefind_available(), reason="pagefind[bin] is not installed")
def test_both_indexes_rank_phases_first_and_show_their_text_never_table_cells(
    example_site: Path, http_root: tuple[Path, int]
) -> None:
    folder, port = http_root
    shutil.copytree(example_site, folder / "site")
    urls = (f"http://127.0.0.1:{port}/site/recherche/index.html", (example_site / "recherche" / "index.html").as_uri())
    for report in browser_search("vitrine", "univers-commercial/vitrines", *urls):
        assert not report.get("error") and not report["errors"], report
        paths, results = site_paths(report), report["results"]
        # the phase its title names first, with its text (content/actions/07-univers-commercial/01-vitrines.md);
        # the plan table, its family's page and the team list it in tables: after it, and never by their cells
        assert paths[0] == VITRINES and "mettent en scène une piscine protégée" in results[0]["excerpt"], report
        assert {"plan/index.html", "actions/univers-commercial/index.html", "equipe/index.html"} <= set(paths[1:])
        for result in results:
            assert not not_prose(result["excerpt"]) and "Phase Qui Statut" not in result["excerpt"], result
    for report in browser_search("Perrin", "supports-force-de-vente", *urls):
        # a name only the phases' fields and the tables show: his phases (any order) before the pages listing them
        paths = site_paths(report)
        assert set(paths[:len(PERRIN)]) == set(PERRIN), report
        assert all(r["family"] for r in report["results"][:len(PERRIN)]), report
        assert {"plan/index.html", "equipe/index.html"} <= set(paths[len(PERRIN):]), report


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
