"""The built example works anywhere and prints well.

* under a sub-path of a real web server (nginx): every page is reached by following
  links from the home page, and every link, asset and download answers 200;
* from disk (file://) in Chromium: every link names an existing file (no directory
  listing), every stylesheet, script and image loads, and no request leaves the site
  (none at all over http(s) from disk; over http, none to another origin);
* printed to PDF by Chromium: the plan table on A4 landscape, the budget, the
  timeline and the home page on A4 portrait, with their text, no blank page and no
  screen furniture (navigation, sidebar, search box);
* on a 390 px phone: no page scrolls sideways (wide tables scroll in their own box)
  and the sidebar is folded.

The browser checks need Debian's chromium and playwright-core (`make browser-deps`),
the sub-path crawl needs nginx, the print check poppler-utils: each test is skipped,
saying so, when its tool is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a browser, nginx and the print check

BROWSER_DIR = Path(__file__).parent / "browser"
CHROMIUM = Path("/usr/bin/chromium")
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
SUB = "/some/sub/path/"
DOWNLOADS = ("plan.json", "budget.csv", "plan.xlsx", "plan.ics")
TOTAL = "421 715,00 €"  # the example's planned total, as French prints it

needs_browser = pytest.mark.skipif(
    not (CHROMIUM.exists() and shutil.which("node") and (BROWSER_DIR / "node_modules" / "playwright-core").is_dir()),
    reason="needs Debian's chromium, node and playwright-core: `make browser-deps` (CI installs them)",
)
needs_nginx = pytest.mark.skipif(NGINX is None, reason="needs nginx for the sub-path crawl: `make browser-deps`")
needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdftoppm")),
    reason="needs poppler-utils (pdftotext, pdfinfo, pdftoppm) for the print check: `make browser-deps`",
)


def pages_of(site: Path) -> set[str]:
    """Every HTML page of the build a visitor can reach (404.html is only ever served by the server)."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {"404.html"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def node(script: str, *args: str, timeout: float = 120) -> list[dict]:
    """Run a browser script of tests/browser; return its JSON lines."""
    done = subprocess.run(["node", str(BROWSER_DIR / script), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=BROWSER_DIR)
    assert done.returncode == 0, f"{script} failed:\n{done.stderr[-4000:]}"
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


# --- nginx under a sub-path -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nginx(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the example at http://127.0.0.1:PORT/some/sub/path/ with a real nginx; yield that URL."""
    if NGINX is None:
        pytest.skip("needs nginx for the sub-path crawl: `make browser-deps`")
    tmp = tmp_path_factory.mktemp("nginx")
    port = free_port()
    mime = Path("/etc/nginx/mime.types")
    types = f"include {mime};" if mime.exists() else (
        "types { text/html html; text/css css; application/javascript js mjs; application/json json; }")
    temp = "\n".join(f"  {name}_temp_path {tmp / name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp / "nginx.conf").write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"};
events {{ worker_connections 64; }}
http {{
  {types}
  default_type application/octet-stream;
  access_log off;
{temp}
  server {{
    listen 127.0.0.1:{port};
    location {SUB} {{ alias {example_site}/; error_page 404 {SUB}404.html; }}
    location / {{ return 404; }}
  }}
}}
""", encoding="utf-8")
    process = subprocess.Popen([NGINX, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}{SUB}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(base, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
                raise AssertionError(f"nginx did not start: {process.stdout.read() if process.stdout else ''}{log}")
            time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


class _Links(HTMLParser):
    """Every URL an HTML page refers to, and the ids it defines."""

    ATTRS = {"href", "src", "action", "poster", "data", "xlink:href"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()
        self._style = False
        self._css: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and tag != "meta" and tag != "input":
                self.ids.add(value)
            if name in self.ATTRS and not (tag == "link" and ("rel", "canonical") in attrs):
                self.urls.append((tag, value.strip()))
            elif name in ("srcset", "imagesrcset"):
                self.urls += [(tag, part.strip().split()[0]) for part in value.split(",") if part.strip()]
            elif name == "style":
                self._css.append(value)
        self._style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:
            self._css.append(data)

    def css(self) -> str:
        return "\n".join(self._css)


CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""")


def css_urls(text: str) -> list[str]:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return [m.group(2) or m.group(4) for m in CSS_URL.finditer(text)]


@dataclass
class Crawl:
    pages: set[str] = field(default_factory=set)  # site-relative paths of the HTML pages reached
    fetched: dict[str, int] = field(default_factory=dict)  # URL -> status
    links: int = 0  # references checked (with repeats)
    broken: list[str] = field(default_factory=list)
    external: set[str] = field(default_factory=set)
    anchors: list[tuple[str, str]] = field(default_factory=list)  # (page, url#fragment) to check


def crawl(base: str) -> Crawl:
    """Follow every href/src/srcset/action and CSS url() inside ``base`` from ``base``; GET each once."""
    result = Crawl()
    ids: dict[str, set[str]] = {}
    todo = [base]
    origin = urllib.parse.urlsplit(base)[:2]
    while todo:
        url = todo.pop()
        if url in result.fetched:
            continue
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                status, ctype, body = response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            status, ctype, body = error.code, "", b""
        result.fetched[url] = status
        if status != 200:
            continue
        found: list[str] = []
        if ctype == "text/html":
            rel = url[len(base):]
            result.pages.add(rel + "index.html" if rel == "" or rel.endswith("/") else rel)
            parser = _Links()
            parser.feed(body.decode("utf-8"))
            ids[url] = parser.ids
            found = [u for _, u in parser.urls] + css_urls(parser.css())
        elif ctype == "text/css":
            found = css_urls(body.decode("utf-8"))
        for ref in found:
            scheme = urllib.parse.urlsplit(ref).scheme
            if scheme in ("mailto", "tel", "data", "javascript", "blob") or ref == "":
                continue
            result.links += 1
            absolute, fragment = urllib.parse.urldefrag(urllib.parse.urljoin(url, ref))
            parts = urllib.parse.urlsplit(absolute)
            if parts[:2] != origin:
                result.external.add(absolute)
                continue
            if not parts.path.startswith(SUB):
                result.broken.append(f"{url}: {ref!r} leaves the sub-path {SUB}")
                continue
            target = urllib.parse.urlunsplit(parts._replace(query=""))
            if fragment and ctype == "text/html":
                result.anchors.append((url, f"{target}#{fragment}"))
            todo.append(target)
    for url, status in result.fetched.items():
        if status != 200:
            result.broken.append(f"{url}: HTTP {status}")
    for page, target in result.anchors:
        url, fragment = target.split("#", 1)
        fragment = urllib.parse.unquote(fragment)
        if url in ids and fragment not in ids[url] and fragment != "top":
            result.broken.append(f"{page}: #{fragment} is no id of {url}")
    return result


@needs_nginx
def test_every_page_and_file_answers_under_a_sub_path_of_nginx(nginx: str, example_site: Path) -> None:
    found = crawl(nginx)
    print(f"sub-path crawl: {len(found.pages)} pages, {len(found.fetched)} URLs fetched, {found.links} references,"
          f" {len(found.anchors)} fragments, {len(found.broken)} broken, {len(found.external)} external")
    assert not found.broken, "\n".join(sorted(found.broken))
    assert found.pages == pages_of(example_site), (
        f"not reached from {SUB}: {sorted(pages_of(example_site) - found.pages)}")
    for name in DOWNLOADS + ("assets/style.css", "assets/pacsite.js"):
        assert found.fetched.get(nginx + name) == 200, f"{name} was not linked from any page"
    assert not found.external, f"links to other sites: {sorted(found.external)}"
    assert found.links > 1000


# --- Chromium: file:// and http ---------------------------------------------------------------------------------


@needs_browser
@needs_nginx
def test_from_disk_and_over_http_every_link_exists_and_nothing_leaves_the_site(
        example_site: Path, nginx: str) -> None:
    pages = sorted(pages_of(example_site))
    over_http = [nginx, nginx + "plan/index.html", nginx + "budget/index.html", nginx + "calendrier/index.html",
                 nginx + "recherche/index.html?q=piscine", nginx + "404.html",
                 nginx + "actions/nowhere/at/all.html"]  # nginx answers with 404.html at that depth
    reports = node("crawl.mjs", *(example_site.joinpath(p).as_uri() for p in pages), *over_http)
    assert len(reports) == len(pages) + len(over_http)
    problems: list[str] = []
    links = 0
    for report in reports:
        url = report["url"]
        where = url.replace(example_site.as_uri(), "") if url.startswith("file:") else url
        problems += [f"{where}: request leaves the site: {r}" for r in report["foreign"]]
        problems += [f"{where}: failed to load: {r}" for r in report["failed"]]
        problems += [f"{where}: HTTP {status} for {r}" for r, status in report["bad_status"]]
        problems += [f"{where}: script error: {e}" for e in report["errors"]]
        if "error" in report:
            problems.append(f"{where}: {report['error']}")
        if url.endswith("/nowhere/at/all.html"):  # the 404 page links to the site's root, wherever it is served
            if nginx + "index.html" not in report["links"] or nginx + "assets/style.css" not in report["links"]:
                problems.append(f"{where}: the 404 page's links miss the site's root: {report['links'][:6]}")
        if not url.startswith("file:"):
            continue
        for link in report["links"]:
            parts = urllib.parse.urlsplit(link)
            if parts.scheme in ("mailto", "tel", "data", "javascript", "blob"):
                continue
            links += 1
            if parts.scheme != "file":
                problems.append(f"{where}: link to another site: {link}")
                continue
            path = Path(urllib.parse.unquote(parts.path))
            if not path.is_relative_to(example_site):
                problems.append(f"{where}: link outside the site: {link}")
            elif parts.path.endswith("/") or path.is_dir():
                problems.append(f"{where}: link to a folder (a listing from disk): {link}")
            elif not path.is_file():
                problems.append(f"{where}: link to a missing file: {link}")
    requests = sum(r["requests"] for r in reports)
    print(f"browser: {len(reports)} pages ({len(over_http)} over http), {links} links checked from disk,"
          f" {requests} requests, {len(problems)} problems")
    assert not problems, "\n".join(problems)
    assert links > 1000


# --- Chromium: print --------------------------------------------------------------------------------------------

SHOTS = Path("/tmp/print-shots")
A4 = (595.3, 841.9)  # points


def _text(pdf: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-raw"] + (["-f", str(page), "-l", str(page)] if page else []) + [str(pdf), "-"]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


@needs_browser
@needs_poppler
def test_the_plan_budget_timeline_and_home_print_readably(example_site: Path, tmp_path: Path) -> None:
    family = "La réalisation des études de marché préalables"
    phase = "L'étude de la concurrence directe et indirecte"
    expect = {  # name: (page, orientation, most pages, texts)
        "plan": ("plan/index.html", "landscape", 14, [family, phase, TOTAL]),
        "budget": ("budget/index.html", "portrait", 6, [family, TOTAL]),
        "calendrier": ("calendrier/index.html", "landscape", 6, [family]),
        "home": ("index.html", "portrait", 6, ["Notre vision à 5 ans"]),
    }
    reports = {r["name"]: r for r in node("print.mjs", str(tmp_path), *(
        f"{name}:{orientation}={example_site.joinpath(page).as_uri()}" for name, (page, orientation, *_)
        in expect.items()))}
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    problems: list[str] = []
    for name, (_, orientation, most, texts) in expect.items():
        report = reports[name]
        hidden = report["hidden"]
        problems += [f"{name}: {sel} is printed" for sel, is_hidden in hidden.items() if not is_hidden]
        pdf = tmp_path / f"{name}.pdf"
        sizes = _sizes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-l", "3", str(pdf), str(SHOTS / name)], check=True)
        want = A4[::-1] if orientation == "landscape" else A4
        wrong = [i + 1 for i, (w, h) in enumerate(sizes) if abs(w - want[0]) > 2 or abs(h - want[1]) > 2]
        if wrong:
            problems.append(f"{name}: pages {wrong} are not A4 {orientation}: {sorted(set(sizes))}")
        if not 1 <= len(sizes) <= most:
            problems.append(f"{name}: {len(sizes)} pages (1 to {most} expected)")
        if name == "plan" and len(sizes) < 2:
            problems.append("plan: the whole plan on one page cannot be readable")
        blank = [i for i in range(1, len(sizes) + 1) if len(_text(pdf, i)) < 40]
        if blank:
            problems.append(f"{name}: blank pages {blank}")
        text = _text(pdf)
        problems += [f"{name}: {t!r} is not in the PDF" for t in texts if " ".join(unicodedata.normalize(
            "NFKC", t).split()) not in text.replace("’", "'")]
        if report["overflow"]:
            problems.append(f"{name}: wider than the printed page: {report['overflow']}")
    plan = reports["plan"]["table"]
    if plan["thead"] != "table-header-group":
        problems.append(f"plan: the table header does not repeat on every page (thead display {plan['thead']})")
    if plan["tr"] != "avoid":
        problems.append(f"plan: rows may be cut across pages (tr break-inside {plan['tr']})")
    for name in ("budget", "calendrier"):
        for table in reports[name]["tables"]:
            if table["thead"] not in ("table-header-group", None) or table["tr"] != "avoid":
                problems.append(f"{name}: a table's header does not repeat or its rows may be cut: {table}")
    # the timeline: one block per family, never cut across pages, phase titles readable on paper
    gantt = reports["calendrier"]["gantt"]
    if len(gantt) < 2 or any(g["breakInside"] != "avoid" for g in gantt):
        problems.append(f"calendrier: the Gantt is not in family blocks kept whole on a page: {gantt}")
    if any(g["barsScale"] != 1 or g["cut"] for g in gantt):  # scaled, its rows would miss their titles
        problems.append(f"calendrier: the Gantt's bars are scaled or cut on paper: {gantt}")
    small = min((g["labelPt"] for g in gantt if g["labelPt"]), default=0)
    if small < 8:
        problems.append(f"calendrier: the Gantt's phase titles print at {small} pt (at least 8 pt expected)")
    print("print: " + ", ".join(f"{name} {len(_sizes(tmp_path / f'{name}.pdf'))} pages" for name in expect)
          + f", Gantt titles at {small} pt")
    # the header repeats: the plan's column titles are on every page of the PDF
    pdf = tmp_path / "plan.pdf"
    for i in range(1, len(_sizes(pdf)) + 1):
        if "QUI" not in _text(pdf, i).upper():
            problems.append(f"plan: page {i} has no column titles")
    # every printed page says which plan, judged when, and its number, in its margins
    for name in expect:
        pdf = tmp_path / f"{name}.pdf"
        count = len(_sizes(pdf))
        for i in range(1, count + 1):
            text = " ".join(_text(pdf, i).split())
            if f"Page {i} / {count}" not in text or "Plan évalué au 30 juin 2027" not in text:
                problems.append(f"{name}: page {i} of {count} has no page number or date in its margin")
    assert not problems, "\n".join(problems)


# --- Chromium: a phone and a desktop --------------------------------------------------------------------------------

SCREENS = Path("/tmp/shots-390")


@needs_browser
def test_no_page_scrolls_sideways_on_a_phone(example_site: Path) -> None:
    """At 390 px no page is wider than the screen, and nothing is cut off in a box to swipe: tables are
    cards, charts are drawn for the width; the Gantt's bars scroll beside their titles, opened at today (or,
    for a family whose phases are all far from it, on the nearest ones)."""
    pages = sorted(pages_of(example_site))
    shots = {"home": "index.html", "budget": "budget/index.html", "calendrier": "calendrier/index.html",
             "plan": "plan/index.html", "phase": "actions/etudes-de-marche/concurrence/index.html"}
    assert set(shots.values()) <= set(pages), "the example lost a page this test photographs"
    shutil.rmtree(SCREENS, ignore_errors=True)
    SCREENS.mkdir(parents=True)
    reports = node("responsive.mjs", str(SCREENS),
                   ",".join(f"{name}={example_site.joinpath(p).as_uri()}" for name, p in shots.items()),
                   *(example_site.joinpath(p).as_uri() for p in pages))
    problems: list[str] = []
    for report in reports:
        where = report["url"].replace(example_site.as_uri(), "")
        if report["width"] == 390 and report["scrollWidth"] > 391:
            problems.append(f"{where}: {report['scrollWidth']} px wide at 390 px, because of {report['culprits']}")
        if report["width"] == 390 and report["cut"]:
            problems.append(f"{where}: cut off at 390 px, in a box to swipe sideways: {report['cut']}")
        gantt = report["gantt"]  # opened at today; else (no bar near today) on the nearest bars, never on nothing
        if report["width"] == 390 and gantt and gantt["scrollable"] and (
                not gantt["barOnScreen"] or (gantt["todayHasBars"] and not gantt["todayOnScreen"])):
            problems.append(f"{where}: the Gantt does not open at today, or opens on no bar: {gantt}")
        if report["width"] == 390 and report["sidebarOpen"]:
            problems.append(f"{where}: the sidebar is unfolded at 390 px")
        if report["width"] == 1280 and report["scrollWidth"] > 1281:
            problems.append(f"{where}: {report['scrollWidth']} px wide at 1280 px, because of {report['culprits']}")
    widest = max(r["scrollWidth"] for r in reports if r["width"] == 390)
    gantts = [r for r in reports if r["width"] == 390 and r["gantt"]]
    assert any(r["gantt"]["scrollable"] and r["gantt"]["scrollLeft"] > 0 for r in gantts), \
        "no Gantt scrolls to today at 390 px (the timeline and the families' charts all should)"
    print(f"responsive: {len(reports)} page views, widest at 390 px: {widest} px, {len(gantts)} Gantt charts, "
          f"{len(problems)} problems")
    assert {r["url"] for r in reports if r["width"] == 390} == {example_site.joinpath(p).as_uri() for p in pages}
    assert not problems, "\n".join(problems)


# --- the plan table: sticky names, filters -----------------------------------------------------------------------


@needs_browser
def test_the_plan_table_keeps_its_heads_in_sight_and_filters_its_rows(example_site: Path) -> None:
    """Scrolled to the middle of a family, the column names are at the top of the screen and the family's row
    under them; each filter shows exactly the phases it names (worked out from the plan itself)."""
    from pacsite.build import plan_site
    from pacsite.errors import Diagnostics
    from tests.conftest import EXAMPLE_TODAY, REPO

    site = plan_site(REPO, Diagnostics(), EXAMPLE_TODAY, history=False, charts=False)
    phases = [(f.slug, p, site.figures.phases[p.key]) for f in site.plan.families for p in f.phases]
    report = node("plan.mjs", example_site.joinpath("plan/index.html").as_uri())[0]
    sticky = report["sticky"]
    assert sticky["scrolled"] > 1000, sticky
    assert -1 <= sticky["headTop"] <= 1, f"the column names left the screen: {sticky}"
    assert abs(sticky["familyTop"] - sticky["headBottom"]) <= 2, f"the family's row is not under them: {sticky}"
    assert report["formShown"]
    assert len(report["all"]) == len(phases) == 54
    assert sorted(r["status"] for r in report["done"]) == ["done"] * sum(p.status == "done" for _, p, _ in phases)
    assert report["output"] == f"{len(report['done'])} phases sur 54"
    late = [r for r in report["late"]]
    assert len(late) == sum(1 for _, _, fig in phases if fig.late) == site.figures.late_phases > 0
    assert all(r["late"] for r in late)
    family = report["family"]
    assert {r["family"] for r in family["rows"]} == {family["slug"]}
    assert len(family["rows"]) == sum(1 for slug, _, _ in phases if slug == family["slug"])
    owner = report["owner"]
    assert len(owner["rows"]) == sum(1 for _, p, _ in phases if p.owner and p.owner.name == owner["name"]) > 0
    # sorted by budget: each family's phases in order, under the family's own row
    assert len(report["sorted"]) == len(site.plan.families)
    for family in report["sorted"]:
        assert family["headFirst"] and family["budgets"] == sorted(family["budgets"]), family
