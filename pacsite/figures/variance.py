"""Objective variance of a phase: gap to target and its status (SPEC §3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from pacsite.load.model import PhaseObjective, Result

STATUSES = ("met", "on_track", "watch", "off_track", "pending")


@dataclass(frozen=True)
class ObjectiveVariance:
    """Where a phase's result stands against its numeric target."""

    status: str
    gap: Decimal | None = None
    gap_pct: Fraction | None = None
    shortfall: Fraction | None = None


def current_result(results: tuple[Result, ...], today: date) -> Result | None:
    """Return the result that counts: the latest dated on or before today.

    Undated entries count only when no dated one is due yet (the last one).
    """
    dated = [r for r in results if r.date is not None and r.date <= today]
    if dated:
        return max(enumerate(dated), key=lambda pair: (pair[1].date, pair[0]))[1]
    undated = [r for r in results if r.date is None]
    return undated[-1] if undated else None


def status_of(shortfall: Fraction, warning: Decimal, critical: Decimal) -> str:
    """Classify a shortfall; thresholds are inclusive and compared exactly."""
    if shortfall <= 0:
        return "met"
    if shortfall <= Fraction(warning):
        return "on_track"
    if shortfall <= Fraction(critical):
        return "watch"
    return "off_track"


def objective_variance(
    objective: PhaseObjective | None,
    result: Result | None,
    warning: Decimal,
    critical: Decimal,
    final: bool = True,
) -> ObjectiveVariance | None:
    """Return the variance, or None when the objective has no numeric target.

    A result that is not ``final`` (the phase is still open and not past its
    end) is an interim figure: its gap is shown, but a shortfall is not judged
    yet (status ``pending``) unless the target is already met. Judging
    "40 prescribers" in June from the 21 met so far would flag work that is
    simply unfinished as off track.
    """
    if objective is None or objective.target is None:
        return None
    if result is None or result.value is None:
        return ObjectiveVariance("pending")
    target, value = objective.target, result.value
    gap = value - target
    if target == 0:
        reached = value >= 0 if objective.direction == "increase" else value <= 0
        return ObjectiveVariance("met" if reached else "off_track" if final else "pending", gap, None, None)
    if objective.direction == "decrease":
        shortfall = Fraction(value - target) / abs(Fraction(target))
    else:
        shortfall = Fraction(target - value) / abs(Fraction(target))
    gap_pct = Fraction(gap) / Fraction(target)
    status = status_of(shortfall, warning, critical)
    if not final and status != "met":
        status = "pending"
    return ObjectiveVariance(status, gap, gap_pct, shortfall)
