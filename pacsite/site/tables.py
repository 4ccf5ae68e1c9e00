"""The budget page's tables as labelled rows: the page, plan.xlsx and budget.csv show the same ones.

Each row pairs a label, in the plan's language (a stage's title, "T1 2027",
"Non rattaché"...), with the amounts ``pacsite.figures`` computed; nothing
is recomputed here, so a download cannot tell another story than the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pacsite.figures import Amounts, FamilyFigures, PhaseFigures, PlanFigures
from pacsite.format import Formatter
from pacsite.load.model import Family, Plan, Stage


@dataclass(frozen=True)
class ToDateRow:
    """A row of a to-date table (by family, stage, owner, objective): planned, planned to date, actual."""

    key: str  # the figures' key: family slug, stage id, owner key ('' unassigned), objective id ('' not linked)
    label: str
    amounts: Amounts  # the whole planned amount and the actual
    to_date: Amounts  # planned up to today and the actual: its variance is the variance to date


@dataclass(frozen=True)
class PeriodRow:
    """A row of the by-quarter or by-month table: a period after today has no variance yet."""

    key: str  # YYYY-Qn or YYYY-MM, '' undated
    label: str
    amounts: Amounts
    future: bool

    @property
    def variance(self) -> Decimal | None:
        """Return actual − planned for a period that has begun, None (shown "—") for a future one."""
        return None if self.future else self.amounts.variance


@dataclass(frozen=True)
class BudgetTables:
    """The budget page's tables, in the page's order."""

    families: list[tuple[ToDateRow, FamilyFigures]]  # with the family's envelope and what remains
    stages: list[ToDateRow]
    owners: list[ToDateRow]
    objectives: list[ToDateRow]
    quarters: list[PeriodRow]
    months: list[PeriodRow]


def budget_tables(plan: Plan, figures: PlanFigures, fmt: Formatter, t: dict[str, str]) -> BudgetTables:
    """Return the budget page's tables with the site's labels."""
    return budget_tables_of(plan.families, plan.stages, {o.id: o.title for o in plan.objectives},
                            {o.key: o.name for p in plan.phases for o in p.owners}, plan.today, figures, fmt, t)


def budget_tables_of(families: Sequence[Family], stages: Sequence[Stage], titles: dict[str, str],
                     names: dict[str, str], today: date, figures: PlanFigures, fmt: Formatter,
                     t: dict[str, str]) -> BudgetTables:
    """``budget_tables`` from what they read of the plan: its families' and stages' titles, its objectives'
    (``titles``), its owners' names (``names``) and its date."""
    month_now = f"{today.year:04d}-{today.month:02d}"
    quarter_now = f"{today.year:04d}-Q{(today.month - 1) // 3 + 1}"
    return BudgetTables(
        families=[(ToDateRow(f.slug, f.title, figures.families[f.slug].amounts, figures.to_date_by_family[f.slug]),
                   figures.families[f.slug]) for f in families],
        stages=[ToDateRow(s.id, s.title, figures.by_stage[s.id], figures.to_date_by_stage[s.id])
                for s in stages if s.id in figures.by_stage],
        owners=[ToDateRow(k, names.get(k, k) or t["unassigned"], a, figures.to_date_by_owner[k])
                for k, a in figures.by_owner.items()],
        objectives=[ToDateRow(k, titles.get(k, t["not_linked"]), a, figures.to_date_by_objective[k])
                    for k, a in figures.by_objective.items()],
        # a period after today has no actual yet: its variance is not shown
        quarters=[PeriodRow(k, fmt.quarter(k) if k else t["undated"], a, bool(k) and k > quarter_now)
                  for k, a in figures.by_quarter.items()],
        months=[PeriodRow(k, fmt.month(k) if k else t["undated"], a, bool(k) and k > month_now)
                for k, a in figures.by_month.items()],
    )


def final_variance(pf: PhaseFigures) -> Decimal | None:
    """Return a phase's variance where the site shows it: once final (done, cancelled, past its end) or overspent.

    Before that the site shows how much of the budget is consumed instead
    (``macros.html``, ``budget_gap``): a shortfall on a running phase is not
    a saving yet.
    """
    return pf.amounts.variance if pf.due or pf.amounts.variance > 0 else None


def all_final(phases: list[PhaseFigures]) -> bool:
    """Tell whether a total's variance is final: every phase in it is (the family page's rule)."""
    return all(pf.due for pf in phases)
