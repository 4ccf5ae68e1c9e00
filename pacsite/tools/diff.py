"""What a change does to the plan: ``pacsite diff REV [REV2]``, for a reviewer.

Two plans are loaded (each from git's objects, or the working tree), their
figures computed at the same date, and compared phase by phase (a phase is
its family's folder and its file's slug): the money by family, phases
added, removed or moved to another family, each changed field of a phase
old → new, dates shifted, owners and statuses changed, new results,
objective statuses that changed, envelopes, strategic objectives and the
settings that change figures. A phase whose file has errors on either side
is not compared (an unreadable file is not a removed phase). ``compare`` is
a pure function of the two; the renderings (``pacsite.tools.diff_report``: text,
Markdown for a pull-request comment, JSON) read only its result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from pacsite.errors import Diagnostics
from pacsite.figures import PlanFigures, compute
from pacsite.figures.money import ZERO
from pacsite.i18n import translator
from pacsite.load import revisions
from pacsite.load.loader import load_plan
from pacsite.load.model import Phase, Plan, Result
from pacsite.load.settings import load_settings
from pacsite.load.sources import discover
from pacsite.tools.changes import Change, Named, envelope_changes, objective_changes, phase_changes, settings_changes


@dataclass(frozen=True)
class Side:
    """One revision's plan: its name, what loaded, and the errors it has."""

    label: str
    plan: Plan
    figures: PlanFigures
    errors: tuple[str, ...] = ()
    files: frozenset[str] = frozenset()  # the plan's files in this revision, loaded or not
    broken: frozenset[str] = frozenset()  # those with errors


@dataclass(frozen=True)
class Money:
    """Planned and actual, before and after."""

    planned_before: Decimal
    planned_after: Decimal
    actual_before: Decimal
    actual_after: Decimal

    @property
    def planned_delta(self) -> Decimal:
        return self.planned_after - self.planned_before

    @property
    def actual_delta(self) -> Decimal:
        return self.actual_after - self.actual_before

    @property
    def changed(self) -> bool:
        return bool(self.planned_delta or self.actual_delta)


@dataclass(frozen=True)
class FamilyMoney:
    """A family's money before and after; ``state``: added, removed or kept."""

    slug: str
    title: str
    state: str
    money: Money


@dataclass(frozen=True)
class Ref:
    """A phase as a reviewer names it: its family's title and its own."""

    key: str
    family: str
    title: str
    budget: Decimal
    start: date | None
    end: date | None


@dataclass(frozen=True)
class Shift:
    """A phase whose dates moved; days > 0 is later."""

    phase: Ref
    start_before: date | None
    start_after: date | None
    end_before: date | None
    end_after: date | None

    @property
    def start_days(self) -> int | None:
        return _days(self.start_before, self.start_after)

    @property
    def end_days(self) -> int | None:
        return _days(self.end_before, self.end_after)

    @property
    def slipped(self) -> bool:
        """The end moved later: what a reviewer must see first."""
        return (self.end_days or 0) > 0


@dataclass(frozen=True)
class Swap:
    """A value of a phase that changed: owner, status, objective status."""

    phase: Ref
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Edit:
    """A phase in both revisions whose fields changed, each old → new."""

    phase: Ref
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class PlanDiff:
    """Everything ``pacsite diff`` reports, in plan order."""

    before: Side
    after: Side
    totals: Money
    families: tuple[FamilyMoney, ...]
    added: tuple[Ref, ...] = ()
    removed: tuple[Ref, ...] = ()
    moved: tuple[tuple[Ref, Ref], ...] = ()
    shifted: tuple[Shift, ...] = ()
    owners: tuple[Swap, ...] = ()
    statuses: tuple[Swap, ...] = ()
    results: tuple[tuple[Ref, Result], ...] = ()
    objectives: tuple[Swap, ...] = ()
    phases: tuple[Edit, ...] = ()  # each phase kept whose fields changed, with each field old → new
    envelopes: tuple[Named, ...] = ()  # the plan's ('' key) and families' envelopes
    strategic: tuple[Named, ...] = ()  # strategic objectives added, removed or changed
    settings: tuple[Change, ...] = ()  # today and the tolerances
    unknown: tuple[Ref, ...] = ()  # phases of files with errors: neither added, removed nor compared
    notes: tuple[str, ...] = field(default=())

    @property
    def delayed(self) -> int:
        """Phases whose end moved later."""
        return sum(1 for s in self.shifted if s.slipped)

    @property
    def errors(self) -> int:
        """The newer revision's errors: the plan it gives does not build."""
        return len(self.after.errors)

    @property
    def empty(self) -> bool:
        return not (self.totals.changed or any(f.money.changed or f.state != "kept" for f in self.families)
                    or self.added or self.removed or self.moved or self.shifted or self.owners
                    or self.statuses or self.results or self.objectives or self.phases or self.envelopes
                    or self.strategic or self.settings)


def _days(before: date | None, after: date | None) -> int | None:
    return (after - before).days if before and after else None


def _ref(phase: Phase, family_title: str, figures: PlanFigures) -> Ref:
    return Ref(phase.key, family_title, phase.title, figures.phase(phase).money.planned, phase.start, phase.end)


def _unknown(before: Side, after: Side) -> set[str]:
    """The phases that cannot be compared: their file has errors on one side, or is there but did not load.

    Such a phase is neither added nor removed (an unreadable file is not a
    deleted phase), and its money is left out of both sides' sums.
    """
    broken = before.broken | after.broken
    b_keys = {p.key: p.source for p in before.plan.phases}
    a_keys = {p.key: p.source for p in after.plan.phases}
    unknown = {k for k, src in {**b_keys, **a_keys}.items() if src in broken}
    unknown |= {k for k, src in b_keys.items() if k not in a_keys and src in after.files}
    unknown |= {k for k, src in a_keys.items() if k not in b_keys and src in before.files}
    return unknown


def _known_money(side: Side, unknown: set[str]) -> tuple[tuple[Decimal, Decimal], dict[str, tuple[Decimal, Decimal]]]:
    """A side's planned and actual totals and by family, without the phases that cannot be compared."""
    fig = side.figures
    families = {slug: (f.amounts.planned, f.amounts.actual) for slug, f in fig.families.items()}
    planned, actual = fig.totals.planned, fig.totals.actual
    for p in side.plan.phases:
        if p.key in unknown:
            money = fig.phase(p).money
            planned, actual = planned - money.planned, actual - money.actual
            fp, fa = families[p.family_slug]
            families[p.family_slug] = (fp - money.planned, fa - money.actual)
    return (planned, actual), families


def compare(before: Side, after: Side) -> PlanDiff:
    """Compare two loaded plans (their figures at the same date)."""
    b_fig, a_fig = before.figures, after.figures
    unknown = _unknown(before, after)
    (b_planned, b_actual), b_money = _known_money(before, unknown)
    (a_planned, a_actual), a_money = _known_money(after, unknown)
    totals = Money(b_planned, a_planned, b_actual, a_actual)
    b_families = {f.slug: f for f in before.plan.families}
    a_families = {f.slug: f for f in after.plan.families}
    families = []
    for slug in [*a_families, *(s for s in b_families if s not in a_families)]:
        b, a = b_families.get(slug), a_families.get(slug)
        bm, am = b_money.get(slug, (ZERO, ZERO)), a_money.get(slug, (ZERO, ZERO))
        title = a.title if a else b.title if b else slug
        families.append(FamilyMoney(slug, title, "added" if b is None else "removed" if a is None else "kept",
                                    Money(bm[0], am[0], bm[1], am[1])))
    b_phases = {p.key: (p, b_families[p.family_slug].title) for p in before.plan.phases}
    a_phases = {p.key: (p, a_families[p.family_slug].title) for p in after.plan.phases}
    gone = [k for k in b_phases if k not in a_phases and k not in unknown]
    new = [k for k in a_phases if k not in b_phases and k not in unknown]
    moved: list[tuple[Ref, Ref]] = []
    # a phase whose file went to another family's folder: the same file name, gone on one side, new on the other
    for key in list(new):
        slug = a_phases[key][0].slug
        match = next((k for k in gone if b_phases[k][0].slug == slug), None)
        if match is not None:
            moved.append((_ref(*b_phases[match], b_fig), _ref(*a_phases[key], a_fig)))
            gone.remove(match)
            new.remove(key)
    pairs = [(b_phases[k][0], a_phases[k][0], _ref(*a_phases[k], a_fig)) for k in a_phases
             if k in b_phases and k not in unknown]
    pairs += [(b_phases[old.key][0], a_phases[now.key][0], now) for old, now in moved]
    shifted: list[Shift] = []
    owners: list[Swap] = []
    statuses: list[Swap] = []
    results: list[tuple[Ref, Result]] = []
    objectives: list[Swap] = []
    changed: list[Edit] = []
    for was, now, ref in pairs:
        if (was.start, was.end) != (now.start, now.end):
            shifted.append(Shift(ref, was.start, now.start, was.end, now.end))
        was_names, now_names = ", ".join(o.name for o in was.owners), ", ".join(o.name for o in now.owners)
        if was_names != now_names:
            owners.append(Swap(ref, was_names or None, now_names or None))
        if was.status != now.status:
            statuses.append(Swap(ref, was.status, now.status))
        results.extend((ref, r) for r in now.results if r not in was.results)
        was_status, now_status = b_fig.phase(was).objective_status, a_fig.phase(now).objective_status
        if was_status != now_status:
            objectives.append(Swap(ref, was_status, now_status))
        fields = phase_changes(was, now, b_fig.phase(was), a_fig.phase(now))
        if fields:
            changed.append(Edit(ref, fields))
    broken = before.broken | after.broken
    unknown_refs = [_ref(*a_phases[k], a_fig) if k in a_phases else _ref(*b_phases[k], b_fig)
                    for k in [*a_phases, *b_phases] if k in unknown]
    return PlanDiff(
        before, after, totals, tuple(families),
        added=tuple(_ref(*a_phases[k], a_fig) for k in new),
        removed=tuple(_ref(*b_phases[k], b_fig) for k in gone),
        moved=tuple(moved), shifted=tuple(shifted), owners=tuple(owners), statuses=tuple(statuses),
        results=tuple(results), objectives=tuple(objectives), phases=tuple(changed),
        envelopes=envelope_changes(before.plan, after.plan, broken),
        strategic=objective_changes(before.plan, after.plan, (before.files, after.files), broken),
        settings=settings_changes(before.plan, after.plan, broken),
        unknown=tuple(dict.fromkeys(unknown_refs)),
    )


def load_side(root: Path, revision: str | None, today: date | None) -> Side:
    """Load the plan at ``revision`` (None: the working tree) and compute its figures at ``today``.

    Content errors do not stop it: what loaded is compared, and the errors
    are listed with the report.
    """
    def load(folder: Path, label: str) -> Side:
        diagnostics = Diagnostics()
        plan = load_plan(folder, diagnostics, today)
        files = {s.rel for s in discover(folder)} | ({"pacsite.yaml"} if (folder / "pacsite.yaml").exists() else set())
        errors = diagnostics.errors
        return Side(label, plan, compute(plan), tuple(d.format_text() for d in errors), frozenset(files),
                    frozenset(d.path for d in errors))

    if revision is None:
        language = load_settings(root, Diagnostics()).language
        return load(root, translator(language)["diff_working_tree"])
    commit = revisions.resolve(root, revision)
    with revisions.checked_out(root, commit) as folder:
        return load(folder, revision)


def diff_revisions(root: Path, before: str, after: str | None, today: date | None) -> PlanDiff:
    """Compare the plan at ``before`` with the plan at ``after`` (None: the working tree), at one date.

    The date is ``today`` if given, else the newer side's own (its settings
    or the clock): both sides are judged on the same day, so only the plan
    changed, not the calendar.
    """
    revisions.repository(root)  # a clear error outside a repository, before anything is read
    newer = load_side(root, after, today)
    return compare(load_side(root, before, newer.plan.today), newer)
