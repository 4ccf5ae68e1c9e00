"""What each page shows: the views its template gets, typed (one class per template).

Views hold model objects, their figures and rendered Markdown; templates only
format and lay them out (``{{ row.fig.amounts.planned|money }}``). A view is
made once and never changed: the live preview compares them to know what to
render again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from pacsite.figures import PhaseFigures
from pacsite.load.history import Change
from pacsite.load.model import CorrectiveAction, Family, Objective, Owner, Phase
from pacsite.reuse import Keyed
from pacsite.site.markdown import Heading

if TYPE_CHECKING:  # lazy: the trend's module reads git and forks workers; pages only name its points
    from pacsite.figures.trend import Point


@dataclass(frozen=True)
class Link:
    """A titled link target (an output path, maybe with an anchor)."""

    title: str
    path: str


@dataclass(frozen=True)
class PhaseRow(Keyed):
    """A phase with everything a table row or a page shows about it."""

    phase: Phase
    fig: PhaseFigures
    family: Family  # its own fields only: its phases come as rows (phases=())
    path: str
    owner_path: str | None
    analysis: Markup = Markup("")
    digest: str = field(default="", compare=False, repr=False)  # of all the above, when made with one (``row``)

    @property
    def content_key(self) -> tuple[str | None, ...] | None:
        """All the row shows, as keys and strings, when its phase and figures carry keys (else None)."""
        if not (self.phase.digest and self.fig.digest and self.family.digest):
            return None
        return (self.phase.digest, self.fig.digest, self.family.digest, self.path, self.owner_path, self.analysis)


@dataclass
class PageSpec:
    """One page to render: where, with which template, and its view."""

    path: str
    template: str
    title: str
    section: str
    context: View = field(default_factory=lambda: EmptyView())
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
    # a digest of everything the page shows, when its inputs give one (a phase page): the store
    # of ``pacsite build`` keeps the page under it; None: the digest of the page itself is taken
    key: str | None = None
    # what makes the whole page, when this one holds only its path, title and key: a phase page of
    # ``pacsite build``, made by the worker that renders it (most come from the store, made already)
    lazy: Callable[[], PageSpec] | None = field(default=None, compare=False, repr=False)


class View:
    """What one page shows, as its template's variables (each view class names its template's)."""

    def variables(self) -> dict[str, Any]:
        """The view's fields, as the template sees them (no copy: views are not changed once made)."""
        return self.__dict__


@dataclass(frozen=True)
class ObjectiveView:
    """A strategic objective with its progress, its amounts and the phases serving it."""

    objective: Objective
    progress: Any  # figures.progress.Progress
    path: str
    body: Markup
    anchor: str
    owner: Link | None
    amounts: Any  # Amounts, or None when no phase serves it
    rows: Sequence[PhaseRow]
    more: int  # phases left out of ``rows`` (a large plan)
    chart: Markup


@dataclass(frozen=True)
class PersonView:
    """Someone who owns phases: who, the phases (maybe the first ones only) and their amounts."""

    owner: Owner
    anchor: str
    rows: Sequence[PhaseRow]
    more: int
    amounts: Any


@dataclass(frozen=True)
class CorrectiveItem:
    """A corrective action, with its phase and how late it is (0: not late)."""

    action: CorrectiveAction
    row: PhaseRow
    owner: Link | None
    late: int
    open: bool


@dataclass(frozen=True)
class ChangeView:
    """A commit touching the plan, for the home page: when, who, what, and which pages."""

    change: Change
    link: str | None
    totals: Point | None
    pages: list[Link]
    more: int


@dataclass(frozen=True)
class FamilySpan:
    """A family seen from afar, for the overview timeline of a large plan."""

    family: Family
    path: str
    timeline: str  # its timeline, on its page
    phases: int
    start: date | None
    end: date | None
    late: int
    status: str


@dataclass(frozen=True)
class HomeView(View):
    vision: Markup
    intro: Markup
    intro_titled: bool  # the text has its own heading: no "About" above it
    objectives: list[ObjectiveView]
    recent: list[PhaseRow]
    late: list[PhaseRow]
    late_more: int
    changes_page: str | None  # the plan's history (a git checkout only)
    due_soon: list[PhaseRow] = field(default_factory=list)  # ending in the next 30 days, not done
    missing: list[PhaseRow] = field(default_factory=list)  # past their end (or done) with no result yet
    behind: int = 0  # strategic objectives behind the calendar
    counts: tuple[int, int] = (0, 0)  # phases ending soon, with no result: all of them (the lists are capped)


@dataclass(frozen=True)
class PlanView(View):
    families: list[tuple[Family, list[PhaseRow]]]
    parts: list[Link]  # a large plan: one page per family
    part: str | None  # the family of this part, None for the whole table or the overview
    counts: dict[str, int]  # phases per family (the overview)
    ff: Any = None  # FamilyFigures of the part's family


@dataclass(frozen=True)
class FamilyView(View):
    family: Family
    ff: Any  # FamilyFigures
    rows: list[PhaseRow]
    body: Markup
    gantt: Markup
    variances_path: str
    owner_path: str
    all_due: bool  # a family's total variance is final only then


@dataclass(frozen=True)
class PhaseView(View):
    row: PhaseRow
    body: Markup
    analysis: Markup
    objectives: list[Link]
    owners: list[Link | None]
    corrective: list[tuple[CorrectiveAction, Link | None]]
    progress: Markup


@dataclass(frozen=True)
class BudgetView(View):
    families: list[tuple[Family, Any, Any, str]]
    stages_rows: list[tuple[str, Any, Any, None]]
    owners: list[tuple[str, Any, Any, str | None]]
    objectives: list[tuple[str, Any, Any, str | None]]
    months_rows: list[tuple[str, Any, bool]]
    quarters_rows: list[tuple[str, Any, bool]]
    to_date: Any
    bars: Markup
    cumulative: Markup


@dataclass(frozen=True)
class TimelineView(View):
    gantt: Markup
    families: list[tuple[Family, list[PhaseRow]]]
    spans: list[FamilySpan]
    soon: Markup = Markup("")  # a large plan: what is late or under way in the next 90 days
    soon_count: int = 0


@dataclass(frozen=True)
class VariancesView(View):
    rows: list[PhaseRow]
    more: int
    family: Family | None
    families: list[Link]
    corrective: Link | None


@dataclass(frozen=True)
class CorrectiveView(View):
    items: list[CorrectiveItem]
    late: int
    open: int
    closed: int


@dataclass(frozen=True)
class ObjectivesView(View):
    objectives: list[ObjectiveView]
    not_linked: Any


@dataclass(frozen=True)
class PeopleView(View):
    people: list[PersonView]


@dataclass(frozen=True)
class TextView(View):
    """A free page."""

    body: Markup


@dataclass(frozen=True)
class ChangesView(View):
    changes: list[ChangeView]  # newest first: when, which pages, what the figures did, then the message
    chart: Markup


@dataclass(frozen=True)
class EmptyView(View):
    """The search page and the 404 page: the layout alone."""
