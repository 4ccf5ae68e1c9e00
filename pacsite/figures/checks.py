"""Warnings about the plan's state, found after the figures are computed.

They never stop a build (unless ``--strict``) but ``pacsite check`` lists
them after the errors, so a reviewer sees what needs attention.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pacsite.errors import Diagnostics
from pacsite.figures import PlanFigures
from pacsite.load import fields
from pacsite.load.model import Phase, Plan
from pacsite.messages import Day, Money, msg

FAR_YEARS = 10  # a phase dated further from the plan's period (or today) is most likely a typo: 2199 for 2029


def lint(plan: Plan, figures: PlanFigures, diagnostics: Diagnostics) -> None:
    """Warn about late phases without analysis, past phases without result, overspent envelopes.

    A file with an error gets no warning: its figures are not what the user
    meant (a refused end date would read as "late by 29 days").
    """
    broken = {d.path for d in diagnostics.errors}
    language = plan.settings.language

    def money(value: Decimal | None) -> Money:
        return Money(value or Decimal(0), plan.settings.currency)

    def key(canonical: str, phase: Phase | None = None) -> str:
        """The key as the file writes it, else as the plan's language would."""
        if phase is not None and canonical in phase.written:
            return phase.written[canonical]
        return fields.spelling(canonical, fields.PHASE_KEYS, language)

    far_dates = _far_dates(plan)
    for family in plan.families:
        ff = figures.families[family.slug]
        if ff.remaining is not None and ff.remaining < 0:
            diagnostics.warning(
                family.source or f"content/actions/{family.slug}", family.lines.get("budget"), "budget",
                msg("family_over_envelope", planned=money(ff.amounts.planned), envelope=money(ff.envelope),
                    over=money(-ff.remaining)),
            )
        for phase in family.phases:
            if phase.source in broken:
                continue
            far_dates(phase, diagnostics, key)
            pf = figures.phase(phase)
            if pf.late and not phase.analysis:
                diagnostics.warning(
                    phase.source, phase.lines.get("end"), key("analysis"),
                    msg("late_without_analysis", n=pf.days_late),
                )
            if phase.start is not None and phase.start > plan.today and phase.finished is None and pf.money.actual:
                where = "spent" if "spent" in phase.lines else "budget"  # a deposit on a budget line
                diagnostics.warning(phase.source, phase.lines.get(where), key(where, phase),
                                    msg("spent_before_start", amount=money(pf.money.actual), today=Day(plan.today)))
            past = phase.end is not None and phase.end < plan.today
            if past and phase.status != "cancelled" and not phase.results:
                diagnostics.warning(
                    phase.source, phase.lines.get("end"), key("result"), msg("past_without_result")
                )
    if figures.remaining is not None and figures.remaining < 0:
        diagnostics.warning(
            "pacsite.yaml", None, "budget.envelope",
            msg("plan_over_envelope", planned=money(figures.totals.planned), envelope=money(figures.envelope),
                over=money(-figures.remaining)),
        )


def _far_dates(plan: Plan) -> Callable[[Phase, Diagnostics, Any], None]:
    """Return what warns of a phase's dates more than FAR_YEARS from the plan's period and today
    (accepted, but likely typos); the bounds are the plan's, worked out once."""
    first = min(d for d in (plan.today, plan.period.start) if d is not None)
    last = max(d for d in (plan.today, plan.period.end) if d is not None)
    low = (first.year - FAR_YEARS, first.month, first.day)
    high = (last.year + FAR_YEARS, last.month, last.day)
    span = str(first.year) if first.year == last.year else f"{first.year}–{last.year}"

    def warn(phase: Phase, diagnostics: Diagnostics, key: Any) -> None:
        for canonical in ("start", "end", "finished"):
            day = getattr(phase, canonical)
            if day is not None and not low <= (day.year, day.month, day.day) <= high:
                diagnostics.warning(phase.source, phase.lines.get(canonical), key(canonical, phase),
                                    msg("date_far_from_plan", day=Day(day), years=FAR_YEARS, span=span))

    return warn
