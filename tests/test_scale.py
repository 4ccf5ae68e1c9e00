"""A large plan: no page embeds it whole, and every phase stays reachable.

The thresholds are lowered on the example (54 phases, 15 families) so that
the large layout is checked on a plan whose figures we know, in a second.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pacsite import pages
from pacsite.build import build
from pacsite.errors import Diagnostics
from tests.conftest import EXAMPLE_TODAY, REPO

LIMIT = 3


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("large")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pages, "PLAN_SPLIT", 20)
        patch.setattr(pages, "LIST_LIMIT", LIMIT)
        patch.setattr(pages, "HOME_LIMIT", 2)
        build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    return root / "public"


def phase_links(html: str) -> set[str]:
    """The phase pages a page links to (actions/<family>/<phase>/index.html), as site paths."""
    return {m for m in re.findall(r'href="(?:\.\./)*(actions/[^/"#]+/[^/"#]+/index\.html)"', html)}


def all_phases(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.glob("actions/*/*/index.html")}


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_the_plan_table_is_one_page_per_family_under_an_overview(large_site: Path) -> None:
    overview = read(large_site, "plan/index.html")
    assert phase_links(overview) == set()  # totals per family, no phase
    families = sorted(p.parent.name for p in large_site.glob("actions/*/index.html"))
    assert len(families) == 15
    # the overview's jump list and table lead to every family's part; the parts hold every phase once
    for slug in families:
        assert f'href="{slug}/index.html"' in overview
    seen: list[str] = []
    for slug in families:
        part = read(large_site, f"plan/{slug}/index.html")
        links = phase_links(part)
        assert all(link.startswith(f"actions/{slug}/") for link in links), slug
        seen += links
    assert sorted(seen) == sorted(all_phases(large_site))
    # the overview's total is the plan's: 421 715,00 € planned (worked out in test_figures)
    assert "421\u202f715,00\u00a0€" in overview or "421\u00a0715,00\u00a0€" in overview


def test_the_timeline_is_one_bar_per_family(large_site: Path) -> None:
    timeline = read(large_site, "calendrier/index.html")
    assert phase_links(timeline) == set()
    assert timeline.count('class="bar ') == 15
    # La réalisation des études de marché préalables: 11 janvier → 16 avril 2027, every phase done
    assert "La réalisation des études de marché préalables" in timeline
    assert 'class="bar done"' in timeline


def test_plan_wide_lists_show_their_first_rows_and_say_how_many_more(large_site: Path) -> None:
    variances = read(large_site, "ecarts/index.html")
    assert variances.count('<article class="variance"') == LIMIT
    more = re.search(r"… et (\d+) de plus", variances)
    assert more is not None
    # every family's own variance page still lists all of its phases with a variance
    listed = sum(read(large_site, p.relative_to(large_site).as_posix()).count('<article class="variance"')
                 for p in large_site.glob("ecarts/*/index.html"))
    assert int(more.group(1)) == listed - LIMIT
    people = read(large_site, "equipe/index.html")
    counts = [section.count('<tr><th scope="row">') for section in people.split('<section class="person"')[1:]]
    assert max(counts) == LIMIT and len(counts) > 3
    assert "la page de chaque famille les donne toutes" in people
    # the home page: the 2 latest of the example's 4 late phases (33 and 19 days late), then a count
    late = read(large_site, "index.html").split('id="late-t"')[1].split("</section>")[0]
    assert late.count("<li>") == 2 and "… et 2 autres phases en retard" in late
    assert late.index("33 jours") < late.index("19 jours")


def test_a_small_plan_keeps_the_whole_table_and_timeline(example_site: Path) -> None:
    assert phase_links(read(example_site, "plan/index.html")) == all_phases(example_site)
    assert not (example_site / "plan" / "etudes-de-marche").exists()
    assert "la page de chaque famille les donne toutes" not in read(example_site, "ecarts/index.html")
