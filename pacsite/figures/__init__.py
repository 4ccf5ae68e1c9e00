"""Every figure of the plan, computed once from the frozen model.

Pure functions live in the submodules; ``compute`` assembles them into one
``PlanFigures`` that pages, exports and checks all read, so the budget page
and plan.json can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import partial

from pacsite.figures.budget import (
    Amounts,
    Months,
    PhaseAmounts,
    as_of,
    by_objective,
    by_quarter,
    group,
    phase_amounts,
    phase_months,
    planned_to_date,
    sum_months,
    total,
)
from pacsite.figures.money import ratio
from pacsite.figures.progress import Progress, progress
from pacsite.figures.schedule import CLOSED, days_late, schedule_variance
from pacsite.figures.variance import ObjectiveVariance, current_result, objective_variance
from pacsite.memo import Memo
from pacsite.model import Phase, Plan, Result

__all__ = ["Amounts", "FamilyFigures", "PhaseFigures", "PlanFigures", "compute"]


@dataclass(frozen=True)
class PhaseFigures:
    """Everything computed about one phase."""

    money: PhaseAmounts
    days_late: int
    schedule_variance: int | None
    result: Result | None
    objective: ObjectiveVariance | None
    planned_to_date: Decimal  # what was expected to be spent by today
    due: bool  # done, cancelled or past its end: results and spend are final
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
class PlanFigures:
    """The plan's figures; every table reconciles with ``totals``."""

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

    @property
    def remaining(self) -> Decimal | None:
        """Return envelope − planned total (negative: over the envelope)."""
        return None if self.envelope is None else self.envelope - self.totals.planned

    def phase(self, phase: Phase) -> PhaseFigures:
        """Return the figures of a phase."""
        return self.phases[phase.key]


def compute(plan: Plan, memo: Memo | None = None) -> PlanFigures:
    """Compute every figure of SPEC §3 for ``plan`` at ``plan.today``.

    With a ``memo`` (the live preview), a phase's own figures are reused while
    the phase, the date and the tolerances are the same; the sums are always
    redone, so every total still comes from every phase.
    """
    settings, today = plan.settings, plan.today
    phases = plan.phases
    tolerances = (settings.tolerance_warning, settings.tolerance_critical)
    own = {p.key: phase_figures(p, today, tolerances, memo) for p in phases}
    money = {k: f.money for k, (f, _) in own.items()}
    per_phase = {k: f for k, (f, _) in own.items()}
    families = {
        f.slug: FamilyFigures(
            total(per_phase[p.key].amounts for p in f.phases),
            f.budget,
            sum(1 for p in f.phases if per_phase[p.key].late),
        )
        for f in plan.families
    }
    months = sum_months(m for _, m in own.values())
    so_far = {p.key: as_of(money[p.key], per_phase[p.key].planned_to_date) for p in phases}
    stage_order = [s.id for s in plan.stages]
    objective_order = [o.id for o in plan.objectives] + [""]
    return PlanFigures(
        phases=per_phase,
        families=families,
        totals=total(f.amounts for f in families.values()),
        envelope=settings.envelope,
        released=sum((m.released for m in money.values()), Decimal("0.00")),
        to_date=total(group(phases, so_far, lambda p: "").values()),
        late_phases=sum(1 for f in per_phase.values() if f.late),
        off_track=sum(1 for f in per_phase.values() if f.objective_status == "off_track"),
        by_family={slug: f.amounts for slug, f in families.items()},
        by_stage=_ordered(group(phases, money, lambda p: p.stage), stage_order),
        by_owner=group(phases, money, lambda p: p.owner.key if p.owner else ""),
        by_objective=_ordered(by_objective(phases, money), objective_order),
        by_month=months,
        by_quarter=by_quarter(months),
        objectives={o.id: progress(o, today) for o in plan.objectives},
        to_date_by_family={f.slug: total(Amounts(so_far[p.key].planned, so_far[p.key].actual) for p in f.phases)
                           for f in plan.families},
        to_date_by_stage=_ordered(group(phases, so_far, lambda p: p.stage), stage_order),
        to_date_by_owner=group(phases, so_far, lambda p: p.owner.key if p.owner else ""),
        to_date_by_objective=_ordered(by_objective(phases, so_far), objective_order),
    )


def phase_figures(p: Phase, today: date, tolerances: tuple[Decimal, Decimal],
                  memo: Memo | None = None) -> tuple[PhaseFigures, Months]:
    """Return one phase's figures and monthly spread, reused from ``memo`` when its inputs are the same."""
    if memo is None:
        return _phase_figures(p, today, tolerances)
    # keyed on what figures read, not the whole phase: a text edit keeps the same figures
    inputs = (p.key, p.budget, p.spent, p.start, p.end, p.finished, p.status, p.objective,
              p.results, today, tolerances)
    return memo.get(p.key, inputs, partial(_phase_figures, p, today, tolerances))


def _phase_figures(p: Phase, today: date, tolerances: tuple[Decimal, Decimal]) -> tuple[PhaseFigures, Months]:
    """Return one phase's figures and its monthly spread."""
    money = phase_amounts(p)
    result = current_result(p.results, today)
    final = p.status in CLOSED or (p.end is not None and today > p.end)
    variance = objective_variance(p.objective, result, tolerances[0], tolerances[1], final)
    figures = PhaseFigures(money, days_late(p, today), schedule_variance(p), result, variance,
                           planned_to_date(p, money, today), final)
    return figures, phase_months(p, money, today)


def _ordered(table: dict[str, Amounts], order: list[str]) -> dict[str, Amounts]:
    """Return the table's rows in a given key order, others after."""
    rank = {k: i for i, k in enumerate(order)}
    return {k: table[k] for k in sorted(table, key=lambda k: (rank.get(k, len(rank)), k))}

