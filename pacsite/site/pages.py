"""The pages of the site, each made by a pure function of what it shows: its template and its view (``views``).

``pacsite.routes`` lists them in the order of the site and calls each
through the reuse layer; nothing here keeps anything between builds. Only
the current family's phases appear in a page's sidebar, so the output grows
linearly with the plan.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from pacsite.figures import FamilyFigures, PhaseFigures, PlanFigures
from pacsite.figures.budget import ZERO, cumulative
from pacsite.format import Formatter
from pacsite.i18n import french_spaces, translator
from pacsite.load.fields import normalize_key
from pacsite.load.git_host import web_address
from pacsite.load.history import Change, History
from pacsite.load.model import Family, Owner, Phase, Plan
from pacsite.load.settings import Settings, Stage
from pacsite.messages import Msg
from pacsite.reuse import Keyed, digest, string_key
from pacsite.site import charts, graphs
from pacsite.site.markdown import Heading, LinkContext, make_markdown, render
from pacsite.site.tables import budget_tables_of
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

Errors = tuple[tuple[str, int, Msg], ...]  # broken links: (file, line, message)
Text = tuple[Markup, tuple[Heading, ...], Errors]  # a text's HTML, headings and broken links

SEVERITY = {"off_track": 0, "watch": 1, "on_track": 2, "pending": 3, "met": 4, None: 5}


SIDEBAR_WINDOW = 6
# Above this many phases the plan table and the timeline become one page per family
# under an overview, and plan-wide lists show their first LIST_LIMIT rows and say how
# many more there are: no page embeds a large plan whole (a 15 000-phase plan table
# is 110 MB of HTML that no browser opens).
PLAN_SPLIT = 500
LIST_LIMIT = 100
HOME_LIMIT = 20  # late phases and recent news listed on the home page
DUE_SOON = 30  # days: a phase ending within them is listed on the home page, "à traiter"
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


# a phase's texts rendered for its page: its source, then its body's and its analysis's HTML, headings, broken links
ReadyTexts = tuple[str, tuple[Markup, tuple[Heading, ...], Errors], tuple[Markup, tuple[Heading, ...], Errors]]


class Markdown(Keyed):
    """Render Markdown for a given page, collecting link errors.

    Its ``digest`` names all that a text's HTML depends on besides the text:
    every page and attachment a link may name, and the settings that change
    how it reads (raw HTML, French typography).
    """

    def __init__(self, plan: Plan, urls: Urls, assets: dict[str, str]) -> None:
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
        self.digest = digest(self.pages, assets, plan.settings.markdown_html, plan.settings.language)
        self.ready: dict[str, ReadyTexts] = {}  # phase pages' texts rendered ahead (``texts``), by page

    def texts(self, plan: Plan, limit: int) -> dict[str, ReadyTexts]:
        """The first ``limit`` phases' texts, rendered for their pages: ``complete`` takes them as they are.

        A clean build renders them in a worker forked once the plan is
        loaded, while this process computes the figures and lays out the
        pages, a core otherwise idle (``build.plan_site``): the page workers
        then render no Markdown for those phases.
        """
        done: dict[str, ReadyTexts] = {}
        for family in plan.families:
            for p in family.phases:
                if len(done) >= limit:
                    return done
                page = self.pages[p.source]
                done[page] = (p.source, self.render(p.body, p.source, p.body_line, page),
                              self.render(p.analysis, p.source, p.body_line, page))
        return done

    def __call__(self, text: str | None, source: str, line: int, page: str) -> tuple[Markup, list[Heading]]:
        """The text's HTML and headings; its broken links join ``errors``."""
        html, headings, errors = self.render(text, source, line, page)
        self.errors.extend(errors)
        return html, list(headings)

    def render(self, text: str | None, source: str, line: int, page: str) -> tuple[Markup, tuple[Heading, ...],
                                                                                  Errors]:
        """The text's HTML, headings and broken links, and nothing else done: for the stages the reuse layer
        keeps (``analysed_rows``), whose errors must come back with their result."""
        if not text:
            return Markup(""), (), ()
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
        ready = self.ready.get(page.path)
        if ready is not None and ready[0] == p.source:  # rendered ahead, for this page, from this plan's text
            (body, toc, errors), (analysis, _, more) = ready[1], ready[2]
            self.errors.extend(errors)
            self.errors.extend(more)
        else:
            body, headings = self(p.body, p.source, p.body_line, page.path)
            analysis, _ = self(p.analysis, p.source, p.body_line, page.path)
            toc = tuple(headings)
        view = page.context
        assert isinstance(view, PhaseView)
        return replace(page, context=replace(view, body=body, analysis=analysis), toc=tuple(toc), deferred=False)


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
    errors: Errors  # broken links in its text


@dataclass(frozen=True)
class FamilyPages:
    """A family's share of the routes: its page and what the others show of it, and its phases' pages."""

    family: FamilyPage
    phases: list[PageSpec]
    errors: Errors  # broken links in its phases' texts (none while they are deferred)


def family_inputs(plan: Plan, figures: PlanFigures, history: History,
                  context: RouteContext) -> list[tuple[Family, tuple[PhaseFigures, ...], FamilyFigures,
                                                        tuple[Change | None, ...], RouteContext]]:
    """What a family's pages are made of, for each family in plan order: the family, its phases' figures and
    its own, the last commit of its file then of each phase's, and what they read of the plan (``context``)."""
    return [(f, tuple(figures.phase(p) for p in f.phases), figures.families[f.slug],
             (history.files.get(f.source or ""), *(history.files.get(p.source) for p in f.phases)), context)
            for f in plan.families]


def family_head(family: Family) -> Family:
    """A family's own fields (its phases come as rows), with their key: the pages' keys take it for the family."""
    head = replace(family, phases=(), digest="", digest_without_body="")  # its keys name its phases too
    return replace(head, digest=digest(head))


def family_rows(head: Family, phases: tuple[Phase, ...], figures: tuple[PhaseFigures, ...],
                context: RouteContext) -> list[tuple[str | None, Callable[[], PhaseRow]]]:
    """A family's rows (its phases without their text, with their figures and paths), each as its key and how
    to make it: a build keeps the rows it made while their key is the same (``routes.family_pages``), so a table
    after a budget edit holds one new row, not its family's hundred."""
    urls = Urls(context.settings.language)
    made: list[tuple[str | None, Callable[[], PhaseRow]]] = []
    for p, pf in zip(phases, figures, strict=True):
        key = p.owner.key if p.owner else None
        path, owner_path = urls.phase(head.slug, p.slug), urls.person(key) if key else None
        own = string_key("row", p.digest_without_body, pf.digest, head.digest, path, owner_path or "") \
            if p.digest_without_body and pf.digest else None
        made.append((own, partial(_row, p, pf, head, path, owner_path, own or "")))
    return made


def _row(p: Phase, pf: PhaseFigures, head: Family, path: str, owner_path: str | None, key: str) -> PhaseRow:
    return PhaseRow(_without_body(p), pf, head, path, owner_path, digest=key)


def family_chart(context: RouteContext, head: Family, bars: list[graphs.Bar]) -> Markup:
    """A family's Gantt chart of its phases (``graphs.bars``): the last one while no bar changed."""
    settings = context.settings
    fmt, t = Formatter(settings), translator(settings.language)
    return graphs.gantt(bars, context.today, settings.language, [], fmt, t, Urls(settings.language).family(head.slug),
                        head.title) if context.draw else Markup("")


def family_page(head: Family, rows: list[PhaseRow], ff: FamilyFigures, changed: Change | None,
                context: RouteContext, md: Markdown, chart: Markup | None = None) -> FamilyPage:
    """A family's page, from its own fields (``head``, text included) and its rows: none of its phases' texts.

    ``chart``: its ``family_chart``, when the caller has it (else drawn here).
    """
    settings = context.settings
    urls, t = Urls(settings.language), translator(settings.language)
    family = head
    before = len(md.errors)
    path = urls.family(head.slug)
    body, toc = md(family.body, family.source or "", family.body_line, path)
    sidebar, hidden = sidebar_window(rows, None)
    page = PageSpec(path, "family.html", head.title, "plan", FamilyView(
        family=head, ff=ff, rows=rows, body=body,
        gantt=family_chart(context, head, graphs.bars(rows)) if chart is None else chart,
        variances_path=urls.family_variances(head.slug),
        owner_path=urls.person(head.owner.key) if head.owner else "",
        all_due=all(r.fig.due for r in rows),
    ), family=head.slug, crumbs=(Link(t["home"], urls.home), Link(t["plan"], urls.section("plan"))),
        toc=tuple(toc), sidebar=sidebar, sidebar_hidden=hidden, source=family.source, changed=changed)
    errors = tuple(md.errors[before:])
    del md.errors[before:]  # the caller reports them, whether it made the page or found it made
    return FamilyPage(head, rows, page, errors)


def lazy_family_page(head: Family, rows: list[PhaseRow], ff: FamilyFigures, changed: Change | None,
                     context: RouteContext, md: Markdown, key: str | None) -> FamilyPage:
    """``family_page`` to be made by the page worker, and only if the store has no page under ``key`` (the
    key of ``family_page``'s inputs; None without a store): what the other pages read of the family is here
    already."""
    urls = Urls(context.settings.language)
    return FamilyPage(head, rows, PageSpec(
        urls.family(head.slug), "family.html", head.title, "plan", family=head.slug, deferred=True,
        source=head.source, changed=changed, key=key,
        lazy=partial(_family_spec, head, rows, ff, changed, context, md, key)), ())


def _family_spec(head: Family, rows: list[PhaseRow], ff: FamilyFigures, changed: Change | None,
                 context: RouteContext, md: Markdown, key: str | None) -> PageSpec:
    """The family's page, its broken links said to ``md`` (the worker reports them)."""
    made = family_page(head, rows, ff, changed, context, md)
    md.errors.extend(made.errors)
    return replace(made.page, key=key)


PhasePage = tuple[PageSpec, Errors]  # a phase page and its broken links


def phase_pages(head: Family, phases: tuple[Phase, ...], rows: list[PhaseRow], changes: tuple[Change | None, ...],
                context: RouteContext, md: Markdown) -> list[tuple[str | None, Callable[[], PhasePage]]]:
    """A family's phase pages (``phases``: with their texts), each as its key and how to make it.

    The key is a digest of what the page shows (``phase_page_inputs``): a
    build makes the pages whose key is new (``routes.family_pages``), so a budget
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
        key = string_key("phase page", md.digest, context.digest, *phase_page_inputs(
            rows, index, head, phase, changed, titles, context.today)) if keyed and rows[index].fig.digest else None
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
                      objectives: str, today: date) -> tuple[str, ...]:
    """Everything ``phase_page`` reads but where links lead and the settings, as strings (keys for the
    phase, its figures and its family): its key is their digest (``string_key``: no pickle, 1 500 a build).

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
    commit = f"{changed.commit}\0{changed.day}\0{changed.author}\0{changed.subject}" if changed else ""
    return (phase.digest, r.fig.digest, head.digest, r.owner_path or "", near, str(len(rows)), str(index - max(0, lo)),
            objectives, commit, today.isoformat())


@dataclass(frozen=True)
class Tables(Keyed):
    """What the plan-wide pages list: each family's own fields and its rows, in plan order.

    Its key is its families' and rows' keys: a body edit leaves it the same
    (rows show no text), a budget edit changes one row's.
    """

    heads: tuple[Family, ...]
    by_family: dict[str, list[PhaseRow]]
    rows: list[PhaseRow]  # every family's, in plan order
    large: bool  # more than PLAN_SPLIT phases: a page per family, capped lists
    digest: str = field(default="", compare=False, repr=False)


def tables(families: list[FamilyPages]) -> Tables:
    """The rows of every family's pages (``FamilyPages``), for the plan-wide pages."""
    heads = tuple(part.family.head for part in families)
    by_family = {part.family.head.slug: part.family.rows for part in families}
    rows = [r for part in families for r in part.family.rows]
    keys = [h.digest for h in heads] + [r.digest for r in rows]
    return Tables(heads, by_family, rows, len(rows) > PLAN_SPLIT,
                  digest=digest("tables", "\0".join(keys)) if all(keys) else "")


def route_context(plan: Plan, draw: bool, defer: bool) -> RouteContext:
    """What the pages read of the plan besides its families and figures, with its key."""
    fields = (plan.settings, plan.today, tuple((o.id, o.title) for o in plan.objectives), draw, defer)
    return RouteContext(*fields, digest=digest(*fields))


def _tools(context: RouteContext) -> tuple[Urls, Formatter, dict[str, str], Link]:
    """Where links lead, how figures read, the words, and the home link: made from the context's settings."""
    settings = context.settings
    urls, t = Urls(settings.language), translator(settings.language)
    return urls, Formatter(settings), t, Link(t["home"], urls.home)


def text_html(md: Markdown, text: str | None, source: str, line: int, page: str) -> Text:
    """A text's HTML for ``page``, its headings and its broken links (``Markdown.render``, as a function of
    its inputs: the reuse layer keeps it while the text, its place and every link target are the same)."""
    return md.render(text, source, line, page)


def home_texts(plan: Plan) -> list[tuple[str | None, str, int, str]]:
    """The home page's texts, as ``text_html`` takes them: the vision, then the introduction."""
    home = Urls(plan.settings.language).home
    return [(plan.vision, plan.header_source or "content/_index.md", 1, home),
            (plan.body, plan.header_source or "", plan.body_line, home)]


def home_page(plan: Plan, figures: PlanFigures, tables: Tables, texts: list[Text], history: History,
              trend: tuple[Point, ...]) -> PageSpec:
    """The home page: the vision, the objectives' progress, what is late, what changed lately (``texts``: the
    vision's and the introduction's HTML, ``home_texts``)."""
    urls, fmt, t = Urls(plan.settings.language), Formatter(plan.settings), translator(plan.settings.language)
    rows = tables.rows
    (vision, _, _), (intro, _, _) = texts
    today = plan.today
    soon = sorted((r for r in rows if _recent(r, today)),
                  key=lambda r: r.phase.finished or r.phase.start or today)
    late = sorted((r for r in rows if r.fig.late), key=lambda r: -r.fig.days_late)  # the latest first
    # what to deal with: ending within DUE_SOON days and not done; past their end (or done) with no result
    ending = sorted((r for r in rows if r.phase.end and today < r.phase.end <= today + timedelta(days=DUE_SOON)
                     and r.phase.status not in ("done", "cancelled")), key=lambda r: r.phase.end or today)
    missing = [r for r in rows if r.fig.due and r.fig.objective_status == "pending" and r.phase.status != "cancelled"]
    objectives = _objective_views(plan, figures, rows, urls, fmt, t)
    return PageSpec(urls.home, "home.html", plan.title, "home", HomeView(
        vision=vision, intro=intro, intro_titled=plan.body.lstrip().startswith("#"),
        objectives=objectives,
        recent=soon[:HOME_LIMIT], late=late[:HOME_LIMIT], late_more=max(0, len(late) - HOME_LIMIT),
        changes_page=urls.section("changes") if trend else None,
        due_soon=ending[:HOME_LIMIT], missing=missing[:HOME_LIMIT], counts=(len(ending), len(missing)),
        behind=sum(1 for o in objectives if o.progress.ahead is False),
    ), totals=True, source=plan.header_source, changed=history.files.get(plan.header_source or ""))


def plan_page(context: RouteContext, heads: tuple[Family, ...], rows: list[PhaseRow]) -> PageSpec:
    """The template's table, whole (a plan of at most PLAN_SPLIT phases; ``rows``: every row, with its
    analysis for this page, ``analysed_rows``)."""
    urls, _, t, home = _tools(context)
    return PageSpec(urls.section("plan"), "plan.html", t["plan"], "plan", PlanView(
        _pairs(list(heads), _grouped(list(heads), rows)), [], None, {}), crumbs=(home,), wide=True, totals=True)


def plan_overview(context: RouteContext, heads: tuple[Family, ...], counts: dict[str, int]) -> PageSpec:
    """The plan table of a large plan: the families' totals, and a link to each family's part."""
    urls, _, t, home = _tools(context)
    parts = [Link(f.title, urls.plan_part(f.slug)) for f in heads]
    return PageSpec(urls.section("plan"), "plan.html", t["plan"], "plan", PlanView(
        [(f, []) for f in heads], parts, None, counts), crumbs=(home,), wide=True, totals=True)


def plan_part(context: RouteContext, heads: tuple[Family, ...], family: Family, rows: list[PhaseRow],
              ff: FamilyFigures) -> PageSpec:
    """One family's part of a large plan's table (``heads``: every family, for the links between parts;
    ``rows``: the family's, with their analyses for this page)."""
    urls, _, t, home = _tools(context)
    path = urls.plan_part(family.slug)
    parts = [Link(f.title, urls.plan_part(f.slug)) for f in heads]
    return PageSpec(path, "plan.html", f"{t['plan']} — {family.title}", "plan", PlanView(
        [(family, rows)], parts, family.slug, {}, ff,
    ), family=family.slug, crumbs=(home, Link(t["plan"], urls.section("plan"))), wide=True)


def budget_page(context: RouteContext, heads: tuple[Family, ...], figures: PlanFigures, stages: tuple[Stage, ...],
                objectives: tuple[tuple[str, str], ...], names: dict[str, str]) -> PageSpec:
    """The budget page: the plan's tables by family, stage, owner, objective, month and quarter, and charts.

    ``names``: each owner's name by key; ``objectives``: each objective's id and title.
    """
    urls, fmt, t, home = _tools(context)
    today = context.today
    families = [(f, figures.families[f.slug]) for f in heads]
    tables = budget_tables_of(heads, stages, dict(objectives), names, today, figures, fmt, t)
    today_key = f"{today.year:04d}-{today.month:02d}"
    # no actual line after today: nothing is spent in the future
    cumul = [(month, run.planned, run.actual if month <= today_key else None)
             for month, run in cumulative(figures.by_month)]
    typography = french_spaces if context.settings.language == "fr" else str  # markup: the layout's skips it
    bar_items = [charts.BarItem(typography(f.title), ff.amounts.planned, ff.amounts.actual, ff.envelope)
                 for f, ff in families]
    today_index = next((i for i, (m, _, _) in enumerate(cumul) if m == today_key), None)
    # every month up to ten years; beyond, a few dozen of them (the table below has them all)
    described = range(len(cumul)) if len(cumul) <= charts.MONTHS_DRAWN else \
        charts.sampled(len(cumul), 24, today_index)
    cumul_desc = t["list_sep"].join(
        f"{fmt.month(m)}{t['colon']} {t['planned'].lower()} {fmt.money(p)}"
        + (f", {t['actual'].lower()} {fmt.money(a)}" if a is not None else "")
        for m, p, a in (cumul[i] for i in described))
    drawn = context.draw
    return PageSpec(urls.section("budget"), "budget.html", t["budget"], "budget", BudgetView(
        families=[(f, ff, figures.to_date_by_family[f.slug], urls.family(f.slug)) for f, ff in families],
        stages_rows=[(r.label, r.amounts, r.to_date, None) for r in tables.stages],
        owners=[(r.label, r.amounts, r.to_date, urls.person(r.key) if r.key else None) for r in tables.owners],
        objectives=[(r.label, r.amounts, r.to_date, urls.objective(r.key) if r.key else None)
                    for r in tables.objectives],
        months_rows=[(r.label, r.amounts, r.future) for r in tables.months],
        quarters_rows=[(r.label, r.amounts, r.future) for r in tables.quarters],
        to_date=figures.to_date,
        bars=charts.bars(bar_items, t, fmt.money_round, t["chart_alt_budget"]) if drawn else Markup(""),
        cumulative=charts.lines(cumul, (t["planned"], t["actual"], f"{t['as_of']} {fmt.date(today)}"),
                                fmt.month, fmt.money_round, t["chart_alt_cumulative"], cumul_desc,
                                today_index) if drawn else Markup(""),
    ), crumbs=(home,), wide=True, totals=True)


def owner_names(plan: Plan) -> dict[str, str]:
    """Each owner's name by key, as the phases name them (the budget page's owners table)."""
    return {o.key: o.name for p in plan.phases for o in p.owners}


def timeline_chart(context: RouteContext, heads: tuple[Family, ...], bars: list[graphs.Bar]) -> Markup:
    """The timeline's chart of every phase (``graphs.bars``), under its family: the last one while no bar
    changed (a budget edit)."""
    urls, fmt, t, _ = _tools(context)
    return graphs.gantt(bars, context.today, context.settings.language, list(heads), fmt, t,
                        urls.section("timeline"), t["timeline"]) if context.draw else Markup("")


def timeline_page(context: RouteContext, tables: Tables, chart: Markup) -> PageSpec:
    """The timeline: ``chart`` (``timeline_chart``) over every phase's dates; for a large plan (no
    ``chart``), one bar per family."""
    urls, fmt, t, home = _tools(context)
    heads, by_family, path = list(tables.heads), tables.by_family, urls.section("timeline")
    if not tables.large:
        return PageSpec(path, "timeline.html", t["timeline"], "timeline", TimelineView(
            chart, _pairs(heads, by_family), [],
        ), crumbs=(home,), wide=True, totals=True)
    spans = [_family_span(f, by_family[f.slug], urls) for f in heads]  # from its first start to its last end
    bars_of = {f.slug: graphs.bars(by_family[f.slug]) for f in heads}
    language = context.settings.language
    overview = graphs.overview_gantt(spans, bars_of, context.today, language, fmt, t, path) \
        if context.draw else Markup("")
    # what is late or under way in the next 90 days, under its family: the view a large plan opens on
    soon = graphs.soon_bars(bars_of, context.today)
    near = [f for f in heads if soon[f.slug]]
    soon_chart = graphs.gantt([b for f in near for b in soon[f.slug]], context.today, language, near, fmt, t, path,
                              t["soon_title"]) if context.draw and near else Markup("")
    return PageSpec(path, "timeline.html", t["timeline"], "timeline",
                    TimelineView(overview, [], spans, soon_chart, sum(len(v) for v in soon.values())),
                    crumbs=(home,), wide=True, totals=True)


def variances_page(context: RouteContext, heads: tuple[Family, ...], rows: list[PhaseRow], more: int,
                   corrective: tuple[int, int]) -> PageSpec:
    """Every variance, worst first (``rows``: ``variance_rows``, with their analyses for this page; ``more``
    left out); ``corrective``: how many actions, how many late."""
    urls, _, t, home = _tools(context)
    path = urls.section("variances")
    return PageSpec(path, "variances.html", t["variances"], "variances", VariancesView(
        rows, more, None, [Link(f.title, urls.family_variances(f.slug)) for f in heads],
        Link(t["corrective_link"].format(n=corrective[0], late=corrective[1]), urls.section("corrective")),
    ), crumbs=(home,), totals=True)


def family_variances_page(context: RouteContext, family: Family, shown: list[PhaseRow],
                          sidebar: tuple[tuple[Link, ...], int]) -> PageSpec:
    """A family's variances, worst first (``shown``: its ranking, with the analyses for this page;
    ``sidebar``: its first phases, ``sidebar_window``: a budget edit changes no title there, and the page
    is the last one while its ranking is the same)."""
    urls, _, t, home = _tools(context)
    path = urls.family_variances(family.slug)
    side, hidden = sidebar
    return PageSpec(path, "variances.html", f"{t['variances']} — {family.title}", "variances",
                    VariancesView(shown, 0, family, [], None), family=family.slug,
                    crumbs=(home, Link(t["variances"], urls.section("variances"))), sidebar=side,
                    sidebar_hidden=hidden)


def corrective_page(context: RouteContext, items: list[CorrectiveItem]) -> PageSpec:
    """Every corrective action of the plan, late ones first (``corrective_items``)."""
    urls, _, t, home = _tools(context)
    late = sum(1 for v in items if v.late)
    return PageSpec(urls.section("corrective"), "corrective.html", t["corrective_actions"], "variances",
                    CorrectiveView(items, late,
                                   sum(1 for v in items if v.action.status in ("planned", "in_progress")),
                                   sum(1 for v in items if v.action.status in ("done", "cancelled"))),
                    crumbs=(home, Link(t["variances"], urls.section("variances"))))


def objective_texts(plan: Plan) -> list[tuple[str | None, str, int, str]]:
    """The objectives page's texts, as ``text_html`` takes them: each objective's, in plan order."""
    page = Urls(plan.settings.language).section("objectives")
    return [(o.body, o.source, o.body_line, page) for o in plan.objectives]


def objectives_page(plan: Plan, figures: PlanFigures, tables: Tables, texts: list[Text]) -> PageSpec:
    """Each strategic objective: its progress, its text (``texts``: ``objective_texts``' HTML), the phases
    that serve it."""
    urls, fmt, t = Urls(plan.settings.language), Formatter(plan.settings), translator(plan.settings.language)
    path = urls.section("objectives")
    views = _objective_views(plan, figures, tables.rows, urls, fmt, t, [html for html, _, _ in texts],
                             LIST_LIMIT if tables.large else None)
    return PageSpec(path, "objectives.html", t["objectives"], "objectives", ObjectivesView(
        views, figures.by_objective.get(""),
    ), crumbs=(Link(t["home"], urls.home),), toc=tuple(Heading(2, v.objective.title, v.anchor) for v in views),
        totals=True)


def people_page(plan: Plan, figures: PlanFigures, tables: Tables) -> PageSpec:
    """Each person and the phases they own."""
    urls, t = Urls(plan.settings.language), translator(plan.settings.language)
    views = _people_views(plan, figures, tables.rows, urls, t, PEOPLE_LIMIT if tables.large else None)
    return PageSpec(urls.section("people"), "people.html", t["people"], "people", PeopleView(views),
                    crumbs=(Link(t["home"], urls.home),),
                    toc=tuple(Heading(2, v.owner.name, v.anchor) for v in views), totals=True)


def free_texts(plan: Plan) -> list[tuple[str | None, str, int, str]]:
    """The plan's own pages' texts, as ``text_html`` takes them, in plan order."""
    urls = Urls(plan.settings.language)
    return [(page.body, page.source, page.body_line, urls.page(page.slug)) for page in plan.pages]


def free_pages(plan: Plan, texts: list[Text], history: History) -> list[PageSpec]:
    """The plan's own pages (``content/pages``; ``texts``: ``free_texts``' HTML)."""
    urls, t = Urls(plan.settings.language), translator(plan.settings.language)
    pages = []
    for page, (body, toc, _) in zip(plan.pages, texts, strict=True):
        path = urls.page(page.slug)
        pages.append(PageSpec(path, "page.html", page.title, "pages", TextView(body),
                              crumbs=(Link(t["home"], urls.home),), toc=tuple(toc), source=page.source,
                              changed=history.files.get(page.source)))
    return pages


def changes_pages(plan: Plan, trend: tuple[Point, ...], draw: bool, history: History | None = None) -> list[PageSpec]:
    """The plan's history (a git checkout only): the latest commits, each as its date, the pages it changed and
    what the plan's totals did; its message and author come second."""
    if not trend:
        return []
    urls, fmt, t = Urls(plan.settings.language), Formatter(plan.settings), translator(plan.settings.language)
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
    changes = _change_views(History(recent=tuple(p.change for p in trend)) if history is None else history,
                            plan, urls, {p.change.commit: p for p in trend}, limit=12)
    return [PageSpec(urls.section("changes"), "changes.html", t["changes_title"], "home", ChangesView(
        [c for c in changes if c.totals is not None], chart,
    ), crumbs=(Link(t["home"], urls.home),))]


def closing_pages(context: RouteContext) -> list[PageSpec]:
    """The search page (when search is on) and the 404 page."""
    urls, _, t, home = _tools(context)
    pages = []
    if context.settings.search:
        pages.append(PageSpec(urls.section("search"), "search.html", t["search_title"], "search", EmptyView(),
                              crumbs=(home,)))
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


def analysed_rows(rows: list[PhaseRow], md: Markdown, page: str) -> tuple[list[PhaseRow], Errors]:
    """Every row with its variance analysis rendered for ``page``, and the analyses' broken links."""
    return with_analyses(rows, [md.render(*analysis_text(r, page)) for r in rows])


def analysis_text(r: PhaseRow, page: str) -> tuple[str | None, str, int, str]:
    """A row's variance analysis for ``page``, as ``text_html`` takes it."""
    return r.phase.analysis, r.phase.source, r.phase.body_line, page


def with_analyses(rows: list[PhaseRow], texts: list[Text]) -> tuple[list[PhaseRow], Errors]:
    """The rows with their analyses' HTML (``texts``, ``analysis_text``'s), each keyed by its row's key and
    its analysis, and the analyses' broken links."""
    made = [PhaseRow(r.phase, r.fig, r.family, r.path, r.owner_path, html,
                     digest=string_key("analysed", r.digest, html) if r.digest else "")
            for r, (html, _, _) in zip(rows, texts, strict=True)]
    return made, tuple(e for _, _, errors in texts for e in errors)


def _pairs(families: list[Family], grouped: dict[str, list[PhaseRow]]) -> list[tuple[Family, list[PhaseRow]]]:
    """(family, its rows) in plan order, as the tables that list every family want them."""
    return [(f, grouped[f.slug]) for f in families]


def _grouped(families: list[Family], rows: list[PhaseRow]) -> dict[str, list[PhaseRow]]:
    """Each family's rows by slug, in one pass (every family has its list, empty or not)."""
    grouped: dict[str, list[PhaseRow]] = {f.slug: [] for f in families}
    for r in rows:
        grouped[r.family.slug].append(r)
    return grouped


def corrective_items(rows: list[PhaseRow], today: date, urls: Urls) -> list[CorrectiveItem]:
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


def _change_views(history: History, plan: Plan, urls: Urls, totals: dict[str, Point],
                  limit: int | None = 5) -> list[ChangeView]:
    """The latest commits touching the plan: when, who, what, and which pages (``limit`` of them named)."""
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
                       [Link(*known[name]) for name in c.files if name in known][:limit],
                       max(0, sum(1 for name in c.files if name in known) - (limit or 0)) if limit else 0)
            for c in history.recent]


def _owner_link(owner: Owner | None, urls: Urls) -> Link | None:
    return Link(owner.name, urls.person(owner.key)) if owner else None


def variance_rows(ranked: list[list[PhaseRow]], limit: int | None = None) -> tuple[list[PhaseRow], int]:
    """Phases with a result, a spend or a delay, worst first, and how many were left out.

    ``ranked``: each family's such phases, worst first (``ranked_rows``);
    merged here, ties in plan order (``heapq.merge`` is stable, and so is
    each family's sort). ``limit`` keeps the worst only (a large plan: each
    family's variance page has all of its own). A family's ranking is reused
    while its rows are the same: a save sorts one family.
    """
    merged = list(heapq.merge(*ranked, key=_worst)) if len(ranked) > 1 else list(ranked[0]) if ranked else []
    shown = merged if limit is None else merged[:limit]
    return shown, len(merged) - len(shown)


def ranked_rows(rows: list[PhaseRow]) -> list[PhaseRow]:
    """A family's phases with a result, a spend or a delay, worst first, ties in plan order."""
    return sorted((r for r in rows if r.fig.result or r.phase.spent is not None or r.fig.late), key=_worst)


def _worst(r: PhaseRow) -> tuple[int, int, Decimal]:
    """Worst first: objective status (off track first), then days late, then the budget overspend ratio.

    The ratio as a Decimal (28 digits: ample to order by) rather than the exact
    Fraction the pages print: comparing Fractions made this sort 1.6 s at 15 000 phases.
    """
    a = r.fig.amounts
    return SEVERITY[r.fig.objective_status], -r.fig.days_late, -(a.variance / a.planned if a.planned else ZERO)


def _capped(rows: list[PhaseRow], limit: int | None) -> tuple[tuple[PhaseRow, ...], int]:
    """Return the first rows, as a tuple (a template keeps a whole table's HTML while its rows' keys are the
    same: ``fragment("…", rows)``), and how many are left out."""
    shown = rows if limit is None else rows[:limit]
    return tuple(shown), len(rows) - len(shown)


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
                     fmt: Formatter, t: dict[str, str], bodies: list[Markup] | None = None,
                     limit: int | None = None) -> list[ObjectiveView]:
    """One view per strategic objective; ``limit`` caps the phases listed (a large plan). Without ``bodies``
    (their texts' HTML), no text, no phase and no chart: the home page's summary."""
    views = []
    for index, o in enumerate(plan.objectives):
        prog = figures.objectives[o.id]
        full = bodies is not None
        body = bodies[index] if bodies is not None else Markup("")
        shown, more = _capped([r for r in rows if o.id in r.phase.contributes_to] if full else [], limit)
        views.append(ObjectiveView(
            objective=o, progress=prog, path=urls.objective(o.id), body=body, anchor=urls.objective_anchor(o.id),
            owner=_owner_link(o.owner, urls), amounts=figures.by_objective.get(o.id), rows=shown, more=more,
            chart=graphs.progress_chart(o, plan.today, fmt, t, plan.settings.language == "fr") if full else Markup(""),
        ))
    return views


def _people_views(plan: Plan, figures: PlanFigures, rows: list[PhaseRow], urls: Urls,
                  t: dict[str, str], limit: int | None = None) -> list[PersonView]:
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
        shown, more = _capped(mine, limit)
        views.append(PersonView(owner, urls.person_anchor(key), shown, more, figures.by_owner.get(key)))
    return views
