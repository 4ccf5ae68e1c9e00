"""Lateness and schedule variance (SPEC §3, Schedule)."""

from __future__ import annotations

from datetime import date

from pacsite.load.model import Phase

CLOSED = ("done", "cancelled")


def days_late(phase: Phase, today: date) -> int:
    """Return days past the end for an open phase; 0 when not late."""
    if phase.end is None or phase.status in CLOSED or today <= phase.end:
        return 0
    return (today - phase.end).days


def schedule_variance(phase: Phase) -> int | None:
    """Return finished − end in days for a done phase (negative: early)."""
    if phase.status != "done" or phase.finished is None or phase.end is None:
        return None
    return (phase.finished - phase.end).days


def actual_window(phase: Phase, today: date) -> tuple[date, date] | None:
    """Return the days over which the actual cost is spread, or None if undated.

    From start to ``finished``, or to the earlier of ``end`` and ``today``
    when not finished, and at least the start day. Money is never spent in
    the future (SPEC §3): a phase not started by ``today`` and not finished
    has its spending (a deposit) counted on ``today``.
    """
    if phase.start is None:
        return None
    if phase.finished is None and phase.start > today:
        return today, today
    last = phase.finished
    if last is None:
        last = min(phase.end or phase.start, today)
    return phase.start, max(phase.start, last)
