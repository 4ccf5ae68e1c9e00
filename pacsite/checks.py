"""Warnings about the plan's state, found after the figures are computed.

They never stop a build (unless ``--strict``) but ``pacsite check`` lists
them after the errors, so a reviewer sees what needs attention.
"""

from __future__ import annotations

from pacsite.errors import Diagnostics
from pacsite.figures import PlanFigures
from pacsite.model import Plan


def lint(plan: Plan, figures: PlanFigures, diagnostics: Diagnostics) -> None:
    """Warn about late phases without analysis, past phases without result, overspent envelopes."""
    for family in plan.families:
        ff = figures.families[family.slug]
        if ff.remaining is not None and ff.remaining < 0:
            diagnostics.warning(
                family.source or f"content/actions/{family.slug}", family.lines.get("budget"), "budget",
                f"phases plan {ff.amounts.planned} for an envelope of {ff.envelope} "
                f"({-ff.remaining} over)",
            )
        for phase in family.phases:
            pf = figures.phase(phase)
            if pf.late and not phase.analysis:
                diagnostics.warning(
                    phase.source, phase.lines.get("end"), "analysis",
                    f"late by {pf.days_late} days and no variance analysis",
                )
            past = phase.end is not None and phase.end < plan.today
            if past and phase.status != "cancelled" and not phase.results:
                diagnostics.warning(
                    phase.source, phase.lines.get("end"), "result", "past its end date without a result"
                )
    if figures.remaining is not None and figures.remaining < 0:
        diagnostics.warning(
            "pacsite.yaml", None, "budget.envelope",
            f"the plan's phases plan {figures.totals.planned} for an envelope of "
            f"{figures.envelope} ({-figures.remaining} over)",
        )
