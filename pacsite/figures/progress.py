"""Strategic objective progress against the time elapsed (SPEC §3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from pacsite.load.model import Measure, Objective


@dataclass(frozen=True)
class Progress:
    """How far an objective has come, and how far it should be by now."""

    latest: Measure | None
    progress: Fraction | None
    expected: Fraction | None

    @property
    def ahead(self) -> bool | None:
        """Tell whether progress is at or above what the calendar expects."""
        if self.progress is None or self.expected is None:
            return None
        return self.progress >= self.expected


def latest_measurement(objective: Objective, today: date) -> Measure | None:
    """Return the last measurement dated on or before today."""
    due = [m for m in objective.measurements if m.date is not None and m.date <= today]
    return max(enumerate(due), key=lambda pair: (pair[1].date, pair[0]))[1] if due else None


def expected_progress(objective: Objective, today: date) -> Fraction | None:
    """Return (today − baseline date) / (target date − baseline date), clipped to [0, 1]."""
    base, target = objective.baseline, objective.target
    if not (base and target and base.date and target.date) or target.date == base.date:
        return None
    elapsed = Fraction((today - base.date).days, (target.date - base.date).days)
    return min(Fraction(1), max(Fraction(0), elapsed))


def progress(objective: Objective, today: date) -> Progress:
    """Return progress = (latest − baseline) / (target − baseline), with the expected one."""
    latest = latest_measurement(objective, today)
    base, target = objective.baseline, objective.target
    value = None
    if latest and base and target and target.value != base.value:
        value = Fraction(latest.value - base.value) / Fraction(target.value - base.value)
    return Progress(latest, value, expected_progress(objective, today))
