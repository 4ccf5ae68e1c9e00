"""The routes: the one list of pages of the site, each with its template and its view (``views``).

Only the current family's phases appear in a page's sidebar, so the output
grows linearly with the plan.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from pacsite.errors import Diagnostics
from pacsite.figures import FamilyFigures, PhaseFigures, PlanFigures
from pacsite.figures.budget import ZERO, cumulative
from pacsite.format import Formatter
from pacsite.i18n import french_spaces, translator
from pacsite.load.fields import normalize_key
from pacsite.load.git_host import web_address
from pacsite.load.history import Change, History
from pacsite.load.model import Family, Owner, Phase, Plan
from pacsite.load.settings import Settings
from pacsite.memo import BuildCache, Memo
from pacsite.messages import Msg
from pacsite.reuse import Keyed, digest
from pacsite.site import charts, graphs
from pacsite.site.markdown import Heading, LinkContext, make_markdown, render
from pacsite.site.tables import budget_tables
from pacsite.site.urls import Urls
from pacsite.site.views import (
    BudgetView,
    ChangesView,
    ChangeView,
    CorrectiveItem,
    CorrectiveView,
    EmptyView,
    FamilySpan,
    FamilyView,
    HomeView,
    Link,
    ObjectivesView,
    ObjectiveView,
    PageSpec,
    PeopleView,
    PersonView,
    PhaseRow,
    PhaseView,
    PlanView,
    TextView,
    TimelineView,
    VariancesView,
)

if TYPE_CHECKING:  # lazy: the trend's module reads git and forks workers; pages only name its points
    from pacsite.figures.trend import Point

SEVERITY = {"off_track": 0, "watch": 1, "on_track": 2, "pending": 3, "met": 4, None: 5}


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


class Markdown(Keyed):
    """Render Markdown for a given page, collecting link errors.

    Its ``digest`` names all that a text's HTML depends on besides the text:
    every page and attachment a link may name, and the settings that change
    how it reads (raw HTML, French typography).
    """

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
        self.digest = digest(self.pages, assets, plan.settings.markdown_html, plan.settings.language)

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

    def links_key(self) -> tuple[Any, ...]:
        """What a text's HTML depends on besides the text: every page and attachment a link may name."""
        return (self.pages, self.assets)

    def read_links(self, page: PageSpec) -> None:
        """Render a deferred phase page's texts for their link errors alone (``pacsite check``)."""
        if page.lazy is not None:
            page = page.lazy()
        if page.deferred:
            assert isinstance(page.context, PhaseView)
            p = page.context.row.phase
            self(p.body, p.source, p.body_line, page.path)
            self(p.analysis, p.source, p.body_line, page.path)

    def complete(self, page: PageSpec) -> PageSpec:
        """Render a deferred phase page's Markdown (making the page first, if it is ``lazy``); its link errors
        join ``errors``."""
        if page.lazy is not None:
            page = page.lazy()
        if not page.deferred:
            return page
        assert isinstance(page.context, PhaseView)
        p = page.context.row.phase
        body, toc = self(p.body, p.source, p.body_line, page.path)
        analysis, _ = self(p.analysis, p.source, p.body_line, page.path)
        view = page.context
        assert isinstance(view, PhaseView)
        return replace(page, context=replace(view, body=body, analysis=analysis), toc=tuple(toc), deferred=False)


def build_pages(
    plan: Plan, figures: PlanFigures, md: Markdown, diagnostics: Diagnostics, families: list[FamilyPages],
    cache: BuildCache | None = None, history: History | None = None, draw: bool = True,
    trend: tuple[Point, ...] = (),
) -> list[PageSpec]:
    """Return every page of the site, in a stable order. Link errors go to diagnostics.

    ``families``: each family's pages (made by ``family_page`` and
    ``phase_pages``: ``build.routes``); ``md`` renders the texts. ``cache``
    (the live preview) keeps the plan-wide pages' pieces and charts between
    builds.
    """
    site = _Routes(plan, figures, md, families, cache, history or History(), draw)
    pages = [site.home(trend), *site.plan_table(), *site.families(), site.budget(), site.timeline(),
             *site.variances(), *site.objectives_and_people(), *site.free_pages(), *site.changes(trend),
             *site.closing()]
    for source, line, message in md.errors:
        diagnostics.error(source, line, None, message)
    return pages


@dataclass(frozen=True)
class RouteContext(Keyed):
    """What a family's pages read of the plan besides the family: small, and part of their key (``digest``)."""

    settings: Settings
    today: date
    objectives: tuple[tuple[str, str], ...]  # each objective's id and title, in plan order
    draw: bool  # charts drawn (``pacsite check`` shows no page)
    defer: bool  # phase pages without their Markdown, completed by the page renderers (``pacsite build``)
    digest: str = field(default="", compare=False, repr=False)  # of the fields above: made once a build


@dataclass(frozen=True)
class FamilyPage:
    """A family's own page, and what the other pages show of it: its own fields and its rows."""

    head: Family  # its own fields: its phases come as rows (phases=())
    rows: list[PhaseRow]  # its phases without their body, with their figures and paths
    page: PageSpec
    errors: tuple[tuple[str, int, Msg], ...]  # broken links in its text


@dataclass(frozen=True)
class FamilyPages:
    """A family's share of the routes: its page and what the others show of it, and its phases' pages."""

    family: FamilyPage
    phases: list[PageSpec]
    errors: tuple[tuple[str, int, Msg], ...]  # broken links in its phases' texts (none while they are deferred)


def family_inputs(plan: Plan, figures: PlanFigures, history: History, draw: bool,
                  defer: bool) -> list[tuple[Family, tuple[PhaseFigures, ...], FamilyFigures,
                                             tuple[Change | None, ...], RouteContext]]:
    """What a family's pages are made of, for each family in plan order: the family, its phases' figures and
    its own, the last commit of its file then of each phase's, and what they read of the plan."""
    fields = (plan.settings, plan.today, tuple((o.id, o.title) for o in plan.objectives), draw, defer)
    context = RouteContext(*fields, digest=digest(*fields))
    return [(f, tuple(figures.phase(p) for p in f.phases), figures.families[f.slug],
             (history.files.get(f.source or ""), *(history.files.get(p.source) for p in f.phases)), context)
            for f in plan.families]


def family_head(family: Family) -> Family:
    """A family's own fields (its phases come as rows), with their key: the pages' keys take it for the family."""
    head = replace(family, phases=())
    return replace(head, digest=digest(head))


def family_rows(head: Family, phases: tuple[Phase, ...], figures: tuple[PhaseFigures, ...],
                context: RouteContext) -> list[tuple[str | None, Callable[[], PhaseRow]]]:
    """A family's rows (its phases without their text, with their figures and paths), each as its key and how
    to make it: a build keeps the rows it made while their key is the same (``build.routes``), so a table
    after a budget edit holds one new row, not its family's hundred."""
    urls = Urls(context.settings.language)
    made: list[tuple[str | None, Callable[[], PhaseRow]]] = []
    for p, pf in zip(phases, figures, strict=True):
        key = p.owner.key if p.owner else None
        path, owner_path = urls.phase(head.slug, p.slug), urls.person(key) if key else None
        own = digest("row", p.digest_without_body, pf.digest, head.digest, path, owner_path) \
            if p.digest_without_body and pf.digest else None
        made.append((own, partial(_row, p, pf, head, path, owner_path, own or "")))
    return made


def _row(p: Phase, pf: PhaseFigures, head: Family, path: str, owner_path: str | None, key: str) -> PhaseRow:
    return PhaseRow(_without_body(p), pf, head, path, owner_path, digest=key)


def family_page(head: Family, rows: list[PhaseRow], ff: FamilyFigures, changed: Change | None,
                context: RouteContext, md: Markdown) -> FamilyPage:
    """A family's page, from its own fields (``head``, text included) and its rows: none of its phases' texts."""
    settings = context.settings
    urls, fmt, t = Urls(settings.language), Formatter(settings), translator(settings.language)
    family = head
    before = len(md.errors)
    path = urls.family(head.slug)
    body, toc = md(family.body, family.source or "", family.body_line, path)
    sidebar, hidden = sidebar_window(rows, None)
    page = PageSpec(path, "family.html", head.title, "plan", FamilyView(
        family=head, ff=ff, rows=rows, body=body,
        gantt=graphs.gantt(rows, context.today, settings.language, [], fmt, t, path, head.title)
        if context.draw else Markup(""),
        variances_path=urls.family_variances(head.slug),
        owner_path=urls.person(head.owner.key) if head.owner else "",
        all_due=all(r.fig.due for r in rows),
    ), family=head.slug, crumbs=(Link(t["home"], urls.home), Link(t["plan"], urls.section("plan"))),
        toc=tuple(toc), sidebar=sidebar, sidebar_hidden=hidden, source=family.source, changed=changed)
    errors = tuple(md.errors[before:])
    del md.errors[before:]  # the caller reports them, whether it made the page or found it made
    return FamilyPage(head, rows, page, errors)


PhasePage = tuple[PageSpec, tuple[tuple[str, int, Msg], ...]]  # a phase page and its broken links


def phase_pages(head: Family, phases: tuple[Phase, ...], rows: list[PhaseRow], changes: tuple[Change | None, ...],
                context: RouteContext, md: Markdown) -> list[tuple[str | None, Callable[[], PhasePage]]]:
    """A family's phase pages (``phases``: with their texts), each as its key and how to make it.

    The key is a digest of what the page shows (``phase_page_inputs``): a
    build makes the pages whose key is new (``build.routes``), so a budget
    edit lays out the phase's own page again, not its neighbours'. None when
    a phase has no key of its own (a plan made in memory, in tests).
    """
    settings = context.settings
    urls, fmt, t = Urls(settings.language), Formatter(settings), translator(settings.language)
    home = Link(t["home"], urls.home)
    titles = "\0".join(f"{i}\0{title}" for i, title in context.objectives)
    keyed = bool(context.digest) and all(p.digest for p in phases)  # the context's key holds the settings
    made: list[tuple[str | None, Callable[[], PhasePage]]] = []
    for index, (phase, changed) in enumerate(zip(phases, changes, strict=True)):
        key = digest("phase page", md.digest, context.digest, *phase_page_inputs(
            rows, index, head, phase, changed, titles, context.today)) if keyed else None
        full = partial(phase_page, context, rows, index, head, md, urls, t, home, phase, fmt=fmt,
                       defer=context.defer, changed=changed, key=key)
        if context.defer:  # pacsite build: the page's worker makes it, if it is not in the store already
            made.append((key, partial(_lazy, PageSpec(
                rows[index].path, "phase.html", phase.title, "plan", family=head.slug, deferred=True,
                source=phase.source, changed=changed, key=key, lazy=full))))
        else:
            made.append((key, partial(_with_errors, md, full)))
    return made


def _lazy(page: PageSpec) -> PhasePage:
    return page, ()


def _with_errors(md: Markdown, make: Callable[[], PageSpec]) -> PhasePage:
    """``make()`` and the broken links it found, taken out of ``md.errors``: the caller reports them."""
    before = len(md.errors)
    page = make()
    errors = tuple(md.errors[before:])
    del md.errors[before:]
    return page, errors


def phase_page_inputs(rows: list[PhaseRow], index: int, head: Family, phase: Phase, changed: Change | None,
                      objectives: str, today: date) -> tuple[Any, ...]:
    """Everything ``phase_page`` reads but where links lead and the settings: its key is their digest.

    The phase (with its body), its figures, its family's own fields, the
    titles and paths of the neighbours it lists (sidebar, previous, next),
    the objectives' titles, the file's last commit, the date (its chart):
    a budget edit renders the phase's own page again, not its family's
    hundred others.
    """
    r = rows[index]
    start, size = _window(index, len(rows))
    lo, hi = min(start, index - 1), max(start + size, index + 2)
    near = "\0".join(f"{x.phase.title}\0{x.path}" for x in rows[max(0, lo):hi])
    return (phase, r.fig, head, r.owner_path, near, len(rows), index - max(0, lo), objectives, changed, today)


class _Routes:
    """The pages of one build, section by section (``build_pages`` lists them in order).

    What every section shares is made once here: each family's rows (its
    phases without their body, with their figures and paths), in plan order.
    With a ``cache`` (the live preview) rows, lists and pages are the last
    build's objects while what they show is the same.
    """

    def __init__(self, plan: Plan, figures: PlanFigures, md: Markdown, families: list[FamilyPages],
                 cache: BuildCache | None, history: History, draw: bool) -> None:
        settings = plan.settings
        self.urls, self.fmt, self.t = Urls(settings.language), Formatter(settings), translator(settings.language)
        self.plan, self.figures, self.md, self.cache, self.history, self.draw = plan, figures, md, cache, history, draw
        self.home_link = Link(self.t["home"], self.urls.home)
        self.parts = families
        for part in families:
            md.errors.extend(part.family.errors + part.errors)
        self.heads = [part.family.head for part in families]
        self.by_family = {part.family.head.slug: part.family.rows for part in families}
        self.rows = [r for part in families for r in part.family.rows]  # each family's rows, in plan order
        self.large = len(self.rows) > PLAN_SPLIT

    # -- what the sections share -------------------------------------------
    def changed(self, source: str | None) -> Change | None:
        """The last commit of a page's source file (None outside a repository)."""
        return self.history.files.get(source or "")

    def _gantt(self, rows: list[PhaseRow], families: Any, page: str, title: str) -> Markup:
        plan, fmt, t = self.plan, self.fmt, self.t
        if not self.draw:  # `pacsite check`: no page is shown, and a chart reports no error
            return Markup("")
        if self.cache is None:
            return graphs.gantt(rows, plan.today, plan.settings.language, families, fmt, t, page, title)
        # what a bar shows, not the whole phase: a budget edit does not draw the chart again
        inputs = ([(r.phase.title, r.phase.start, r.phase.end, r.phase.status, r.fig.days_late, r.path, r.family.slug)
                   for r in rows], [(f.slug, f.title) for f in families], plan.today, plan.settings, title)
        return self.cache.charts.get(("gantt", page), inputs, partial(
            graphs.gantt, rows, plan.today, plan.settings.language, families, fmt, t, page, title))

    def _analysed(self, key: Any, source: Any, page: str, make: Callable[[], tuple[list[PhaseRow], int]],
                  ) -> tuple[list[PhaseRow], int]:
        """Rows with their analyses for ``page`` (``make``), the last ones while ``source`` is the same (the
        live preview): its rows are the same objects, and so are their analyses."""
        cache, md = self.cache, self.md
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

    # -- the sections, in the order of the site ------------------------------
    def home(self, trend: tuple[Point, ...]) -> PageSpec:
        plan, figures, urls, fmt, t, md, rows = self.plan, self.figures, self.urls, self.fmt, self.t, self.md, self.rows
        vision, _ = md(plan.vision, plan.header_source or "content/_index.md", 1, urls.home)
        intro, _ = md(plan.body, plan.header_source or "", plan.body_line, urls.home)
        soon = sorted((r for r in rows if _recent(r, plan.today)),
                      key=lambda r: r.phase.finished or r.phase.start or plan.today)
        late = sorted((r for r in rows if r.fig.late), key=lambda r: -r.fig.days_late)  # the latest first
        return PageSpec(urls.home, "home.html", plan.title, "home", HomeView(
            vision=vision, intro=intro, intro_titled=plan.body.lstrip().startswith("#"),
            objectives=_objective_views(plan, figures, rows, urls, fmt, t),
            recent=soon[:HOME_LIMIT], late=late[:HOME_LIMIT], late_more=max(0, len(late) - HOME_LIMIT),
            changes=_change_views(self.history, plan, urls, {p.change.commit: p for p in trend}),
            changes_page=urls.section("changes") if trend else None,
        ), totals=True, source=plan.header_source, changed=self.changed(plan.header_source))

    def plan_table(self) -> list[PageSpec]:
        """The template's table: whole, or one page per family under an overview with the families' totals."""
        plan, urls, t, md, heads, by_family = self.plan, self.urls, self.t, self.md, self.heads, self.by_family
        plan_path, home = urls.section("plan"), self.home_link
        if not self.large:
            plan_rows = self._analysed(("plan", plan_path), tuple(by_family.values()), plan_path,
                                       partial(_analysed_rows, self.rows, md, plan_path))[0]
            return [PageSpec(plan_path, "plan.html", t["plan"], "plan",
                             PlanView(_pairs(heads, _grouped(heads, plan_rows)), [], None, {}),
                             crumbs=(home,), wide=True, totals=True)]
        parts = [Link(f.title, urls.plan_part(f.slug)) for f in heads]
        pages = [PageSpec(plan_path, "plan.html", t["plan"], "plan", PlanView(
            [(f, []) for f in heads], parts, None, {f.slug: len(f.phases) for f in plan.families},
        ), crumbs=(home,), wide=True, totals=True)]
        for family in heads:
            fpath = urls.plan_part(family.slug)
            mine = by_family[family.slug]
            frows = self._analysed(("plan", fpath), mine, fpath, partial(_analysed_rows, mine, md, fpath))[0]
            pages.append(PageSpec(fpath, "plan.html", f"{t['plan']} — {family.title}", "plan", PlanView(
                [(family, frows)], parts, family.slug, {}, self.figures.families[family.slug],
            ), family=family.slug, crumbs=(home, Link(t["plan"], plan_path)), wide=True))
        return pages

    def families(self) -> list[PageSpec]:
        """Each family's page, followed by its phases' pages (``family_page``, ``phase_pages``)."""
        return [page for part in self.parts for page in (part.family.page, *part.phases)]

    def budget(self) -> PageSpec:
        plan, heads = self.plan, self.heads
        budget = partial(_budget_page, plan, heads, self.figures, self.urls, self.fmt, self.t, self.home_link,
                         self.draw)
        if self.cache is None:
            return budget()
        lists = tuple(self.by_family.values())  # the same lists while nothing changed: identity tests
        return self.cache.lists.get("budget", (lists, heads, self.figures, plan.stages, plan.objectives, plan.today),
                                    budget)

    def timeline(self) -> PageSpec:
        plan, urls, t, heads, by_family, home = self.plan, self.urls, self.t, self.heads, self.by_family, self.home_link
        tl = urls.section("timeline")
        if not self.large:
            return PageSpec(tl, "timeline.html", t["timeline"], "timeline", TimelineView(
                self._gantt(self.rows, heads, tl, t["timeline"]), _pairs(heads, by_family), [],
            ), crumbs=(home,), wide=True, totals=True)

        def overview() -> PageSpec:  # one bar per family, from its first start to its last end
            spans = [_family_span(f, by_family[f.slug], urls) for f in heads]
            return PageSpec(tl, "timeline.html", t["timeline"], "timeline", TimelineView(
                graphs.overview_gantt(spans, plan, self.fmt, t, tl), [], spans,
            ), crumbs=(home,), wide=True, totals=True)

        if self.cache is None:
            return overview()
        return self.cache.lists.get("timeline", (tuple(by_family.values()), heads, plan.today, plan.settings),
                                    overview)

    def variances(self) -> list[PageSpec]:
        """Every variance worst first, each family's, then the corrective actions (late ones first)."""
        urls, t, md, heads, by_family, home = self.urls, self.t, self.md, self.heads, self.by_family, self.home_link
        cache = self.cache
        vpath, cpath = urls.section("variances"), urls.section("corrective")
        corrective = _corrective_views(self.rows, self.plan.today, urls)
        corrective_late = sum(1 for v in corrective if v.late)

        def ranked(slug: str) -> list[PhaseRow]:
            frows = by_family[slug]
            return cache.lists.get(("ranked", slug), frows, partial(_ranked, frows)) if cache else _ranked(frows)

        rankings = {h.slug: ranked(h.slug) for h in heads}
        worst = self._analysed(("variances", vpath), tuple(rankings.values()), vpath,
                               partial(_variance_rows, list(rankings.values()), md, vpath,
                                       LIST_LIMIT if self.large else None))
        pages = [PageSpec(vpath, "variances.html", t["variances"], "variances", VariancesView(
            worst[0], worst[1], None, [Link(f.title, urls.family_variances(f.slug)) for f in heads],
            Link(t["corrective_link"].format(n=len(corrective), late=corrective_late), cpath),
        ), crumbs=(home,), totals=True)]
        for family in heads:
            fpath = urls.family_variances(family.slug)
            side, hidden = sidebar_window(by_family[family.slug], None)
            pages.append(PageSpec(fpath, "variances.html", f"{t['variances']} — {family.title}", "variances",
                                  VariancesView(self._analysed(("variances", fpath), rankings[family.slug], fpath,
                                                               partial(_variance_rows, [rankings[family.slug]], md,
                                                                       fpath))[0], 0, family, [], None),
                                  family=family.slug, crumbs=(home, Link(t["variances"], vpath)), sidebar=side,
                                  sidebar_hidden=hidden))
        pages.append(PageSpec(cpath, "corrective.html", t["corrective_actions"], "variances", CorrectiveView(
            corrective, corrective_late,
            sum(1 for v in corrective if v.action.status in ("planned", "in_progress")),
            sum(1 for v in corrective if v.action.status in ("done", "cancelled")),
        ), crumbs=(home, Link(t["variances"], vpath))))
        return pages

    def objectives_and_people(self) -> list[PageSpec]:
        plan, figures, urls, t, home = self.plan, self.figures, self.urls, self.t, self.home_link
        opath = urls.section("objectives")
        keep = self.cache.families.intern if self.cache else None  # the tables' rows as one object while the same
        objective_views = _objective_views(plan, figures, self.rows, urls, self.fmt, t, self.md, opath,
                                           LIST_LIMIT if self.large else None, keep)
        people_views = _people_views(plan, figures, self.rows, urls, t, PEOPLE_LIMIT if self.large else None, keep)
        return [
            PageSpec(opath, "objectives.html", t["objectives"], "objectives", ObjectivesView(
                objective_views, figures.by_objective.get(""),
            ), crumbs=(home,), toc=tuple(Heading(2, v.objective.title, v.anchor) for v in objective_views),
                totals=True),
            PageSpec(urls.section("people"), "people.html", t["people"], "people", PeopleView(people_views),
                     crumbs=(home,), toc=tuple(Heading(2, v.owner.name, v.anchor) for v in people_views),
                     totals=True),
        ]

    def free_pages(self) -> list[PageSpec]:
        pages = []
        for page in self.plan.pages:
            path = self.urls.page(page.slug)
            body, toc = self.md(page.body, page.source, page.body_line, path)
            pages.append(PageSpec(path, "page.html", page.title, "pages", TextView(body), crumbs=(self.home_link,),
                                  toc=tuple(toc), source=page.source, changed=self.changed(page.source)))
        return pages

    def changes(self, trend: tuple[Point, ...]) -> list[PageSpec]:
        """The plan's totals after each of the latest commits (a git checkout only)."""
        if not trend:
            return []
        plan, fmt, t = self.plan, self.fmt, self.t
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
                             fmt.money_round, t["chart_alt_changes"], desc, None, "changes") if self.draw \
            else Markup("")
        base = web_address(plan.settings.repository_url) if plan.settings.repository_url else ""
        return [PageSpec(self.urls.section("changes"), "changes.html", t["changes_title"], "home", ChangesView(
            trend, chart, f"{base}/commit/" if base else None,
        ), crumbs=(self.home_link,))]

    def closing(self) -> list[PageSpec]:
        """The search page (when search is on) and the 404 page."""
        urls, t = self.urls, self.t
        pages = []
        if self.plan.settings.search:
            pages.append(PageSpec(urls.section("search"), "search.html", t["search_title"], "search", EmptyView(),
                                  crumbs=(self.home_link,)))
        pages.append(PageSpec(urls.not_found, "404.html", t["not_found"], "none", EmptyView()))
        return pages


def phase_page(context: RouteContext, frows: list[PhaseRow], index: int, head: Family, md: Markdown, urls: Urls,
               t: dict[str, str], home: Link, phase: Phase, *, fmt: Formatter, defer: bool = False,
               changed: Change | None = None, key: str | None = None) -> PageSpec:
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
    return PageSpec(r.path, "phase.html", p.title, "plan", PhaseView(
        row=row, body=body, analysis=analysis,
        objectives=[Link(title, urls.objective(oid)) for oid, title in context.objectives if oid in p.contributes_to],
        owners=[_owner_link(o, urls) for o in p.owners],
        corrective=[(c, _owner_link(c.owner, urls) if c.owner else None) for c in p.corrective_actions],
        progress=graphs.phase_progress_chart(p, context.today, fmt, t, context.settings.language == "fr"),
    ), family=head.slug, toc=tuple(toc),
        crumbs=(home, Link(t["plan"], urls.section("plan")), Link(head.title, family_path)),
        prev=Link(prev.phase.title, prev.path) if prev else None,
        next=Link(nxt.phase.title, nxt.path) if nxt else None,
        sidebar=side, sidebar_hidden=hidden, deferred=defer, source=p.source, changed=changed, key=key)


def _without_body(p: Phase) -> Phase:
    """The phase without its body: a shallow copy (``replace`` runs ``__init__``: 15× slower)."""
    copy = object.__new__(Phase)
    copy.__dict__.update(p.__dict__)
    object.__setattr__(copy, "body", "")
    object.__setattr__(copy, "digest", p.digest_without_body)  # the phase's own names its body
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


def _corrective_views(rows: list[PhaseRow], today: date, urls: Urls) -> list[CorrectiveItem]:
    """Every corrective action of the plan: late ones first (latest first), then open ones by due date,
    then done or cancelled ones; ties in plan order."""
    views = []
    for r in rows:
        for c in r.phase.corrective_actions:
            open_ = c.status in ("planned", "in_progress")
            late = (today - c.due).days if open_ and c.due is not None and today > c.due else 0
            views.append(CorrectiveItem(c, r, _owner_link(c.owner, urls), late, open_))
    rank = {id(v): i for i, v in enumerate(views)}
    return sorted(views, key=lambda v: (0 if v.late else 1 if v.open else 2, -v.late,
                                        v.action.due or date.max, rank[id(v)]))


def _change_views(history: History, plan: Plan, urls: Urls, totals: dict[str, Point]) -> list[ChangeView]:
    """The latest commits touching the plan, for the home page: when, who, what, and which pages."""
    known: dict[str, tuple[str, str]] = {}
    for f in plan.families:
        if f.source:
            known[f.source] = (f.title, urls.family(f.slug))
        for p in f.phases:
            known[p.source] = (p.title, urls.phase(f.slug, p.slug))
    for page in plan.pages:
        known[page.source] = (page.title, urls.page(page.slug))
    base = web_address(plan.settings.repository_url) if plan.settings.repository_url else ""
    french = plan.settings.language == "fr"
    return [ChangeView(replace(c, subject=french_spaces(c.subject)) if french else c,
                       f"{base}/commit/{c.commit}" if base else None, totals.get(c.commit),
                       [Link(*known[name]) for name in c.files if name in known][:5],
                       max(0, sum(1 for name in c.files if name in known) - 5))
            for c in history.recent]


def _owner_link(owner: Owner | None, urls: Urls) -> Link | None:
    return Link(owner.name, urls.person(owner.key)) if owner else None


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


def _capped(rows: list[PhaseRow], limit: int | None,
            keep: Callable[[Any, Any], Any] | None = None, key: Any = None) -> tuple[Sequence[PhaseRow], int]:
    """Return the first rows and how many are left out.

    ``keep`` (the live preview) interns the rows shown as a tuple under
    ``key``: the same rows give the same object, so a template can keep the
    whole table's HTML (``fragment("…", rows)``) while none of them changed.
    """
    shown = rows if limit is None else rows[:limit]
    return keep(key, tuple(shown)) if keep else shown, len(rows) - len(shown)


def _family_span(family: Family, rows: list[PhaseRow], urls: Urls) -> FamilySpan:
    """A family seen from afar: its dates, its phases, its late phases."""
    starts = [r.phase.start for r in rows if r.phase.start]
    ends = [r.phase.end for r in rows if r.phase.end]
    open_ = [r for r in rows if r.phase.status in ("planned", "in_progress")]
    status = "done" if rows and not open_ and any(r.phase.status == "done" for r in rows) else \
        "in_progress" if any(r.phase.status in ("in_progress", "done") for r in rows) else "planned"
    return FamilySpan(family, urls.family(family.slug), urls.family_timeline(family.slug), len(rows),
                      min(starts) if starts else None, max(ends) if ends else None,
                      sum(1 for r in rows if r.fig.late), status)


def _objective_views(plan: Plan, figures: PlanFigures, rows: list[PhaseRow], urls: Urls,
                     fmt: Formatter, t: dict[str, str], md: Markdown | None = None,
                     page: str = "", limit: int | None = None,
                     keep: Callable[[Any, Any], Any] | None = None) -> list[ObjectiveView]:
    """One view per strategic objective; ``limit`` caps the phases listed (a large plan)."""
    views = []
    for o in plan.objectives:
        prog = figures.objectives[o.id]
        body = md(o.body, o.source, o.body_line, page)[0] if md else Markup("")
        shown, more = _capped([r for r in rows if o.id in r.phase.contributes_to] if md else [], limit,
                              keep, ("objective-rows", o.id))
        views.append(ObjectiveView(
            objective=o, progress=prog, path=urls.objective(o.id), body=body, anchor=urls.objective_anchor(o.id),
            owner=_owner_link(o.owner, urls), amounts=figures.by_objective.get(o.id), rows=shown, more=more,
            chart=graphs.progress_chart(o, plan.today, fmt, t, plan.settings.language == "fr") if md else Markup(""),
        ))
    return views


def _people_views(plan: Plan, figures: PlanFigures, rows: list[PhaseRow], urls: Urls,
                  t: dict[str, str], limit: int | None = None,
                  keep: Callable[[Any, Any], Any] | None = None) -> list[PersonView]:
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
        shown, more = _capped(mine, limit, keep, ("person-rows", key))
        views.append(PersonView(owner, urls.person_anchor(key), shown, more, figures.by_owner.get(key)))
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
    return PageSpec(urls.section("budget"), "budget.html", t["budget"], "budget", BudgetView(
        families=[(f, ff, figures.to_date_by_family[f.slug], urls.family(f.slug)) for f, ff in families],
        stages_rows=[(r.label, r.amounts, r.to_date, None) for r in tables.stages],
        owners=[(r.label, r.amounts, r.to_date, urls.person(r.key) if r.key else None) for r in tables.owners],
        objectives=[(r.label, r.amounts, r.to_date, urls.objective(r.key) if r.key else None)
                    for r in tables.objectives],
        months_rows=[(r.label, r.amounts, r.future) for r in tables.months],
        quarters_rows=[(r.label, r.amounts, r.future) for r in tables.quarters],
        to_date=figures.to_date,
        bars=charts.bars(bar_items, (t["planned"], t["actual"]), fmt.money_round,
                         t["chart_alt_budget"], desc) if charts_drawn else Markup(""),
        cumulative=charts.lines(cumul, (t["planned"], t["actual"], f"{t['as_of']} {fmt.date(plan.today)}"),
                                fmt.month, fmt.money_round, t["chart_alt_cumulative"], cumul_desc,
                                today_index) if charts_drawn else Markup(""),
    ), crumbs=(home,), wide=True, totals=True)
