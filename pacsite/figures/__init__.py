"""Every figure of the plan, computed once from the frozen model.

Pure functions live in the submodules; ``compute`` assembles them into one
``PlanFigures`` that pages, exports and checks all read, so the budget page
and plan.json can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from pacsite.figures.budget import (
    Amounts,
    Cents,
    Months,
    PhaseAmounts,
    add_cents,
    add_tables,
    as_of,
    by_quarter,
    from_cents_table,
    group,
    months_table,
    objective_cents,
    phase_amounts,
    phase_months,
    planned_to_date,
    total,
)
from pacsite.figures.money import ratio
from pacsite.figures.progress import Progress, progress
from pacsite.figures.schedule import CLOSED, days_late, schedule_variance
from pacsite.figures.variance import ObjectiveVariance, current_result, objective_variance
from pacsite.load.model import Phase, Plan, Result
from pacsite.load.settings import Settings
from pacsite.reuse import Keyed, digest, string_key

__all__ = ["Amounts", "FamilyFigures", "PhaseFigures", "PlanFigures", "compute"]


@dataclass(frozen=True)
class PhaseFigures(Keyed):
    """Everything computed about one phase."""

    money: PhaseAmounts
    days_late: int
    schedule_variance: int | None
    result: Result | None
    objective: ObjectiveVariance | None
    planned_to_date: Decimal  # what was expected to be spent by today
    due: bool  # done, cancelled or past its end: results and spend are final
    # the key of what they are computed from (the phase without its body, the date, the
    # tolerances), when the phase has one (``pacsite build``'s store): pages' keys use it
    digest: str = field(default="", compare=False, hash=False, repr=False)

    @property
    def amounts(self) -> Amounts:
        """Return the counted planned and actual amounts."""
        return Amounts(self.money.planned, self.money.actual)

    @property
    def consumed(self) -> Fraction | None:
        """Return actual / planned: how much of its budget an open phase has used."""
        return ratio(self.money.actual, self.money.planned)

    @property
    def late(self) -> bool:
        """Tell whether the phase is past its end and still open."""
        return self.days_late > 0

    @property
    def objective_status(self) -> str | None:
        """Return met/on_track/watch/off_track/pending, or None without a numeric target."""
        return self.objective.status if self.objective else None


@dataclass(frozen=True)
class FamilyFigures:
    """A family's subtotal against its own envelope."""

    amounts: Amounts
    envelope: Decimal | None
    late_phases: int

    @property
    def remaining(self) -> Decimal | None:
        """Return envelope − planned (negative: over the envelope)."""
        return None if self.envelope is None else self.envelope - self.amounts.planned


@dataclass(frozen=True)
class PlanFigures(Keyed):
    """The plan's figures; every table reconciles with ``totals``.

    Its key (``digest``) is made of its families' parts' keys and what the
    plan adds to them: a page keyed on the figures costs one short string.
    """

    phases: dict[str, PhaseFigures]
    families: dict[str, FamilyFigures]
    totals: Amounts
    envelope: Decimal | None
    released: Decimal
    to_date: Amounts  # planned up to today (spread by day) vs actual
    late_phases: int
    off_track: int
    by_family: dict[str, Amounts]
    by_stage: dict[str, Amounts]
    by_owner: dict[str, Amounts]
    by_objective: dict[str, Amounts]
    by_month: dict[str, Amounts]
    by_quarter: dict[str, Amounts]
    objectives: dict[str, Progress]
    # the same tables with 'planned' as planned up to today, for variances to date
    to_date_by_family: dict[str, Amounts]
    to_date_by_stage: dict[str, Amounts]
    to_date_by_owner: dict[str, Amounts]
    to_date_by_objective: dict[str, Amounts]
    digest: str = field(default="", compare=False, hash=False, repr=False)  # "": a plan made in memory
    parts: dict[str, str] = field(default_factory=dict, compare=False, repr=False)  # each family's part's key

    @property
    def remaining(self) -> Decimal | None:
        """Return envelope − planned total (negative: over the envelope)."""
        return None if self.envelope is None else self.envelope - self.totals.planned

    def phase(self, phase: Phase) -> PhaseFigures:
        """Return the figures of a phase."""
        return self.phases[phase.key]


@dataclass(frozen=True)
class FamilyPart(Keyed):
    """One family's share of every plan-wide sum, kept in forms that add up exactly.

    The plan's tables are these parts added in plan order: the same numbers,
    to the cent, and the same key order as grouping every phase at once
    (tested with hypothesis). What it buys: the live preview redoes the
    sums of the family that changed, then adds fifteen parts, instead of
    walking 1 500 phases for each table after every save.
    """

    phases: dict[str, PhaseFigures]
    months: Months
    figures: FamilyFigures
    released: Decimal
    late: int
    off_track: int
    to_date: Amounts
    by_stage: dict[str, Amounts]
    by_owner: dict[str, Amounts]
    by_objective: Cents
    to_date_by_stage: dict[str, Amounts]
    to_date_by_owner: dict[str, Amounts]
    to_date_by_objective: Cents
    digest: str = field(default="", compare=False, hash=False, repr=False)  # of its inputs ("": phases without keys)


def family_part(phases: tuple[Phase, ...], envelope: Decimal | None, today: date,
                tolerances: tuple[Decimal, Decimal]) -> FamilyPart:
    """Compute one family's phases and partial sums (``envelope``: its budget): all that ``compute`` needs.

    It reads its phases but no phase's text: a build reuses it while they
    are the same, texts aside (``Reuse.call``: a tuple of phases is keyed by
    their keys joined, a family would be pickled field by field).
    """
    own = {p.key: phase_figures(p, today, tolerances) for p in phases}
    money = {k: f.money for k, (f, _) in own.items()}
    per_phase = {k: f for k, (f, _) in own.items()}
    so_far = {p.key: as_of(money[p.key], per_phase[p.key].planned_to_date) for p in phases}
    late = sum(1 for f in per_phase.values() if f.late)

    def stage(p: Phase) -> str:
        return p.stage

    def owner(p: Phase) -> str:
        return p.owner.key if p.owner else ""

    return FamilyPart(
        phases=per_phase,
        months=add_cents(m for _, m in own.values()),
        figures=FamilyFigures(total(f.amounts for f in per_phase.values()), envelope, late),
        released=sum((m.released for m in money.values()), Decimal("0.00")),
        late=late,
        off_track=sum(1 for f in per_phase.values() if f.objective_status == "off_track"),
        to_date=total(group(phases, so_far, lambda p: "").values()),
        by_stage=group(phases, money, stage),
        by_owner=group(phases, money, owner),
        by_objective=objective_cents(phases, money),
        to_date_by_stage=group(phases, so_far, stage),
        to_date_by_owner=group(phases, so_far, owner),
        to_date_by_objective=objective_cents(phases, so_far),
        digest=digest("family part", "\0".join(p.digest_without_body for p in phases), envelope, today,
                      tolerances) if all(p.digest_without_body for p in phases) else "",
    )


def tolerances(settings: Settings) -> tuple[Decimal, Decimal]:
    """The objective variances that make a phase "watch" and "off track" (SPEC §3)."""
    return settings.tolerance_warning, settings.tolerance_critical


def compute(plan: Plan, parts: list[FamilyPart] | None = None) -> PlanFigures:
    """Compute every figure of SPEC §3 for ``plan`` at ``plan.today``.

    Each family's sums first (``family_part``: ``parts``, in plan order, when
    the caller has them, e.g. from the last build), then the plan's, from
    the families'.
    """
    settings, today = plan.settings, plan.today
    if parts is None:
        parts = [family_part(f.phases, f.budget, today, tolerances(settings)) for f in plan.families]
    families = {f.slug: part.figures for f, part in zip(plan.families, parts, strict=True)}
    per_phase: dict[str, PhaseFigures] = {}
    for part in parts:
        per_phase.update(part.phases)
    stage_order = [s.id for s in plan.stages]
    objective_order = [o.id for o in plan.objectives] + [""]
    months = months_table(add_cents(part.months for part in parts))
    return PlanFigures(
        phases=per_phase,
        families=families,
        totals=total(f.amounts for f in families.values()),
        envelope=settings.envelope,
        released=sum((part.released for part in parts), Decimal("0.00")),
        to_date=total(part.to_date for part in parts),
        late_phases=sum(part.late for part in parts),
        off_track=sum(part.off_track for part in parts),
        by_family={slug: f.amounts for slug, f in families.items()},
        by_stage=_ordered(add_tables(part.by_stage for part in parts), stage_order),
        by_owner=add_tables(part.by_owner for part in parts),
        by_objective=_ordered(from_cents_table(add_cents(part.by_objective for part in parts)), objective_order),
        by_month=months,
        by_quarter=by_quarter(months),
        objectives={o.id: progress(o, today) for o in plan.objectives},
        to_date_by_family={slug: part.to_date for slug, part in zip(families, parts, strict=True)},
        to_date_by_stage=_ordered(add_tables(part.to_date_by_stage for part in parts), stage_order),
        to_date_by_owner=add_tables(part.to_date_by_owner for part in parts),
        to_date_by_objective=_ordered(from_cents_table(add_cents(part.to_date_by_objective for part in parts)),
                                      objective_order),
        digest=digest("figures", [(f.slug, part.digest) for f, part in zip(plan.families, parts, strict=True)],
                      settings.envelope, stage_order, plan.objectives, today)
        if parts and all(part.digest for part in parts) else "",
        parts={f.slug: part.digest for f, part in zip(plan.families, parts, strict=True)},
    )


def phase_figures(p: Phase, today: date, tolerances: tuple[Decimal, Decimal]) -> tuple[PhaseFigures, Months]:
    """Return one phase's figures and its monthly spread."""
    money = phase_amounts(p)
    result = current_result(p.results, today)
    final = p.status in CLOSED or (p.end is not None and today > p.end)
    variance = objective_variance(p.objective, result, tolerances[0], tolerances[1], final)
    figures = PhaseFigures(money, days_late(p, today), schedule_variance(p), result, variance,
                           planned_to_date(p, money, today), final,
                           # strings hashed, not a pickle: 100 a save, for the family edited
                           string_key("phase figures", p.digest_without_body, today.isoformat(), *map(str, tolerances))
                           if p.digest_without_body else "")
    return figures, phase_months(p, money, today)


def _ordered(table: dict[str, Amounts], order: list[str]) -> dict[str, Amounts]:
    """Return the table's rows in a given key order, others after."""
    rank = {k: i for i, k in enumerate(order)}
    return {k: table[k] for k in sorted(table, key=lambda k: (rank.get(k, len(rank)), k))}

