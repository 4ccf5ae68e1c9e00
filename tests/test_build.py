"""The built example: every page, every link resolves, figures agree with plan.json, same bytes twice."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pacsite.build import build
from pacsite.errors import Diagnostics
from pacsite.i18n import french_spaces
from tests.conftest import EXAMPLE_TODAY, REPO, write_plan


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name] or "")
        if values.get("id"):
            self.ids.add(values["id"] or "")


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


PAGES = [
    "index.html", "plan/index.html", "budget/index.html", "calendrier/index.html", "ecarts/index.html",
    "objectifs/index.html", "equipe/index.html", "404.html", "sitemap.xml", "plan.json", "budget.csv",
    "plan.xlsx", "plan.ics", "assets/style.css", "assets/pacsite.js",
]


def test_every_page_and_download_exists(example_site: Path) -> None:
    for rel in PAGES:
        assert (example_site / rel).is_file(), rel
    data = json.loads((example_site / "plan.json").read_text())
    for family in data["families"]:
        assert (example_site / "actions" / family["slug"] / "index.html").is_file()
        assert (example_site / "ecarts" / family["slug"] / "index.html").is_file()
        for phase in family["phases"]:
            assert (example_site / "actions" / family["slug"] / phase["slug"] / "index.html").is_file()
    assert len(list((example_site / "pages").glob("*/index.html"))) >= 2


def test_every_internal_link_resolves(example_site: Path) -> None:
    broken = []
    ids: dict[Path, set[str]] = {}
    pages = sorted(example_site.rglob("*.html"))
    for page in pages:
        ids[page] = parse(page).ids
    for page in pages:
        for link in parse(page).links:
            if re.match(r"^[a-z]+:", link) or link.startswith("//"):
                assert link.startswith("mailto:"), f"{page}: external request {link}"
                continue
            path, _, anchor = link.partition("#")
            target = (page.parent / path).resolve() if path else page
            if not target.is_file():
                broken.append(f"{page.relative_to(example_site)} -> {link}")
            elif anchor and target.suffix == ".html" and anchor not in ids[target]:
                broken.append(f"{page.relative_to(example_site)} -> {link} (no such anchor)")
    assert not broken, broken[:20]


def test_links_from_disk_name_index_html(example_site: Path) -> None:
    html = (example_site / "actions" / "etudes-de-marche" / "index.html").read_text()
    hrefs = re.findall(r'href="([^"#]*)"', html)
    assert hrefs and all(h.endswith((".html", ".css", ".json", ".csv", ".xlsx", ".ics")) or h.startswith("mailto:")
                         for h in hrefs if h), hrefs


def _cells(html: str) -> list[str]:
    """Return the text of each <td> of a row, tags removed."""
    return [re.sub(r"<[^>]+>|⚠|\s+$|^\s+", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]


def _money(text: str) -> Decimal:
    text = re.sub(r"\s*\(.*\)$", "", text.strip())
    return Decimal(text.replace("\u202f", "").replace("\u00a0€", "").replace(",", ".").replace("−", "-"))


def test_budget_page_figures_equal_plan_json(example_site: Path) -> None:
    data = json.loads((example_site / "plan.json").read_text())
    html = (example_site / "budget" / "index.html").read_text()
    table = html[html.index('id="table-familles"'):]
    table = table[: table.index("</table>")]
    for family in data["families"]:
        title = re.escape(french_spaces(family["title"]).replace("'", "&#39;"))
        row = re.search(r'<tr><th scope="row"><a [^>]*>' + title + r"</a></th>(.*?)</tr>", table)
        assert row, family["title"]
        cells = _cells(row.group(1))
        assert _money(cells[1]) == Decimal(family["planned"])
        assert _money(cells[3]) == Decimal(family["actual"])
    foot = table[table.index("<tfoot>"):]
    cells = _cells(foot)
    assert _money(cells[1]) == Decimal(data["totals"]["planned"])
    assert _money(cells[3]) == Decimal(data["totals"]["actual"])
    months = html[html.index('id="table-mois"'):]
    total_month = _cells(months[months.index("<tfoot>"):])
    assert _money(total_month[0]) == Decimal(data["totals"]["planned"])
    assert sum(Decimal(v["planned"]) for v in data["by_month"].values()) == Decimal(data["totals"]["planned"])


def test_plan_json_shape(example_site: Path) -> None:
    data = json.loads((example_site / "plan.json").read_text())
    assert data["today"] == EXAMPLE_TODAY.isoformat() and data["currency"] == "EUR"
    assert set(data["totals"]) >= {"planned", "actual", "variance", "envelope", "remaining", "late_phases"}
    phase = data["families"][0]["phases"][0]
    assert set(phase) >= {"slug", "title", "stage", "owner", "start", "end", "status", "late", "days_late",
                          "planned", "actual", "objective_status", "gap", "gap_pct"}
    assert re.fullmatch(r"\d+\.\d\d", data["totals"]["planned"])
    assert all(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])|", k) for k in data["by_month"])
    assert all(re.fullmatch(r"\d{4}-Q[1-4]|", k) for k in data["by_quarter"])
    statuses = {p["objective_status"] for f in data["families"] for p in f["phases"]}
    assert statuses <= {None, "met", "on_track", "watch", "off_track", "pending"}
    assert data["totals"]["late_phases"] >= 3


def test_french_typography(example_site: Path) -> None:
    html = (example_site / "budget" / "index.html").read_text()
    assert re.search(r"\d{1,3}\u202f\d{3},\d\d\u00a0€", html)
    phase = next((example_site / "actions").glob("*/*/index.html")).read_text()
    assert "30\u00a0juin\u00a02027" in (example_site / "index.html").read_text()
    assert " :" not in re.sub(r"<[^>]+>", "", phase).replace("\u00a0:", "")


def test_budget_csv_opens_in_french_excel(example_site: Path) -> None:
    raw = (example_site / "budget.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].count(";") == 11  # family … status, planned, planned to date, actual, variance to date, variance
    assert re.search(r";\d+,\d\d;", lines[1])


def test_xlsx_and_ics_open(example_site: Path) -> None:
    from icalendar import Calendar
    from openpyxl import load_workbook

    wb = load_workbook(example_site / "plan.xlsx")
    assert [ws.sheet_state for ws in wb.worksheets] == ["visible"] * 7 + ["hidden"]  # the last: for import
    data = json.loads((example_site / "plan.json").read_text())
    dated = sum(1 for f in data["families"] for p in f["phases"] if p["start"])
    cal = Calendar.from_ical((example_site / "plan.ics").read_bytes())
    assert len(cal.walk("VEVENT")) == dated


def test_output_is_reproducible(tmp_path: Path, example_site: Path) -> None:
    root = tmp_path / "again"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    first = {p.relative_to(example_site): p.read_bytes() for p in example_site.rglob("*") if p.is_file()}
    second = {p.relative_to(root / "public"): p.read_bytes() for p in (root / "public").rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_sidebar_lists_only_the_current_familys_phases(example_site: Path) -> None:
    data = json.loads((example_site / "plan.json").read_text())
    html = (example_site / "plan" / "index.html").read_text()
    sidebar = html[html.index('class="sidebar"'):html.index("</nav>", html.index('class="sidebar"'))]
    assert 'class="phases"' not in sidebar
    slug = data["families"][0]["slug"]
    page = (example_site / "actions" / slug / "index.html").read_text()
    side = page[page.index('class="sidebar"'):page.index("</nav>", page.index('class="sidebar"'))]
    assert side.count('class="phases"') == 1


@pytest.mark.parametrize("base", ["https://intranet.example/plan/"])
def test_base_url_used_only_where_absolute_urls_are_required(tmp_path: Path, base: str) -> None:
    root = tmp_path / "p"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY, base_url=base)
    assert f"<loc>{base}budget/</loc>" in (root / "public" / "sitemap.xml").read_text()
    html = (root / "public" / "budget" / "index.html").read_text()
    assert html.count(base) == 1  # only the canonical link


def test_phase_pages_do_not_grow_with_the_family(tmp_path: Path) -> None:
    sizes = {}
    for count in (5, 300):
        files = {f"content/actions/01-f/{i:03d}-p{i}.md": f"---\ntitle: Phase {i}\nbudget: 10\n---\nTexte.\n"
                 for i in range(count)}
        root = tmp_path / str(count)
        write_plan(root, files)
        build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
        sizes[count] = (root / "public" / "actions" / "f" / "p2" / "index.html").stat().st_size
    assert sizes[300] < sizes[5] * 1.35, sizes


@pytest.mark.parametrize("table_id, key", [("table-etapes", "by_stage"), ("table-responsables", "by_owner"),
                                           ("table-objectifs", "by_objective"), ("table-trimestres", "by_quarter"),
                                           ("table-mois", "by_month")])
def test_every_budget_table_row_matches_plan_json(example_site: Path, table_id: str, key: str) -> None:
    data = json.loads((example_site / "plan.json").read_text())
    html = (example_site / "budget" / "index.html").read_text()
    table = html[html.index(f'id="{table_id}"'):]
    body = table[table.index("<tbody>"):table.index("</tbody>")]
    rows = [_cells(r) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]
    actual_column = 1 if key in ("by_quarter", "by_month") else 2  # to-date tables add a column
    planned = sorted(_money(r[0]) for r in rows)
    actual = sorted(_money(r[actual_column]) for r in rows)
    assert planned == sorted(Decimal(v["planned"]) for v in data[key].values())
    assert actual == sorted(Decimal(v["actual"]) for v in data[key].values())


def test_xlsx_budget_sheets_reconcile(example_site: Path) -> None:
    from openpyxl import load_workbook

    data = json.loads((example_site / "plan.json").read_text())
    for ws in load_workbook(example_site / "plan.xlsx").worksheets[1:-1]:  # the budget tables (the last: hidden)
        header, *rows = list(ws.iter_rows(values_only=True))
        body, total_row = rows[:-1], rows[-1]
        for name, total in (("Prévu", data["totals"]["planned"]), ("Réalisé", data["totals"]["actual"]),
                            ("Prévu à date", data["totals"]["planned_to_date"])):
            if name in header:
                i = header.index(name)
                assert sum(Decimal(str(r[i])) for r in body) == Decimal(str(total_row[i])) == Decimal(total)
