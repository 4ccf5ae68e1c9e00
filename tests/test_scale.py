"""A large plan: no page embeds it whole, and every phase stays reachable.

The thresholds are lowered on the example (54 phases, 15 families) so that
the large layout is checked on a plan whose figures we know, in a second.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pacsite.build import build
from pacsite.errors import Diagnostics
from pacsite.site import pages
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
        patch.setattr(pages, "PEOPLE_LIMIT", LIMIT)
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


def test_a_large_plans_timeline_opens_on_what_is_near_and_each_family_on_its_phases(large_site: Path) -> None:
    """A large plan's timeline: first what is late or under way in the next 90 days, under its family; then
    one bar per family (its first start to its last end), each a <details> that opens on its phases."""
    from datetime import timedelta

    from pacsite.build import plan_site

    timeline = read(large_site, "calendrier/index.html")
    soon, families = timeline.split('id="familles"')
    groups = families.split('<details class="gantt-group">')[1:]
    assert len(groups) == 15
    # each group: its summary (the family's bar, no link: the summary opens it), then its phases with links
    for group in groups:
        summary, phases = group.split("</details>")[0].split("</summary>")
        assert "<a " not in summary and summary.count('class="bar ') == 1
        assert phase_links(phases) and phases.count('class="bar ') == len(phase_links(phases))
    assert phase_links(families) == all_phases(large_site)
    # La réalisation des études de marché préalables: 4 phases, every one done, none late
    first = groups[0].split("</summary>")[0]
    assert "La réalisation des études de marché préalables (4\u00a0phases)" in first and 'class="bar done"' in first
    # the near view: worked out from the plan itself (late, or not done and between today and today + 90 days)
    site = plan_site(REPO, Diagnostics(), EXAMPLE_TODAY, history=False, charts=False)
    horizon = EXAMPLE_TODAY + timedelta(days=90)
    near = {f"actions/{f.slug}/{p.slug}/index.html" for f in site.plan.families for p in f.phases
            if site.figures.phases[p.key].late or (p.status in ("planned", "in_progress") and p.start and p.end
                                                   and p.start <= horizon and p.end >= EXAMPLE_TODAY)}
    assert phase_links(soon) == near and len(near) > 5
    assert f"({len(near)})</span>" in soon  # the count in its heading


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
    late = read(large_site, "index.html").split('id="a-traiter"')[1].split("</div>")[0]
    assert late.count("<li>") == 2 and "… et 2 autres phases en retard" in late
    assert late.index("33\u00a0jours") < late.index("19\u00a0jours")


def test_a_small_plan_keeps_the_whole_table_and_timeline(example_site: Path) -> None:
    assert phase_links(read(example_site, "plan/index.html")) == all_phases(example_site)
    assert not (example_site / "plan" / "etudes-de-marche").exists()
    assert "la page de chaque famille les donne toutes" not in read(example_site, "ecarts/index.html")


LARGE_KINDS = ("plan/index.html", "plan/qualite/index.html", "calendrier/index.html", "ecarts/index.html",
               "equipe/index.html", "objectifs/index.html", "index.html")


@pytest.mark.slow  # the Nu checker
def test_the_large_layout_is_valid_html(large_site: Path) -> None:
    """The pages only a large plan has pass the Nu Html Checker, as every page of the example does."""
    from tests.test_quality import VNU

    if not (shutil.which("java") and VNU.is_file()):
        pytest.skip("needs Java and the Nu Html Checker (npm vnu-jar): `make browser-deps`")
    done = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                           *(str(large_site / k) for k in LARGE_KINDS)], capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    assert messages == []


@pytest.mark.slow  # axe in a browser
def test_the_large_layout_passes_axe_light_and_dark(large_site: Path) -> None:
    from tests.test_quality import BROWSER_DIR, CHROMIUM, MODULES

    if not (CHROMIUM.exists() and shutil.which("node") and (MODULES / "axe-core" / "axe.min.js").is_file()):
        pytest.skip("needs Debian's chromium, node, playwright-core and axe-core: `make browser-deps`")
    urls = [(large_site / k).as_uri() for k in LARGE_KINDS]
    done = subprocess.run(["node", str(BROWSER_DIR / "axe.mjs"), *urls], capture_output=True, text=True,
                          timeout=300, cwd=BROWSER_DIR)
    assert done.returncode == 0, done.stderr[-2000:]
    reports = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(reports) == 2 * len(LARGE_KINDS)
    assert [(r["url"], r["scheme"], r.get("error"), [v["id"] for v in r.get("violations", [])]) for r in reports
            if r.get("error") or r.get("violations")] == []
