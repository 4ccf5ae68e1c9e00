"""Render a page with the theme (``render_page``), and keep the pieces its templates ask for (``Fragments``).

Rendering never writes to disk.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable
from functools import partial
from typing import Any

from jinja2 import Environment, TemplateError

from pacsite import __version__
from pacsite.errors import PacsiteError
from pacsite.figures import PlanFigures
from pacsite.format import Formatter
from pacsite.load.model import Plan
from pacsite.messages import msg
from pacsite.site.urls import Urls, linker
from pacsite.site.views import PageSpec

NAV = ("home", "plan", "budget", "timeline", "variances", "objectives", "people")


def site_view(plan: Plan, urls: Urls, fmt: Formatter, t: dict[str, str], changes: bool = False) -> dict[str, Any]:
    """Return what every page shows: title, navigation, sidebar families; ``changes``: the site has the plan's
    history (a git checkout), linked from the footer."""
    period = ""
    if plan.period.start and plan.period.end:
        period = f"{fmt.date(plan.period.start)} – {fmt.date(plan.period.end)}"
    settings = plan.settings
    families = [{"slug": f.slug, "title": f.title, "path": urls.family(f.slug)} for f in plan.families]
    return {
        "title": plan.title,
        "company": plan.company,
        "period": period,
        "version": __version__,
        "today": plan.today,
        "base_url": settings.base_url,
        "edit_url": settings.repository_edit_url,  # ends with /: the page's source path is appended
        "nav": [(k, t[k], urls.home if k == "home" else urls.section(k)) for k in NAV],
        "sections": {k: urls.section(k) for k in (*NAV[1:], "search")},
        "search": settings.search,
        "families": families,
        "family_by_slug": {f["slug"]: f for f in families},  # the sidebar's current family, without a search
        "family_paths": {f.slug: urls.family(f.slug) for f in plan.families},
        "timeline_anchor": urls.timeline_anchor,
        "stage_titles": {s.id: s.title for s in plan.stages},
        "pages": [{"title": p.title, "path": urls.page(p.slug)} for p in plan.pages],
        "changes": urls.section("changes") if changes else None,
    }


class Fragments:
    """Pieces of HTML made once and reused, as Hugo's ``partialCached``: ``{% call fragment(key…) %}``.

    The header, the families in the sidebar and the footer are the same for
    every phase page of a family (their links are relative to the same
    folder): made for each one they were half the time of a phase page. A
    fragment's key must name everything its HTML depends on; ``layout_key``
    is the folder its links are relative to. These live for one build (or
    one rendering worker), never longer.

    A key that holds an object (a table row) names a piece of the page being
    rendered (its links are relative to it): ``{% call fragment("row", r) %}``.
    Those are kept across builds (``kept``: by the live preview's session,
    and by ``pacsite build``'s store for the pieces named by content alone),
    and reused while the row is the same: the very same object, or one with
    the same content key (``PhaseRow.content_key``: its phase's, figures'
    and family's keys, its links). After a budget edit, a table of a hundred
    phases is rendered again as one new row and ninety-nine kept ones; the
    template or settings changing empties the store.
    """

    def __init__(self, kept: dict[tuple[Any, ...], tuple[tuple[Any, ...] | None, str]] | None = None,
                 hashed: bool = False) -> None:
        self._store: dict[tuple[Any, ...], str] = {}
        self.kept = kept
        self.hashed = hashed  # names of pieces made short (``pacsite build``'s store: pickled, read back)
        self.page = ""  # the page being rendered (render_page sets it)
        self.used: set[tuple[Any, ...]] = set()

    def __call__(self, *key: Any, caller: Any) -> Any:
        objects = tuple(x for x in key if not isinstance(x, _PLAIN))
        if objects:
            if self.kept is None:  # a clean build renders each page once: nothing to keep
                return caller()
            marks = tuple(x if isinstance(x, _PLAIN) else _mark(x) for x in key)
            identity = any(type(m) is tuple and m[0] == "id" for m in marks)
            # named by content alone: in the store of ``pacsite build`` (``hashed``), its marks as one
            # digest, small to keep and quick to read back
            name = (self.page, hashlib.blake2b(repr(marks).encode(), digest_size=16).hexdigest()) \
                if self.hashed and not identity else (self.page, *marks)
            self.used.add(name)
            hit = self.kept.get(name)
            # objects named by their content key (in ``name``) need nothing more; others must be the same objects
            if hit is not None and (hit[0] is None or all(a is b for a, b in zip(hit[0], objects, strict=True))):
                return hit[1]
            html = caller()
            # objects named by identity are kept alive: their ids cannot be reused
            self.kept[name] = (objects if identity else None, html)
            return html
        html = self._store.get(key)
        if html is None:
            html = self._store[key] = caller()
        return html

    def portable(self) -> dict[tuple[Any, ...], tuple[None, str]]:
        """The kept pieces this build used that are named by content alone: what ``pacsite build`` stores
        for the next build (its workers send them back; an identity means nothing in another process)."""
        if self.kept is None:
            return {}
        return {name: hit for name in self.used if (hit := self.kept[name])[0] is None}  # type: ignore[misc]

    def sweep(self, pages: set[str]) -> None:
        """Forget the kept pieces this build did not ask for: pages rendered again keep only the
        pieces they used, pages not rendered keep theirs, pages gone lose theirs."""
        if self.kept is None:
            return
        rendered = {name[0] for name in self.used}
        for name in [n for n in self.kept if n[0] not in pages or (n[0] in rendered and n not in self.used)]:
            del self.kept[name]
        self.used = set()


_PLAIN = (str, int, bool, type(None))


def _mark(value: Any) -> Any:
    """What names an object in a kept fragment's key: its content key when it has one (a table row, a
    family: the same after a save that changed a neighbour), a tuple of rows by their keys, else its identity."""
    key = getattr(value, "content_key", None) or getattr(value, "digest", None)
    if key:
        return ("key", key)
    if type(value) is tuple and value:
        keys = tuple(_mark(x) for x in value)
        if not any(k[0] == "id" for k in keys):
            return ("keys", keys)
    return ("id", id(value))


def layout_key(page: PageSpec) -> str:
    """The folder a page's layout links are relative to, shared by every phase page of a family."""
    if page.template == "phase.html" and page.path.count("/") == 3:
        return page.path.rsplit("/", 2)[0]  # actions/<family>
    return page.path


def render_page(env: Environment, page: PageSpec, site: dict[str, Any], figures: PlanFigures,
                fragments: Fragments | None = None) -> bytes:
    """Render one page to bytes; a template error names the template, its line and the page."""
    base_url = site.get("base_url")
    # the 404 page is served at any depth: its links must be absolute when they can be
    url: Callable[[str], str] = linker(page.path)
    if page.path == "404.html" and base_url:
        url = partial(operator.add, base_url)
    if fragments is None:
        fragments = Fragments()
    fragments.page = page.path
    try:
        html = env.get_template(page.template).render(
            page=page, site=site, figures=figures if page.totals else None,
            url=url, fragment=fragments, layout_key=layout_key(page),
            **page.context.variables(),
        )
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or page.template
        line = getattr(exc, "lineno", None)
        raise PacsiteError(msg("template_error", where=f"{where}{':' + str(line) if line else ''}",
                               page=page.path, error=str(exc))) from None
    return html.encode("utf-8")
