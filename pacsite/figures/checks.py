"""Warnings about the plan's state, found after the figures are computed.

They never stop a build (unless ``--strict``) but ``pacsite check`` lists
them after the errors, so a reviewer sees what needs attention.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pacsite.errors import Diagnostic, Diagnostics
from pacsite.figures import FamilyFigures, PhaseFigures, PlanFigures
from pacsite.load import fields
from pacsite.load.model import Family, Phase, Plan
from pacsite.load.settings import Settings
from pacsite.messages import Day, Money, msg

FAR_YEARS = 10  # a phase dated further from the plan's period (or today) is most likely a typo: 2199 for 2029


Bounds = tuple[tuple[int, int, int], tuple[int, int, int], str]  # no phase dated outside: FAR_YEARS around the plan
Warnings = tuple[tuple[Diagnostic, ...], tuple[Diagnostic, ...]]  # a family's own, its phases'


def lint(plan: Plan, figures: PlanFigures, diagnostics: Diagnostics, parts: list[Warnings] | None = None) -> None:
    """Warn about late phases without analysis, past phases without result, overspent envelopes.

    Each family's warnings first (``family_warnings``: ``parts``, in plan
    order, when the caller has them, e.g. from the last build). A file with an
    error gets no warning: its figures are not what the user meant (a
    refused end date would read as "late by 29 days").
    """
    broken = {d.path for d in diagnostics.errors}
    for own, phases in parts if parts is not None else [family_warnings(*i) for i in warning_inputs(plan, figures)]:
        diagnostics.items.extend(own)
        diagnostics.items.extend(d for d in phases if d.path not in broken)

    def money(value: Decimal | None) -> Money:
        return Money(value or Decimal(0), plan.settings.currency)

    if figures.remaining is not None and figures.remaining < 0:
        diagnostics.warning(
            "pacsite.yaml", None, "budget.envelope",
            msg("plan_over_envelope", planned=money(figures.totals.planned), envelope=money(figures.envelope),
                over=money(-figures.remaining)),
        )


def warning_inputs(plan: Plan, figures: PlanFigures) -> list[tuple[Any, ...]]:
    """What ``family_warnings`` takes for each family, in plan order."""
    bounds = far_bounds(plan)
    return [(f, tuple(figures.phase(p) for p in f.phases), figures.families[f.slug], plan.today, plan.settings,
             bounds) for f in plan.families]


def far_bounds(plan: Plan) -> Bounds:
    """The dates no phase should pass: FAR_YEARS before the plan's period (or today) and after it."""
    first = min(d for d in (plan.today, plan.period.start) if d is not None)
    last = max(d for d in (plan.today, plan.period.end) if d is not None)
    span = str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
    return (first.year - FAR_YEARS, first.month, first.day), (last.year + FAR_YEARS, last.month, last.day), span


def family_warnings(family: Family, figures: tuple[PhaseFigures, ...], ff: FamilyFigures, today: date,
                    settings: Settings, bounds: Bounds) -> Warnings:
    """A family's warnings, and its phases'. It reads no phase's text: a build keeps them while the family is
    the same, texts aside (``Reuse.call``)."""
    language = settings.language

    def money(value: Decimal | None) -> Money:
        return Money(value or Decimal(0), settings.currency)

    def key(canonical: str, phase: Phase | None = None) -> str:
        """The key as the file writes it, else as the plan's language would."""
        if phase is not None and canonical in phase.written:
            return phase.written[canonical]
        return fields.spelling(canonical, fields.PHASE_KEYS, language)

    own: list[Diagnostic] = []
    if ff.remaining is not None and ff.remaining < 0:
        own.append(Diagnostic(
            family.source or f"content/actions/{family.slug}", family.lines.get("budget"), "budget",
            msg("family_over_envelope", planned=money(ff.amounts.planned), envelope=money(ff.envelope),
                over=money(-ff.remaining)), "warning"))
    low, high, span = bounds
    found: list[Diagnostic] = []
    for phase, pf in zip(family.phases, figures, strict=True):
        for canonical in ("start", "end", "finished"):
            day = getattr(phase, canonical)
            if day is not None and not low <= (day.year, day.month, day.day) <= high:
                found.append(Diagnostic(phase.source, phase.lines.get(canonical), key(canonical, phase),
                                        msg("date_far_from_plan", day=Day(day), years=FAR_YEARS, span=span),
                                        "warning"))
        if pf.late and not phase.analysis:
            found.append(Diagnostic(phase.source, phase.lines.get("end"), key("analysis"),
                                    msg("late_without_analysis", n=pf.days_late), "warning"))
        if phase.start is not None and phase.start > today and phase.finished is None and pf.money.actual:
            where = "spent" if "spent" in phase.lines else "budget"  # a deposit on a budget line
            found.append(Diagnostic(phase.source, phase.lines.get(where), key(where, phase),
                                    msg("spent_before_start", amount=money(pf.money.actual), today=Day(today)),
                                    "warning"))
        past = phase.end is not None and phase.end < today
        if past and phase.status != "cancelled" and not phase.results:
            found.append(Diagnostic(phase.source, phase.lines.get("end"), key("result"), msg("past_without_result"),
                                    "warning"))
    return tuple(own), tuple(found)
