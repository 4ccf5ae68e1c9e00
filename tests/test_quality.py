"""The built example is valid HTML and accessible, in French and in English.

* the Nu Html Checker (vnu) finds no error on any page of either build;
* axe-core finds no WCAG 2.1 A or AA violation on one page of every kind, in the
  light and the dark colour scheme, served over http in Chromium.

vnu needs Java and the vnu-jar npm package; axe needs Debian's chromium, node,
playwright-core and axe-core (`make browser-deps`): each test is skipped, saying so,
when its tools are missing. vnu runs once over both builds, axe once in one browser.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pacsite.site.urls import SECTIONS

pytestmark = pytest.mark.slow  # the Nu checker and axe in a browser

BROWSER_DIR = Path(__file__).parent / "browser"
MODULES = BROWSER_DIR / "node_modules"
VNU = MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path("/usr/bin/chromium")
LANGUAGES = ("fr", "en")

needs_vnu = pytest.mark.skipif(
    not (shutil.which("java") and VNU.is_file()),
    reason="needs Java and the Nu Html Checker (npm vnu-jar): `make browser-deps` (CI installs them)",
)
needs_axe = pytest.mark.skipif(
    not (CHROMIUM.exists() and shutil.which("node") and (MODULES / "playwright-core").is_dir()
         and (MODULES / "axe-core" / "axe.min.js").is_file()),
    reason="needs Debian's chromium, node, playwright-core and axe-core: `make browser-deps` (CI installs them)",
)

# one page of every kind: (kind, path under the site for a language's section names)
FAMILY, PHASE = "qualite", "logistique/prises-de-commandes"  # late, cancelled and done phases; a task list


def page_kinds(lang: str) -> dict[str, str]:
    s = SECTIONS[lang]
    return {
        "home": "index.html",
        "plan": f"{s['plan']}/index.html",
        "budget": f"{s['budget']}/index.html",
        "timeline": f"{s['timeline']}/index.html",
        "variances": f"{s['variances']}/index.html",
        "family-variances": f"{s['variances']}/{FAMILY}/index.html",
        "corrective": f"{s['corrective']}/index.html",
        "changes": f"{s['changes']}/index.html",  # the English example is built from a git repository
        "objectives": f"{s['objectives']}/index.html",
        "people": f"{s['people']}/index.html",
        "family": f"{s['actions']}/{FAMILY}/index.html",
        "phase": f"{s['actions']}/{PHASE}/index.html",
        "page": f"{s['pages']}/methode/index.html",
        "404": "404.html",
        "search": f"{s['search']}/index.html",
    }


KINDS = list(page_kinds("fr"))


@pytest.fixture(scope="module")
def sites(example_site: Path, example_site_en: Path) -> dict[str, Path]:
    return {"fr": example_site, "en": example_site_en}


# --- Nu Html Checker ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vnu_messages(sites: dict[str, Path]) -> dict[str, list[dict]]:
    """Check every page of both builds in one run of vnu; return its errors by language."""
    files = {lang: sorted(site.rglob("*.html")) for lang, site in sites.items()}
    done = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                           *(str(f) for fs in files.values() for f in fs)],
                          capture_output=True, text=True, timeout=300)
    report = json.loads(done.stderr or done.stdout)  # vnu writes its JSON report to stderr
    out: dict[str, list[dict]] = {lang: [] for lang in sites}
    for message in report["messages"]:
        path = Path(message.get("url", "").removeprefix("file:"))
        lang = next((lang for lang, site in sites.items() if path.is_relative_to(site)), "fr")
        out[lang].append({**message, "file": path.relative_to(sites[lang]).as_posix()
                          if path.is_relative_to(sites[lang]) else str(path)})
    assert files["fr"] and files["en"]
    return out


@needs_vnu
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_valid_html(vnu_messages: dict[str, list[dict]], lang: str) -> None:
    errors = vnu_messages[lang]
    assert not errors, f"{len(errors)} Nu Html Checker errors ({lang}):\n" + "\n".join(
        f"{m['file']}:{m.get('lastLine', '?')}: {m['message']}  [{m.get('extract', '').strip()}]" for m in errors)


# --- axe-core -------------------------------------------------------------------------------------------------


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def served(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    """Serve each build over http on 127.0.0.1 (axe is more faithful than from file://); return the base URLs."""
    servers = {lang: ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
               for lang, site in sites.items()}
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers.values()]
    for thread in threads:
        thread.start()
    try:
        yield {lang: f"http://127.0.0.1:{s.server_address[1]}/" for lang, s in servers.items()}
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="module")
def axe_reports(sites: dict[str, Path], served: dict[str, str]) -> dict[tuple[str, str], list[dict]]:
    """Run axe on one page of every kind of both builds, light and dark, in one browser."""
    urls: dict[str, tuple[str, str]] = {}
    for lang, site in sites.items():
        for kind, path in page_kinds(lang).items():
            if (site / path).is_file():
                query = "?q=salon" if kind == "search" else ""
                urls[served[lang] + path + query] = (lang, kind)
    done = subprocess.run(["node", str(BROWSER_DIR / "axe.mjs"), *urls], capture_output=True, text=True,
                          timeout=300, cwd=BROWSER_DIR)
    assert done.returncode == 0, f"axe.mjs failed:\n{done.stderr[-4000:]}"
    reports: dict[tuple[str, str], list[dict]] = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            report = json.loads(line)
            reports.setdefault(urls[report["url"]], []).append(report)
    return reports


@needs_axe
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_kind_of_page_passes_axe_light_and_dark(
    axe_reports: dict[tuple[str, str], list[dict]], sites: dict[str, Path], lang: str, kind: str,
) -> None:
    if not (sites[lang] / page_kinds(lang)[kind]).is_file():
        pytest.skip(f"this build has no {kind} page")
    reports = axe_reports.get((lang, kind), [])
    assert sorted(r["scheme"] for r in reports) == ["dark", "light"], reports
    problems = [
        f"{r['scheme']}: {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {n[0]}  {n[1]}" for n in v["nodes"])
        for r in reports for v in r["violations"]
    ] + [f"{r['scheme']}: could not check: {r['error']}" for r in reports if "error" in r]
    assert not problems, f"axe on {page_kinds(lang)[kind]} ({lang}):\n" + "\n".join(problems)
