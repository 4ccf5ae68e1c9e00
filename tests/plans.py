"""Build model objects directly, for figure tests that need no files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pacsite.load.model import Family, Objective, Owner, Period, Phase, PhaseObjective, Plan, Result
from pacsite.load.settings import Settings


def phase(slug: str = "p", family: str = "f", budget: str = "0", spent: str | None = None,
          start: date | None = None, end: date | None = None, status: str = "planned",
          owner: str | None = None, contributes_to: tuple[str, ...] = (),
          objective: PhaseObjective | None = None, results: tuple[Result, ...] = (),
          finished: date | None = None, stage: str = "operational") -> Phase:
    """Return a phase with sensible defaults."""
    return Phase(
        slug=slug, family_slug=family, title=slug.title(), order=None, stage=stage,
        owners=(Owner(owner, owner),) if owner else (), budget=Decimal(budget).quantize(Decimal("0.01")),
        budget_lines=(), spent=Decimal(spent).quantize(Decimal("0.01")) if spent is not None else None,
        start=start, end=end, finished=finished, status=status, objective=objective,
        results=results, analysis=None, corrective_actions=(), contributes_to=contributes_to,
        tags=(), body="", source=f"content/actions/{family}/{slug}.md",
    )


def plan(phases: list[Phase], today: date = date(2027, 6, 30), objectives: tuple[Objective, ...] = (),
         **settings: Any) -> Plan:
    """Return a plan whose families are made from the phases' family slugs."""
    families: dict[str, list[Phase]] = {}
    for p in phases:
        families.setdefault(p.family_slug, []).append(p)
    return Plan(
        settings=Settings(root=Path("."), **settings), title="T", company=None, vision=None,
        period=Period(None, None), body="", people={}, objectives=objectives,
        families=tuple(Family(slug, slug.title(), None, "operational", None, None, None, tuple(ps), "", None)
                       for slug, ps in families.items()),
        pages=(), today=today,
    )
