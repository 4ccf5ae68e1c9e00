"""The one URL scheme: where each page is written, and relative links between pages.

Pages are addressed by their output path (``actions/offre/index.html``).
Links are made relative to the current page only when rendering, and always
name ``index.html`` so that the site works from disk (file://) as well as
under any sub-path of a web server.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from urllib.parse import quote

from pacsite.load.fields import ascii_slug

# the downloads, at the site's root: the same figures as the pages, for other tools
DOWNLOADS = ("plan.json", "budget.csv", "plan.xlsx", "plan.ics")
SITEMAP = "sitemap.xml"

SECTIONS = {
    "fr": {"plan": "plan", "budget": "budget", "timeline": "calendrier", "variances": "ecarts",
           "objectives": "objectifs", "people": "equipe", "actions": "actions", "pages": "pages",
           "search": "recherche", "corrective": "actions-correctives",
           "changes": "modifications"},
    "en": {"plan": "plan", "budget": "budget", "timeline": "timeline", "variances": "variances",
           "objectives": "objectives", "people": "people", "actions": "actions", "pages": "pages",
           "search": "search", "corrective": "corrective-actions",
           "changes": "changes"},
}


@functools.lru_cache(maxsize=8192)  # owners' names are slugified for every phase they own
def slugify(text: str) -> str:
    """Make an ASCII anchor from a title (``Étude du marché`` -> ``etude-du-marche``)."""
    return ascii_slug(text) or "section"


def element_id(prefix: str, *names: str) -> str:
    """Make an HTML id from file names: slugified, so a name can never leave its attribute.

    Names are chosen by whoever opens a pull request (``05-x"onload="….md``)
    and an id sits in ``id`` and ``aria-labelledby``, a list split at spaces.
    When slugifying changed a name, a short digest of the names keeps two ids
    apart that differ only in case or punctuation (``Marge`` and ``marge``).
    """
    slugs = [slugify(n) for n in names]
    ident = "-".join([prefix, *slugs])
    if any(s != n for s, n in zip(slugs, names, strict=True)):
        ident += "-" + hashlib.sha1("\0".join(names).encode("utf-8", "surrogatepass")).hexdigest()[:6]
    return ident


class Urls:
    """Output paths of every page, for one language's section names."""

    def __init__(self, language: str) -> None:
        self.sections = SECTIONS[language]

    def section(self, name: str) -> str:
        """Return the index page of a main section (plan, budget, timeline...)."""
        return f"{self.sections[name]}/index.html"

    home = "index.html"
    not_found = "404.html"

    def family(self, family_slug: str) -> str:
        """Return a family's page."""
        return f"{self.sections['actions']}/{family_slug}/index.html"

    def phase(self, family_slug: str, phase_slug: str) -> str:
        """Return a phase's page."""
        return f"{self.sections['actions']}/{family_slug}/{phase_slug}/index.html"

    def plan_part(self, family_slug: str) -> str:
        """Return a family's part of the plan table (large plans: one page per family)."""
        return f"{self.sections['plan']}/{family_slug}/index.html"

    def family_variances(self, family_slug: str) -> str:
        """Return a family's variance page."""
        return f"{self.sections['variances']}/{family_slug}/index.html"

    timeline_anchor = "calendrier"  # the id of the Gantt on a family's page, in both languages

    def family_timeline(self, family_slug: str) -> str:
        """Return the Gantt on a family's page."""
        return f"{self.family(family_slug)}#{self.timeline_anchor}"

    def objective_anchor(self, objective_id: str) -> str:
        """Return the id of an objective's section on the objectives page."""
        return f"objectif-{objective_id}"

    def objective(self, objective_id: str) -> str:
        """Return the anchor of an objective on the objectives page."""
        return f"{self.section('objectives')}#{self.objective_anchor(objective_id)}"

    def person_anchor(self, key: str) -> str:
        """Return the id of a person's (or free-text owner's) section on the people page."""
        return f"personne-{slugify(key)}"

    def person(self, key: str) -> str:
        """Return the anchor of a person (or free-text owner) on the people page."""
        return f"{self.section('people')}#{self.person_anchor(key)}"

    def page(self, slug: str) -> str:
        """Return a free page."""
        return f"{self.sections['pages']}/{slug}/index.html"


def relative(from_page: str, target: str) -> str:
    """Return the link from one output page to a target path (with optional #anchor).

    Both are normalised site paths (no ``..``, no leading ``/``), so plain
    string work is enough; ``posixpath.relpath`` costs more than the rest of
    the rendering of a link.
    """
    path, _, anchor = target.partition("#")
    if not path:
        link = from_page.rsplit("/", 1)[-1]
    else:
        here = from_page.split("/")[:-1]
        there = path.split("/")
        common = 0
        limit = min(len(here), len(there) - 1)
        while common < limit and here[common] == there[common]:
            common += 1
        link = "../" * (len(here) - common) + "/".join(there[common:])
    return link + (f"#{anchor}" if anchor else "")


def linker(from_page: str) -> Callable[[str], str]:
    """``relative`` from one page, made for the ~40 links a page's template asks for.

    A link to another section (most of them: the header, the sidebar, the
    footer) shares no folder with the page: it is the way up to the root
    and the target, with no splitting. Others take ``relative``.
    """
    here = from_page.split("/")[:-1]
    up = "../" * len(here)
    first = here[0] + "/" if here else ""

    def link(target: str) -> str:
        if target and target[0] != "#" and target[-1] != "#" and not (first and target.startswith(first)):
            return up + target
        return relative(from_page, target)

    return link


def directory_url(path: str) -> str:
    """Return the pretty URL of a page for sitemaps (``budget/`` for ``budget/index.html``)."""
    return path[: -len("index.html")] if path.endswith("index.html") else path


def absolute_url(base_url: str, path: str) -> str:
    """Return a page's absolute URL (sitemap, calendar): its path percent-encoded.

    Folder and file names reach the path as written; a line break in one
    would start a property of its own in plan.ics. Encoded, the URL is one
    token whatever the names hold (a name that is not UTF-8 keeps its bytes).
    """
    return base_url + quote(directory_url(path), safe="/", errors="surrogateescape")
