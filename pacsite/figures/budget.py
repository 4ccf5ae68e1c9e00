"""Planned and actual amounts per phase, and the tables that group them.

Every table is built from the same per-phase cents, so rows always sum to
the plan total (tested with hypothesis).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from pacsite.figures.money import (
    ZERO,
    from_cents,
    quarter_of,
    ratio,
    split,
    spread_by_month,
    spread_until,
    to_cents,
)
from pacsite.figures.schedule import actual_window
from pacsite.load.model import Phase


@dataclass(frozen=True)
class Amounts:
    """A planned and an actual amount, with their variance."""

    planned: Decimal = ZERO
    actual: Decimal = ZERO

    @property
    def variance(self) -> Decimal:
        """Return actual − planned (positive: overspent)."""
        return self.actual - self.planned

    @property
    def variance_pct(self) -> Fraction | None:
        """Return variance / planned, None when nothing is planned."""
        return ratio(self.variance, self.planned)

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(self.planned + other.planned, self.actual + other.actual)


@dataclass(frozen=True)
class PhaseAmounts:
    """A phase's money: as written, as counted, and what a cancellation released."""

    budget: Decimal  # as written
    planned: Decimal  # as counted in every total
    actual: Decimal
    released: Decimal


def phase_amounts(phase: Phase) -> PhaseAmounts:
    """Apply SPEC §3: a cancelled phase counts only what it spent, the rest is released."""
    actual = phase.spent if phase.spent is not None else ZERO
    planned = phase.budget
    if phase.status == "cancelled":
        planned = min(phase.budget, actual)
    return PhaseAmounts(phase.budget, planned, actual, phase.budget - planned)


def total(amounts: Iterable[Amounts]) -> Amounts:
    """Sum amounts."""
    result = Amounts()
    for item in amounts:
        result = result + item
    return result


def group(
    phases: Iterable[Phase], amounts: dict[str, PhaseAmounts], key: Callable[[Phase], str]
) -> dict[str, Amounts]:
    """Group phase amounts by a key, keeping first-seen order."""
    planned: dict[str, Decimal] = {}
    actual: dict[str, Decimal] = {}
    for phase in phases:
        a = amounts[phase.key]
        k = key(phase)
        planned[k] = planned.get(k, ZERO) + a.planned
        actual[k] = actual.get(k, ZERO) + a.actual
    return {k: Amounts(planned[k], actual[k]) for k in planned}


def by_objective(phases: Iterable[Phase], amounts: dict[str, PhaseAmounts]) -> dict[str, Amounts]:
    """Split each phase between the objectives it serves; '' for not linked."""
    return from_cents_table(objective_cents(phases, amounts))


Cents = tuple[dict[str, int], dict[str, int]]  # planned and actual cents by key


def objective_cents(phases: Iterable[Phase], amounts: dict[str, PhaseAmounts]) -> Cents:
    """``by_objective`` in whole cents, so that parts of a plan can be added exactly."""
    planned: dict[str, int] = {}
    actual: dict[str, int] = {}
    for phase in phases:
        a = amounts[phase.key]
        targets = list(phase.contributes_to) or [""]
        for target, p, r in zip(
            targets, split(to_cents(a.planned), len(targets)), split(to_cents(a.actual), len(targets)),
            strict=True,
        ):
            planned[target] = planned.get(target, 0) + p
            actual[target] = actual.get(target, 0) + r
    return planned, actual


def add_cents(parts: Iterable[Cents]) -> Cents:
    """Add cents tables key by key, keys in the order first seen."""
    planned: dict[str, int] = {}
    actual: dict[str, int] = {}
    for part_planned, part_actual in parts:
        for key, cents in part_planned.items():
            planned[key] = planned.get(key, 0) + cents
        for key, cents in part_actual.items():
            actual[key] = actual.get(key, 0) + cents
    return planned, actual


def from_cents_table(cents: Cents) -> dict[str, Amounts]:
    """Turn a cents table (with the same keys planned and actual) into amounts."""
    planned, actual = cents
    return {k: Amounts(from_cents(planned[k]), from_cents(actual[k])) for k in planned}


def add_tables(tables: Iterable[dict[str, Amounts]]) -> dict[str, Amounts]:
    """Add amount tables key by key, keys in the order first seen (as ``group`` over all their phases)."""
    out: dict[str, Amounts] = {}
    for table in tables:
        for key, amounts in table.items():
            before = out.get(key)
            out[key] = amounts if before is None else before + amounts
    return out


def by_month(
    phases: Iterable[Phase], amounts: dict[str, PhaseAmounts], today: date
) -> dict[str, Amounts]:
    """Spread planned over start..end and actual over the actual window, by month.

    Undated phases go under the key ''. Keys are sorted ('' first).
    """
    return sum_months(phase_months(p, amounts[p.key], today) for p in phases)


Months = tuple[dict[str, int], dict[str, int]]  # planned and actual cents by month


def phase_months(phase: Phase, a: PhaseAmounts, today: date) -> Months:
    """Return one phase's planned and actual cents by month ('' when undated)."""
    if phase.start is None or phase.end is None:
        return {"": to_cents(a.planned)}, {"": to_cents(a.actual)}
    window = actual_window(phase, today)
    assert window is not None  # dated phases have a start
    return spread_by_month(to_cents(a.planned), phase.start, phase.end), spread_by_month(to_cents(a.actual), *window)


def sum_months(spreads: Iterable[Months]) -> dict[str, Amounts]:
    """Add phases' monthly spreads into one table with sorted keys."""
    return months_table(add_cents(spreads))


def months_table(cents: Months) -> dict[str, Amounts]:
    """Turn monthly cents into amounts, months sorted ('' first), a month missing on one side at 0."""
    planned, actual = cents
    keys = sorted(set(planned) | set(actual))
    return {k: Amounts(from_cents(planned.get(k, 0)), from_cents(actual.get(k, 0))) for k in keys}


def planned_to_date(phase: Phase, amounts: PhaseAmounts, today: date) -> Decimal:
    """Return what a phase was expected to have spent by ``today`` (spread by day).

    Comparing the actual spend with this, not with the whole budget, tells
    whether spending is ahead of or behind the calendar. An undated phase
    counts in full: nothing says when its money is due.
    """
    if phase.start is None or phase.end is None:
        return amounts.planned
    return from_cents(spread_until(to_cents(amounts.planned), phase.start, phase.end, today))


def as_of(amounts: PhaseAmounts, planned: Decimal) -> PhaseAmounts:
    """Return the same amounts with ``planned`` replaced (to build the to-date tables)."""
    return PhaseAmounts(amounts.budget, planned, amounts.actual, amounts.released)


def by_quarter(months: dict[str, Amounts]) -> dict[str, Amounts]:
    """Sum a by-month table into quarters ('' stays '')."""
    quarters: dict[str, Amounts] = {}
    for month, amounts in months.items():
        q = quarter_of(month)
        quarters[q] = quarters.get(q, Amounts()) + amounts
    return quarters


def cumulative(months: dict[str, Amounts]) -> list[tuple[str, Amounts]]:
    """Return running totals month by month (dated months only)."""
    running = Amounts()
    out: list[tuple[str, Amounts]] = []
    for month, amounts in months.items():
        if not month:
            continue
        running = running + amounts
        out.append((month, running))
    return out
