"""The one list of pages of the site, each with its template and a ready view.

Views hold model objects, their figures and rendered Markdown; templates only
format and lay them out. Only the current family's phases appear in a page's
sidebar, so the output grows linearly with the plan.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from pacsite import charts
from pacsite.errors import Diagnostics
from pacsite.fields import normalize_key
from pacsite.figures import PhaseFigures, PlanFigures
from pacsite.figures.budget import ZERO, cumulative
from pacsite.format import Formatter
from pacsite.history import Change, History
from pacsite.i18n import STATUS_LABELS, french_spaces, plural
from pacsite.markdown import Heading, LinkContext, make_markdown, render
from pacsite.memo import BuildCache, Memo
from pacsite.messages import Msg
from pacsite.model import Family, Objective, Owner, Phase, Plan
from pacsite.tables import budget_tables
from pacsite.trend import Point
from pacsite.urls import Urls, element_id, relative

SEVERITY = {"off_track": 0, "watch": 1, "on_track": 2, "pending": 3, "met": 4, None: 5}


@dataclass(frozen=True)
class Link:
    """A titled link target (an output path, maybe with an anchor)."""

    title: str
    path: str


@dataclass(frozen=True)
class PhaseRow:
    """A phase with everything a table row or a page shows about it."""

    phase: Phase
    fig: PhaseFigures
    family: Family  # its own fields only: its phases come as rows (phases=())
    path: str
    owner_path: str | None
    analysis: Markup = Markup("")


@dataclass
class PageSpec:
    """One page to render: where, with which template, and its view."""

    path: str
    template: str
    title: str
    section: str
    context: dict[str, Any] = field(default_factory=dict)
    family: str | None = None
    crumbs: tuple[Link, ...] = ()
    toc: tuple[Heading, ...] = ()
    prev: Link | None = None
    next: Link | None = None
    wide: bool = False  # wide tables and charts: the page gets the sidebar's width too
    sidebar: tuple[Link, ...] = ()  # the current family's phases near this page
    sidebar_hidden: int = 0  # phases of the family not listed in the sidebar
    # the page shows plan-wide figures: its template gets ``figures`` (all of them),
    # and any change of a figure renders it again; other pages see only their context
    totals: bool = False
    # a phase page whose Markdown (body, analysis, table of contents) is still to render:
    # a clean build renders it in the worker that renders the page (``Markdown.complete``)
    deferred: bool = False
    source: str | None = None  # the file the page is written from (plan-relative): its edit link
    changed: Change | None = None  # that file's last commit, from git (None outside a repository)


SIDEBAR_WINDOW = 6
# Above this many phases the plan table and the timeline become one page per family
# under an overview, and plan-wide lists show their first LIST_LIMIT rows and say how
# many more there are: no page embeds a large plan whole (a 15 000-phase plan table
# is 110 MB of HTML that no browser opens).
PLAN_SPLIT = 500
LIST_LIMIT = 100
HOME_LIMIT = 20  # late phases and recent news listed on the home page
PEOPLE_LIMIT = 25  # each person's phases on the people page of a large plan (the totals are all there)


def sidebar_window(rows: list[PhaseRow], current: int | None) -> tuple[tuple[Link, ...], int]:
    """Return the phases listed in the sidebar around ``current``, and how many are left out.

    At most ``2 * SIDEBAR_WINDOW + 1`` phases, so that a page's size does not
    grow with the size of its family (a 10 000-phase plan stays linear).
    """
    start, size = _window(current or 0, len(rows))
    shown = rows[start:start + size]
    return tuple(Link(r.phase.title, r.path) for r in shown), len(rows) - len(shown)


def _window(centre: int, count: int) -> tuple[int, int]:
    """Where the sidebar's window of phases starts in a family of ``count``, and its size."""
    size = 2 * SIDEBAR_WINDOW + 1
    return max(0, min(centre - SIDEBAR_WINDOW, count - size)), size


class Markdown:
    """Render Markdown for a given page, collecting link errors."""

    def __init__(self, plan: Plan, urls: Urls, assets: dict[str, str], memo: Memo | None = None) -> None:
        self.md: MarkdownIt = make_markdown(plan.settings.markdown_html, plan.settings.language == "fr")
        self.pages: dict[str, str] = {}
        if plan.header_source:
            self.pages[plan.header_source] = urls.home
        for family in plan.families:
            if family.source:
                self.pages[family.source] = urls.family(family.slug)
            for phase in family.phases:
                self.pages[phase.source] = urls.phase(family.slug, phase.slug)
        for objective in plan.objectives:
            self.pages[objective.source] = urls.objective(objective.id)
        for page in plan.pages:
            self.pages[page.source] = urls.page(page.slug)
        self.assets = assets
        self.errors: list[tuple[str, int, Msg]] = []
        self.memo = memo
        # a link's target depends on every page and attachment: one token for all of them
        self.links = memo.intern("links", (self.pages, assets, plan.settings)) if memo is not None else None

    def __call__(self, text: str | None, source: str, line: int, page: str) -> tuple[Markup, list[Heading]]:
        if not text:
            return Markup(""), []
        if self.memo is None:
            html, headings, errors = self._render(text, source, line, page)
        else:
            html, headings, errors = self.memo.get(
                (text, source, line, page), self.links, partial(self._render, text, source, line, page))
        self.errors.extend(errors)
        return html, list(headings)

    def _render(self, text: str, source: str, line: int, page: str) -> tuple[Markup, tuple[Heading, ...],
                                                                           tuple[tuple[str, int, Msg], ...]]:
        ctx = LinkContext(source, page, line, self.pages, self.assets)
        html, headings = render(self.md, text, ctx)
        return Markup(html), tuple(headings), tuple(ctx.errors)

    def complete(self, page: PageSpec) -> PageSpec:
        """Render a deferred phase page's Markdown; its link errors join ``errors``."""
        if not page.deferred:
            return page
        p = page.context["row"].phase
        body, toc = self(p.body, p.source, p.body_line, page.path)
        analysis, _ = self(p.analysis, p.source, p.body_line, page.path)
        return replace(page, context={**page.context, "body": body, "analysis": analysis}, toc=tuple(toc),
                       deferred=False)


def build_pages(
    plan: Plan, figures: PlanFigures, urls: Urls, fmt: Formatter, t: dict[str, str],
    assets: dict[str, str], diagnostics: Diagnostics, cache: BuildCache | None = None,
    deferred: list[Markdown] | None = None, history: History | None = None, draw: bool = True,
    trend: tuple[Point, ...] = (),
) -> list[PageSpec]:
    """Return every page of the site, in a stable order. Link errors go to diagnostics.

    ``cache`` (the live preview) keeps rendered Markdown and charts between builds.
    With ``deferred`` (a clean build), phase pages come without their Markdown and
    the renderer to complete them is appended to that list: the bodies are the
    bulk of the Markdown, and the page renderers run on every core.
    """
    md = Markdown(plan, urls, assets, cache.markdown if cache else None)
    history = history or History()
    last = history.files.get
    if deferred is not None:
        deferred.append(md)
    charts_memo = cache.charts if cache else None

    def gantt(rows: list[PhaseRow], families: Any, page: str, title: str) -> Markup:
        if not draw:  # `pacsite check`: no page is shown, and a chart reports no error
            return Markup("")
        if charts_memo is None:
            return _gantt(rows, plan, families, fmt, t, page, title)
        # what a bar shows, not the whole phase: a budget edit does not draw the chart again
        inputs = ([(r.phase.title, r.phase.start, r.phase.end, r.phase.status, r.fig.days_late, r.path, r.family.slug)
                   for r in rows], [(f.slug, f.title) for f in families], plan.today, plan.settings, title)
        return charts_memo.get(("gantt", page), inputs, partial(_gantt, rows, plan, families, fmt, t, page, title))


    def row(family: Family, phase: Phase) -> PhaseRow:
        key = phase.owner.key if phase.owner else None
        made = PhaseRow(phase, figures.phase(phase), family, urls.phase(family.slug, phase.slug),
                        urls.person(key) if key else None)
        # the live preview: last build's row if it is the same, so every page listing it compares by identity
        return cache.families.intern(("row", phase.key), made) if cache else made

    # a phase's body shows on its own page only: the other pages get the phase without it,
    # so that editing a text renders one page again, not every table that lists the phase
    def bodyless(p: Phase) -> Phase:
        return cache.without_body(p) if cache else _without_body(p)

    # what a page may show of a family: its own fields, not its phases (they come as rows)
    def own_fields(f: Family) -> Family:
        head = replace(f, phases=())
        return cache.families.intern(("head", f.slug), head) if cache else head

    heads = [own_fields(f) for f in plan.families]
    objective_titles = "\0".join(f"{o.id}\0{o.title}" for o in plan.objectives)

    def family_rows(f: Family, h: Family) -> list[PhaseRow]:
        if cache is None:
            return [row(h, bodyless(p)) for p in f.phases]
        # the live preview: an unchanged family (the same object) gives the same list, without
        # a look at each of its phases; its phases' memo entries are kept for its next change
        computed = cache.lists.computed
        made = cache.lists.get(("rows", f.slug), (f, h, tuple(figures.phases[p.key] for p in f.phases)),
                               lambda: [row(h, bodyless(p)) for p in f.phases])
        if cache.lists.computed == computed:
            cache.families.touch(name for p in f.phases for name in (("row", p.key), ("bodyless", p.key)))
            cache.bodyless.touch(p.key for p in f.phases)
        return made

    by_family = {h.slug: family_rows(f, h) for f, h in zip(plan.families, heads, strict=True)}
    rows = [r for h in heads for r in by_family[h.slug]]  # each family's rows, in plan order

    def analysed(key: Any, source: Any, page: str, make: Callable[[], tuple[list[PhaseRow], int]],
                 ) -> tuple[list[PhaseRow], int]:
        """Rows with their analyses for ``page`` (``make``), the last ones while ``source`` is the same (the
        live preview): its rows are the same objects, and so are their analyses."""
        if cache is None:
            return make()

        def run() -> tuple[tuple[list[PhaseRow], int], tuple[tuple[str, int, Msg], ...]]:
            before = len(md.errors)
            made = make()
            return made, tuple(md.errors[before:])

        computed = cache.lists.computed
        made, errors = cache.lists.get(key, (source, md.links), run)
        if cache.lists.computed == computed:  # reused: its broken links are still broken, its pieces still wanted
            md.errors.extend(errors)
            cache.markdown.touch(name for r in made[0] for name in (
                (r.phase.analysis, r.phase.source, r.phase.body_line, page), ("row", page, r.path)))
        return made
    full = {f.slug: f.phases for f in plan.families}  # each family's phases with their bodies, in row order
    pages: list[PageSpec] = []
    home = Link(t["home"], urls.home)

    # home
    vision, _ = md(plan.vision, plan.header_source or "content/_index.md", 1, urls.home)
    intro, _ = md(plan.body, plan.header_source or "", plan.body_line, urls.home)
    soon = sorted((r for r in rows if _recent(r, plan.today)),
                  key=lambda r: r.phase.finished or r.phase.start or plan.today)
    late = sorted((r for r in rows if r.fig.late), key=lambda r: -r.fig.days_late)  # the latest first
    pages.append(PageSpec(urls.home, "home.html", plan.title, "home", {
        "vision": vision, "intro": intro,
        "intro_titled": plan.body.lstrip().startswith("#"),  # its own heading: no "About" above it
        "objectives": _objective_views(plan, figures, rows, urls, fmt, t),
        "recent": soon[:HOME_LIMIT], "late": late[:HOME_LIMIT], "late_more": max(0, len(late) - HOME_LIMIT),
        "changes": _change_views(history, plan, urls, {p.change.commit: p for p in trend}),
        "changes_page": urls.section("changes") if trend else None,
    }, totals=True, source=plan.header_source, changed=last(plan.header_source or "")))

    # plan table: whole, or one page per family under an overview with the families' totals
    large = len(rows) > PLAN_SPLIT
    plan_path = urls.section("plan")
    parts = [Link(f.title, urls.plan_part(f.slug)) for f in heads] if large else []
    if large:
        pages.append(PageSpec(plan_path, "plan.html", t["plan"], "plan", {
            "families": [(f, []) for f in heads], "parts": parts, "part": None,
            "counts": {f.slug: len(f.phases) for f in plan.families},
        }, crumbs=(home,), wide=True, totals=True))
        for family in heads:
            fpath = urls.plan_part(family.slug)
            mine = by_family[family.slug]
            frows = analysed(("plan", fpath), mine, fpath, partial(_analysed_rows, mine, md, fpath))[0]
            pages.append(PageSpec(fpath, "plan.html", f"{t['plan']} — {family.title}", "plan", {
                "families": [(family, frows)], "parts": parts, "part": family.slug, "counts": {},
                "ff": figures.families[family.slug],
            }, family=family.slug, crumbs=(home, Link(t["plan"], plan_path)), wide=True))
    else:
        plan_rows = analysed(("plan", plan_path), tuple(by_family.values()), plan_path,
                             partial(_analysed_rows, rows, md, plan_path))[0]
        pages.append(PageSpec(plan_path, "plan.html", t["plan"], "plan",
                              {"families": _pairs(heads, _grouped(heads, plan_rows)), "parts": [], "part": None,
                               "counts": {}},
                              crumbs=(home,), wide=True, totals=True))

    # families and phases
    for family in heads:
        frows = by_family[family.slug]
        own = full[family.slug]
        path = urls.family(family.slug)
        body, toc = md(family.body, family.source or "", family.body_line, path)
        family_sidebar, family_hidden = sidebar_window(frows, None)
        pages.append(PageSpec(path, "family.html", family.title, "plan", {
            "family": family, "ff": figures.families[family.slug], "rows": frows, "body": body,
            "gantt": gantt(frows, [], path, family.title),
            "variances_path": urls.family_variances(family.slug),
            "owner_path": urls.person(family.owner.key) if family.owner else "",
            "all_due": all(r.fig.due for r in frows),  # a family total variance is final only then
        }, family=family.slug, crumbs=(home, Link(t["plan"], urls.section("plan"))), toc=tuple(toc),
            sidebar=family_sidebar, sidebar_hidden=family_hidden, source=family.source,
            changed=last(family.source or "")))
        if cache is None:
            pages.extend(phase_page(plan, frows, index, family, md, urls, t, home, own[index], fmt=fmt,
                                    defer=deferred is not None, changed=last(own[index].source))
                         for index in range(len(frows)))
        else:
            pages.extend(_family_phase_pages(cache, plan, frows, family, md, urls, t, home, own, objective_titles,
                                             tuple(last(p.source) for p in own), fmt))

    # budget
    lists = tuple(by_family.values())  # the same lists while nothing changed: reuse checks are identity tests
    budget = partial(_budget_page, plan, heads, figures, urls, fmt, t, home, draw)
    pages.append(cache.lists.get("budget", (lists, heads, figures, plan.stages, plan.objectives, plan.today),
                                 budget) if cache else budget())

    # timeline
    tl = urls.section("timeline")
    if large:  # one bar per family, from its first start to its last end; each family's page has its own
        def overview() -> PageSpec:
            spans = [_family_span(f, by_family[f.slug], urls) for f in heads]
            return PageSpec(tl, "timeline.html", t["timeline"], "timeline", {
                "gantt": _overview_gantt(spans, plan, fmt, t, tl), "families": [], "spans": spans,
            }, crumbs=(home,), wide=True, totals=True)

        pages.append(cache.lists.get("timeline", (lists, heads, plan.today, plan.settings), overview) if cache
                     else overview())
    else:
        pages.append(PageSpec(tl, "timeline.html", t["timeline"], "timeline", {
            "gantt": gantt(rows, heads, tl, t["timeline"]),
            "families": _pairs(heads, by_family), "spans": [],
        }, crumbs=(home,), wide=True, totals=True))

    # variances, global and per family
    vpath = urls.section("variances")
    cpath = urls.section("corrective")
    corrective = _corrective_views(rows, plan.today, urls)
    corrective_late = sum(1 for v in corrective if v["late"])
    def ranked(slug: str) -> list[PhaseRow]:
        frows = by_family[slug]
        return cache.lists.get(("ranked", slug), frows, partial(_ranked, frows)) if cache else _ranked(frows)

    rankings = {h.slug: ranked(h.slug) for h in heads}
    worst = analysed(("variances", vpath), tuple(rankings.values()), vpath,
                     partial(_variance_rows, list(rankings.values()), md, vpath, LIST_LIMIT if large else None))
    pages.append(PageSpec(vpath, "variances.html", t["variances"], "variances", {
        "rows": worst[0], "more": worst[1], "family": None,
        "families": [Link(f.title, urls.family_variances(f.slug)) for f in heads],
        "corrective": Link(t["corrective_link"].format(n=len(corrective), late=corrective_late), cpath),
    }, crumbs=(home,), totals=True))
    for family in heads:
        fpath = urls.family_variances(family.slug)
        frows = by_family[family.slug]
        side, hidden = sidebar_window(frows, None)
        pages.append(PageSpec(fpath, "variances.html", f"{t['variances']} — {family.title}", "variances", {
            "rows": analysed(("variances", fpath), rankings[family.slug], fpath,
                             partial(_variance_rows, [rankings[family.slug]], md, fpath))[0],
            "more": 0, "family": family, "families": [], "corrective": None,
        }, family=family.slug, crumbs=(home, Link(t["variances"], vpath)), sidebar=side, sidebar_hidden=hidden))

    # corrective actions, late ones first: what someone must do now
    pages.append(PageSpec(cpath, "corrective.html", t["corrective_actions"], "variances", {
        "items": corrective,
        "late": corrective_late,
        "open": sum(1 for v in corrective if v["action"].status in ("planned", "in_progress")),
        "closed": sum(1 for v in corrective if v["action"].status in ("done", "cancelled")),
    }, crumbs=(home, Link(t["variances"], vpath))))

    # objectives and people
    opath = urls.section("objectives")
    keep = cache.families.intern if cache else None  # the tables' rows as one object while none changed
    objective_views = _objective_views(plan, figures, rows, urls, fmt, t, md, opath, LIST_LIMIT if large else None,
                                       keep)
    pages.append(PageSpec(opath, "objectives.html", t["objectives"], "objectives", {
        "objectives": objective_views, "not_linked": figures.by_objective.get(""),
    }, crumbs=(home,), toc=tuple(Heading(2, v["objective"].title, v["anchor"]) for v in objective_views),
        totals=True))
    people_views = _people_views(plan, figures, rows, urls, t, PEOPLE_LIMIT if large else None, keep)
    pages.append(PageSpec(urls.section("people"), "people.html", t["people"], "people", {
        "people": people_views}, crumbs=(home,),
        toc=tuple(Heading(2, v["owner"].name, v["anchor"]) for v in people_views), totals=True))

    # free pages
    for page in plan.pages:
        path = urls.page(page.slug)
        body, toc = md(page.body, page.source, page.body_line, path)
        pages.append(PageSpec(path, "page.html", page.title, "pages", {"body": body},
                              crumbs=(home,), toc=tuple(toc), source=page.source, changed=last(page.source)))
    if trend:  # the plan's totals after each of the latest commits (a git checkout only)
        if plan.settings.language == "fr":
            trend = tuple(replace(p, change=replace(p.change, subject=french_spaces(p.change.subject)))
                          for p in trend)
        oldest_first = list(reversed(trend))
        desc = t["list_sep"].join(f"{fmt.date(p.change.day)}{t['colon']} {t['planned'].lower()} "
                                  f"{fmt.money(p.planned)}, {t['actual'].lower()} {fmt.money(p.actual)}"
                                  for p in oldest_first)
        days = {p.change.commit: p.change.day for p in oldest_first}
        chart = charts.lines([(p.change.commit, p.planned, p.actual) for p in oldest_first],
                             (t["planned"], t["actual"], ""), lambda c: fmt.date_short(days[c]),
                             fmt.money_round, t["chart_alt_changes"], desc, None, "changes") if draw else Markup("")
        base = (plan.settings.repository_url or "").rstrip("/")
        pages.append(PageSpec(urls.section("changes"), "changes.html", t["changes_title"], "home", {
            "points": trend, "chart": chart, "commit_url": f"{base}/commit/" if base else None,
        }, crumbs=(home,)))
    if plan.settings.search:
        pages.append(PageSpec(urls.section("search"), "search.html", t["search_title"], "search", crumbs=(home,)))
    pages.append(PageSpec(urls.not_found, "404.html", t["not_found"], "none"))
    for source, line, message in md.errors:
        diagnostics.error(source, line, None, message)
    return pages


def _family_phase_pages(cache: BuildCache, plan: Plan, frows: list[PhaseRow], head: Family, md: Markdown,
                        urls: Urls, t: dict[str, str], home: Link, phases: tuple[Phase, ...],
                        objective_titles: str, changes: tuple[Change | None, ...], fmt: Formatter) -> list[PageSpec]:
    """A family's phase pages (the live preview): the last list while its rows and texts are the same objects.

    ``phases``: the family's phases with their bodies, in the order of ``frows``.
    """
    inputs = (frows, phases, head, objective_titles, md.links, changes, plan.today)  # today: the results chart

    def make() -> tuple[list[PageSpec], tuple[tuple[str, int, Msg], ...]]:
        before = len(md.errors)
        specs = [_phase_page_memo(cache.phase_pages, plan, frows, index, head, md, urls, t, home, phases[index],
                                  objective_titles, changes[index], fmt) for index in range(len(frows))]
        return specs, tuple(md.errors[before:])

    computed = cache.lists.computed
    specs, errors = cache.lists.get(("phase pages", head.slug), inputs, make)
    if cache.lists.computed == computed:  # reused: its broken links are still broken
        md.errors.extend(errors)
        cache.phase_pages.touch(r.path for r in frows)
    return specs


def _phase_page_memo(memo: Memo, plan: Plan, frows: list[PhaseRow], index: int, head: Family, md: Markdown,
                     urls: Urls, t: dict[str, str], home: Link, phase: Phase,
                     objective_titles: str, changed: Change | None, fmt: Formatter) -> PageSpec:
    """``phase_page``, reused while what it shows is the same objects (the live preview).

    Its inputs are few: the phase (with its body), its figures, its family's own
    fields, the titles and paths of the neighbours it lists, the objectives'
    titles, the link table. Comparing them costs a few identity tests, where
    comparing the page it makes would walk every field: a rebuild of a
    1 500-phase plan no longer spends its time finding that nothing changed.
    The Markdown's link errors are kept with the page and reported again.
    """
    r = frows[index]
    start, size = _window(index, len(frows))
    lo, hi = min(start, index - 1), max(start + size, index + 2)
    # one string (NUL cannot occur in a title): one comparison instead of thirty
    near = "\0".join(f"{x.phase.title}\0{x.path}" for x in frows[max(0, lo):hi])
    inputs = (phase, r.fig, head, r.owner_path, near, len(frows), index - max(0, lo), objective_titles, md.links,
              changed, plan.today)

    def make() -> tuple[PageSpec, tuple[tuple[str, int, Msg], ...]]:
        before = len(md.errors)
        spec = phase_page(plan, frows, index, head, md, urls, t, home, phase, fmt=fmt, changed=changed)
        return spec, tuple(md.errors[before:])

    computed = memo.computed
    spec, errors = memo.get(r.path, inputs, make)
    if memo.computed == computed:
        md.errors.extend(errors)  # reused: its broken links are still broken
    return spec


def phase_page(plan: Plan, frows: list[PhaseRow], index: int, head: Family, md: Markdown, urls: Urls,
               t: dict[str, str], home: Link, phase: Phase, *, fmt: Formatter, defer: bool = False,
               changed: Change | None = None) -> PageSpec:
    """Return the page of the ``index``-th phase of a family.

    It depends on its phase (with its body), its figures, its family's own
    fields (``head``: not its other phases) and its neighbours' titles
    (``frows``, phases without body), nothing plan-wide: so
    an edit re-renders few phase pages, and the live preview can render the
    edited phase's page alone, first.
    """
    r = frows[index]
    p = phase  # with its body, unlike the rows
    row = PhaseRow(p, r.fig, head, r.path, r.owner_path)
    family_path = urls.family(head.slug)
    if defer:
        body, analysis = Markup(""), Markup("")
        toc: list[Heading] = []
    else:
        body, toc = md(p.body, p.source, p.body_line, r.path)
        analysis, _ = md(p.analysis, p.source, p.body_line, r.path)
    prev = frows[index - 1] if index else None
    nxt = frows[index + 1] if index + 1 < len(frows) else None
    side, hidden = sidebar_window(frows, index)
    return PageSpec(r.path, "phase.html", p.title, "plan", {
        "row": row, "body": body, "analysis": analysis,
        "objectives": [Link(o.title, urls.objective(o.id)) for o in plan.objectives
                       if o.id in p.contributes_to],
        "owners": [_owner_link(o, urls) for o in p.owners],
        "corrective": [(c, _owner_link(c.owner, urls) if c.owner else None)
                       for c in p.corrective_actions],
        "progress": _phase_progress_chart(p, plan.today, fmt, t, plan.settings.language == "fr"),
    }, family=head.slug, toc=tuple(toc),
        crumbs=(home, Link(t["plan"], urls.section("plan")), Link(head.title, family_path)),
        prev=Link(prev.phase.title, prev.path) if prev else None,
        next=Link(nxt.phase.title, nxt.path) if nxt else None,
        sidebar=side, sidebar_hidden=hidden, deferred=defer, source=p.source, changed=changed)


def _without_body(p: Phase) -> Phase:
    """The phase without its body: a shallow copy (``replace`` runs ``__init__``: 15× slower)."""
    copy = object.__new__(Phase)
    copy.__dict__.update(p.__dict__)
    object.__setattr__(copy, "body", "")
    return copy


def _recent(r: PhaseRow, today: date) -> bool:
    p = r.phase
    window = timedelta(days=30)
    finished_lately = p.finished is not None and today - window <= p.finished <= today
    starting_soon = p.start is not None and today < p.start <= today + window
    return finished_lately or starting_soon


def _analysed_rows(rows: list[PhaseRow], md: Markdown, page: str) -> tuple[list[PhaseRow], int]:
    """Every row with its analysis for ``page``, and none left out (as ``_variance_rows`` returns them)."""
    return [_with_analysis(r, md, page) for r in rows], 0


def _with_analysis(r: PhaseRow, md: Markdown, page: str) -> PhaseRow:
    """The row with its variance analysis rendered for ``page``: the same object as last build
    (the live preview) when the row and the analysis are, so that the page's kept HTML rows apply."""
    html, _ = md(r.phase.analysis, r.phase.source, r.phase.body_line, page)
    if md.memo is None:
        return PhaseRow(r.phase, r.fig, r.family, r.path, r.owner_path, html)
    return md.memo.get(("row", page, r.path), (r, html),
                       lambda: PhaseRow(r.phase, r.fig, r.family, r.path, r.owner_path, html))


def _pairs(families: list[Family], grouped: dict[str, list[PhaseRow]]) -> list[tuple[Family, list[PhaseRow]]]:
    """(family, its rows) in plan order, as the tables that list every family want them."""
    return [(f, grouped[f.slug]) for f in families]


def _grouped(families: list[Family], rows: list[PhaseRow]) -> dict[str, list[PhaseRow]]:
    """Each family's rows by slug, in one pass (every family has its list, empty or not)."""
    grouped: dict[str, list[PhaseRow]] = {f.slug: [] for f in families}
    for r in rows:
        grouped[r.family.slug].append(r)
    return grouped


def _corrective_views(rows: list[PhaseRow], today: date, urls: Urls) -> list[dict[str, Any]]:
    """Every corrective action of the plan: late ones first (latest first), then open ones by due date,
    then done or cancelled ones; ties in plan order."""
    views = []
    for r in rows:
        for c in r.phase.corrective_actions:
            open_ = c.status in ("planned", "in_progress")
            late = (today - c.due).days if open_ and c.due is not None and today > c.due else 0
            views.append({"action": c, "row": r, "owner": _owner_link(c.owner, urls), "late": late, "open": open_})
    rank = {id(v): i for i, v in enumerate(views)}
    return sorted(views, key=lambda v: (0 if v["late"] else 1 if v["open"] else 2, -v["late"],
                                        v["action"].due or date.max, rank[id(v)]))


def _change_views(history: History, plan: Plan, urls: Urls, totals: dict[str, Point]) -> list[dict[str, Any]]:
    """The latest commits touching the plan, for the home page: when, who, what, and which pages."""
    known: dict[str, tuple[str, str]] = {}
    for f in plan.families:
        if f.source:
            known[f.source] = (f.title, urls.family(f.slug))
        for p in f.phases:
            known[p.source] = (p.title, urls.phase(f.slug, p.slug))
    for page in plan.pages:
        known[page.source] = (page.title, urls.page(page.slug))
    base = (plan.settings.repository_url or "").rstrip("/")
    french = plan.settings.language == "fr"
    return [{"change": replace(c, subject=french_spaces(c.subject)) if french else c,
             "link": f"{base}/commit/{c.commit}" if base else None, "totals": totals.get(c.commit),
             "pages": [Link(*known[name]) for name in c.files if name in known][:5],
             "more": max(0, sum(1 for name in c.files if name in known) - 5)}
            for c in history.recent]


def _owner_link(owner: Owner | None, urls: Urls) -> Link | None:
    return Link(owner.name, urls.person(owner.key)) if owner else None


def _gantt(rows: list[PhaseRow], plan: Plan, families: Any, fmt: Formatter, t: dict[str, str],
           page: str, title: str) -> Markup:
    items: list[charts.GanttRow] = []
    for family in families or [None]:
        if family is not None:
            items.append(charts.GanttRow(family.title, header=True))
        for r in rows:
            if family is not None and r.family is not family:
                continue
            p = r.phase
            status = STATUS_LABELS[plan.settings.language].get(p.status, p.status)
            tip = f"{p.title} — {status} — {fmt.date(p.start)} → {fmt.date(p.end)}"
            if r.fig.late:
                tip += f" — {r.fig.days_late} {t['day_late'] if r.fig.days_late == 1 else t['days_late']}"
            items.append(charts.GanttRow(p.title, p.start, p.end, p.status, r.fig.late,
                                         relative(page, r.path), tooltip=tip))
    late = sum(1 for r in rows if r.fig.late)
    lang = plan.settings.language
    desc = (f"{len(rows)} {plural(lang, len(rows), t['phase'], t['phases']).lower()}, "
            f"{late} {plural(lang, late, t['late_phase'], t['late_phases']).lower()}"
            f"{t['list_sep']}{t['today']} {fmt.date(plan.today)}")
    return charts.gantt(items, plan.today, fmt.month_narrow,
                        lambda m: fmt.quarter(f"{m.year}-Q{(m.month - 1) // 3 + 1}"), title, desc,
                        f"{t['as_of']} {fmt.date(plan.today)}", t["late"])


def _variance_rows(ranked: list[list[PhaseRow]], md: Markdown, page: str,
                   limit: int | None = None) -> tuple[list[PhaseRow], int]:
    """Phases with a result, a spend or a delay, worst first, and how many were left out.

    ``ranked``: each family's such phases, worst first (``_ranked``); merged
    here, ties in plan order (``heapq.merge`` is stable, and so is each
    family's sort). ``limit`` keeps the worst only (a large plan: each
    family's variance page has all of its own). A family's ranking is kept
    by the live preview while its rows are the same: a save sorts one family.
    """
    merged = list(heapq.merge(*ranked, key=_worst)) if len(ranked) > 1 else list(ranked[0]) if ranked else []
    shown = merged if limit is None else merged[:limit]
    return [_with_analysis(r, md, page) for r in shown], len(merged) - len(shown)


def _ranked(rows: list[PhaseRow]) -> list[PhaseRow]:
    """A family's phases with a result, a spend or a delay, worst first, ties in plan order."""
    return sorted((r for r in rows if r.fig.result or r.phase.spent is not None or r.fig.late), key=_worst)


def _worst(r: PhaseRow) -> tuple[int, int, Decimal]:
    """Worst first: objective status (off track first), then days late, then the budget overspend ratio.

    The ratio as a Decimal (28 digits: ample to order by) rather than the exact
    Fraction the pages print: comparing Fractions made this sort 1.6 s at 15 000 phases.
    """
    a = r.fig.amounts
    return SEVERITY[r.fig.objective_status], -r.fig.days_late, -(a.variance / a.planned if a.planned else ZERO)


def _capped(name: str, rows: list[PhaseRow], limit: int | None,
            keep: Callable[[Any, Any], Any] | None = None, key: Any = None) -> dict[str, Any]:
    """Return ``{name: the first rows, "more": how many are left out}``.

    ``keep`` (the live preview) interns the rows shown as a tuple under
    ``key``: the same rows give the same object, so a template can keep the
    whole table's HTML (``fragment("…", rows)``) while none of them changed.
    """
    shown = rows if limit is None else rows[:limit]
    return {name: keep(key, tuple(shown)) if keep else shown, "more": len(rows) - len(shown)}


def _family_span(family: Family, rows: list[PhaseRow], urls: Urls) -> dict[str, Any]:
    """A family seen from afar: its dates, its phases, its late phases."""
    starts = [r.phase.start for r in rows if r.phase.start]
    ends = [r.phase.end for r in rows if r.phase.end]
    open_ = [r for r in rows if r.phase.status in ("planned", "in_progress")]
    status = "done" if rows and not open_ and any(r.phase.status == "done" for r in rows) else \
        "in_progress" if any(r.phase.status in ("in_progress", "done") for r in rows) else "planned"
    return {"family": family, "path": urls.family(family.slug), "timeline": urls.family_timeline(family.slug),
            "phases": len(rows),
            "start": min(starts) if starts else None, "end": max(ends) if ends else None,
            "late": sum(1 for r in rows if r.fig.late), "status": status}


def _with_suffix(title: str, suffix: str, limit: int = 43) -> str:
    """Shorten a title so that its suffix (a count) is never cut off by the chart's label column."""
    room = limit - len(suffix)
    return (title if len(title) <= room else title[: room - 1] + "…") + suffix


def _overview_gantt(spans: list[dict[str, Any]], plan: Plan, fmt: Formatter, t: dict[str, str],
                    page: str) -> Markup:
    # a family is not late as a phase is: its late phases are counted beside its name
    items = [charts.GanttRow(
        _with_suffix(s["family"].title, f" (⚠ {s['late']})" if s["late"] else ""), s["start"], s["end"],
        s["status"], False,
        relative(page, s["timeline"]),
        tooltip=f"{s['family'].title} — {s['phases']} {t['phases'].lower()}, {s['late']} {t['late_phases'].lower()}"
                f" — {fmt.date(s['start'])} → {fmt.date(s['end'])}" if s["start"] and s["end"] else s["family"].title,
    ) for s in spans]
    desc = f"{len(spans)} {t['families'].lower()}; {t['today']} {fmt.date(plan.today)}"
    return charts.gantt(items, plan.today, fmt.month_narrow,
                        lambda m: fmt.quarter(f"{m.year}-Q{(m.month - 1) // 3 + 1}"), t["timeline"], desc,
                        f"{t['as_of']} {fmt.date(plan.today)}", t["late"])


def _objective_views(plan: Plan, figures: PlanFigures, rows: list[PhaseRow], urls: Urls,
                     fmt: Formatter, t: dict[str, str], md: Markdown | None = None,
                     page: str = "", limit: int | None = None,
                     keep: Callable[[Any, Any], Any] | None = None) -> list[dict[str, Any]]:
    """One view per strategic objective; ``limit`` caps the phases listed (a large plan)."""
    views = []
    for o in plan.objectives:
        prog = figures.objectives[o.id]
        body = md(o.body, o.source, o.body_line, page)[0] if md else Markup("")
        views.append({
            "objective": o, "progress": prog, "path": urls.objective(o.id), "body": body,
            "anchor": urls.objective_anchor(o.id),
            "owner": _owner_link(o.owner, urls),
            "amounts": figures.by_objective.get(o.id),
            **_capped("rows", [r for r in rows if o.id in r.phase.contributes_to] if md else [], limit,
                      keep, ("objective-rows", o.id)),
            "chart": _progress_chart(o, plan.today, fmt, t, plan.settings.language == "fr") if md else Markup(""),
        })
    return views


def _progress_chart(o: Objective, today: date, fmt: Formatter, t: dict[str, str], french: bool) -> Markup:
    def value(v: Any) -> str:
        return fmt.number(v) + (f"\u00a0{o.unit}" if o.unit else "")

    base = (o.baseline.date, o.baseline.value) if o.baseline and o.baseline.date else None
    target = (o.target.date, o.target.value) if o.target and o.target.date else None
    points = [(m.date, m.value) for m in o.measurements if m.date]
    # the text alternative says what the chart shows: each measurement (a forecast said so) and the target
    said = [f"{fmt.date(d)}{t['colon']} {value(v)}" + (f" ({t['forecast']})" if d > today else "")
            for d, v in sorted(points)]
    if target:
        said.append(f"{t['target'].lower()} {value(target[1])} ({fmt.date(target[0])})")
    desc = t["list_sep"].join(said)
    return charts.progress_chart(base, target, points, today, value, fmt.date_short,
                                 (t["measurements"], t["target"], f"{t['as_of']} {fmt.date(today)}", t["forecast"]),
                                 (french_spaces if french else str)(f"{t['chart_alt_progress']} — {o.title}"),
                                 (french_spaces if french else str)(desc), element_id("p", o.id))


def _phase_progress_chart(p: Phase, today: date, fmt: Formatter, t: dict[str, str], french: bool) -> Markup:
    """A phase's results against the straight line from its first result to its target at its end.

    Drawn for a numeric target on a phase with an end and at least two dated,
    valued results: the first is where the phase started from (a phase has
    no baseline of its own), the others show whether it keeps to the line.
    """
    o = p.objective
    points = sorted((r.date, r.value) for r in p.results if r.date is not None and r.value is not None)
    if o is None or o.target is None or p.end is None or len(points) < 2 or points[0][0] >= p.end:
        return Markup("")

    def value(v: Any) -> str:
        return fmt.number(v) + (f"\u00a0{o.unit}" if o.unit else "")

    said = [f"{fmt.date(d)}{t['colon']} {value(v)}" + (f" ({t['forecast']})" if d > today else "") for d, v in points]
    said.append(f"{t['target'].lower()} {value(o.target)} ({fmt.date(p.end)})")
    # the axis shows numbers (a unit such as "€ par demande" does not fit beside them): the unit is in the key
    legend = f"{t['results_word']} ({o.unit})" if o.unit else t["results_word"]
    typography = french_spaces if french else str  # the chart is markup: the layout's typography skips it
    return charts.progress_chart(points[0], (p.end, o.target), points[1:], today, fmt.number, fmt.date_short,
                                 (legend, t["target"], f"{t['as_of']} {fmt.date(today)}", t["forecast"]),
                                 typography(f"{t['chart_alt_progress']} — {p.title}"),
                                 typography(t["list_sep"].join(said)), element_id("r", p.family_slug, p.slug))


def _people_views(plan: Plan, figures: PlanFigures, rows: list[PhaseRow], urls: Urls,
                  t: dict[str, str], limit: int | None = None,
                  keep: Callable[[Any, Any], Any] | None = None) -> list[dict[str, Any]]:
    keys: dict[str, Owner] = {}
    for pid, person in plan.people.items():
        keys[pid] = Owner(pid, person.name, person)
    for r in rows:
        for o in r.phase.owners:
            keys.setdefault(o.key, o)
    by_owner: dict[str, list[PhaseRow]] = {}
    for r in rows:
        for key in dict.fromkeys(o.key for o in r.phase.owners):
            by_owner.setdefault(key, []).append(r)
    views = []
    # people of people.yaml first, then outside names; "Émilie" sorts with the E's
    for key, owner in sorted(keys.items(), key=lambda kv: (kv[1].person is None, normalize_key(kv[1].name))):
        mine = by_owner.get(key, [])
        views.append({"owner": owner, "anchor": urls.person_anchor(key),
                      **_capped("rows", mine, limit, keep, ("person-rows", key)),
                      "amounts": figures.by_owner.get(key)})
    return views


def _budget_page(plan: Plan, heads: list[Family], figures: PlanFigures, urls: Urls, fmt: Formatter, t: dict[str, str],
                 home: Link, charts_drawn: bool = True) -> PageSpec:
    families = [(f, figures.families[f.slug]) for f in heads]
    tables = budget_tables(plan, figures, fmt, t)
    today_key = f"{plan.today.year:04d}-{plan.today.month:02d}"
    # no actual line after today: nothing is spent in the future
    cumul = [(month, run.planned, run.actual if month <= today_key else None)
             for month, run in cumulative(figures.by_month)]
    bar_items = [(f.title, ff.amounts.planned, ff.amounts.actual) for f, ff in families]
    desc = t["list_sep"].join(
        f"{f.title}{t['colon']} {t['planned'].lower()} {fmt.money(ff.amounts.planned)}, "
        f"{t['actual'].lower()} {fmt.money(ff.amounts.actual)}" for f, ff in families)
    today_index = next((i for i, (m, _, _) in enumerate(cumul) if m == today_key), None)
    # every month up to ten years; beyond, a few dozen of them (the table below has them all)
    described = range(len(cumul)) if len(cumul) <= charts.MONTHS_DRAWN else \
        charts.sampled(len(cumul), 24, today_index)
    cumul_desc = t["list_sep"].join(
        f"{fmt.month(m)}{t['colon']} {t['planned'].lower()} {fmt.money(p)}"
        + (f", {t['actual'].lower()} {fmt.money(a)}" if a is not None else "")
        for m, p, a in (cumul[i] for i in described))
    return PageSpec(urls.section("budget"), "budget.html", t["budget"], "budget", {
        "families": [(f, ff, figures.to_date_by_family[f.slug], urls.family(f.slug)) for f, ff in families],
        "stages_rows": [(r.label, r.amounts, r.to_date, None) for r in tables.stages],
        "owners": [(r.label, r.amounts, r.to_date, urls.person(r.key) if r.key else None) for r in tables.owners],
        "objectives": [(r.label, r.amounts, r.to_date, urls.objective(r.key) if r.key else None)
                       for r in tables.objectives],
        "months_rows": [(r.label, r.amounts, r.future) for r in tables.months],
        "quarters_rows": [(r.label, r.amounts, r.future) for r in tables.quarters],
        "to_date": figures.to_date,
        "bars": charts.bars(bar_items, (t["planned"], t["actual"]), fmt.money_round,
                            t["chart_alt_budget"], desc) if charts_drawn else Markup(""),
        "cumulative": charts.lines(cumul, (t["planned"], t["actual"], f"{t['as_of']} {fmt.date(plan.today)}"),
                                   fmt.month,
                                   fmt.money_round, t["chart_alt_cumulative"],
                                   cumul_desc,
                                   today_index) if charts_drawn else Markup(""),
    }, crumbs=(home,), wide=True, totals=True)
