"""The values ``pacsite diff`` compares one by one: a phase's fields, envelopes, objectives, settings.

Each difference is a ``Change``: which value (``what``), how it reads
(``kind``: money, date, text, status, result, measure, ratio) and its value
before and after (None: not set). ``pacsite.tools.diff`` puts them into words;
here they are only found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pacsite.figures import PhaseFigures
from pacsite.load.model import Family, Measure, Objective, Phase, Plan


@dataclass(frozen=True)
class Change:
    """One value that changed, before → after (None: not set)."""

    what: str
    kind: str
    before: Any
    after: Any
    unit: str | None = None  # an objective's unit, for its measures
    at: date | None = None  # a measurement's date: the measurement it is


@dataclass(frozen=True)
class Named:
    """Something the plan names (the plan's or a family's envelope, an objective) and what changed in it.

    ``state``: kept, added or removed (an objective file that appeared or went).
    """

    key: str
    title: str
    changes: tuple[Change, ...]
    state: str = "kept"



def _if(what: str, kind: str, before: Any, after: Any, unit: str | None = None,
        at: date | None = None) -> list[Change]:
    return [Change(what, kind, before, after, unit, at)] if before != after else []


def phase_changes(was: Phase, now: Phase, was_fig: PhaseFigures, now_fig: PhaseFigures) -> tuple[Change, ...]:
    """The fields of a phase a reviewer must see: money, dates, owner, status, counted result."""
    owners = (", ".join(o.name for o in was.owners) or None, ", ".join(o.name for o in now.owners) or None)
    return tuple([
        *_if("budget", "money", was_fig.money.budget, now_fig.money.budget),
        *_if("spent", "money", was_fig.money.actual, now_fig.money.actual),
        *_if("start", "date", was.start, now.start),
        *_if("end", "date", was.end, now.end),
        *_if("finished", "date", was.finished, now.finished),
        *_if("owner", "text", *owners),
        *_if("status", "status", was.status, now.status),
        *_if("result", "result", was_fig.result, now_fig.result),
    ])


def envelope_changes(before: Plan, after: Plan, unknown: frozenset[str]) -> tuple[Named, ...]:
    """The plan's envelope (pacsite.yaml) and each family's (its _index.md), old → new.

    A family whose _index.md has errors on either side is left out
    (``unknown`` holds those paths): its envelope there is not known.
    """
    found: list[Named] = []
    if "pacsite.yaml" not in unknown and before.settings.envelope != after.settings.envelope:
        found.append(Named("", "", (Change("envelope", "money", before.settings.envelope,
                                           after.settings.envelope),)))
    was: dict[str, Family] = {f.slug: f for f in before.families}
    for family in after.families:
        old = was.get(family.slug)
        if old is None or old.budget == family.budget:
            continue
        if {old.source, family.source} & unknown:
            continue
        found.append(Named(family.slug, family.title, (Change("envelope", "money", old.budget, family.budget),)))
    return tuple(found)


def _measures(o: Objective) -> dict[date | None, Measure]:
    return {m.date: m for m in o.measurements}


def objective_changes(before: Plan, after: Plan, files: tuple[frozenset[str], frozenset[str]],
                      unknown: frozenset[str]) -> tuple[Named, ...]:
    """Strategic objectives added or removed, their baseline, target and measurements changed.

    An objective file with errors on either side is not compared; one that
    did not load but whose file is there (``files``: each side's) is not
    reported as added or removed.
    """
    was = {o.id: o for o in before.objectives}
    now = {o.id: o for o in after.objectives}
    found: list[Named] = []
    for oid in [*now, *(k for k in was if k not in now)]:
        old, new = was.get(oid), now.get(oid)
        if {o.source for o in (old, new) if o} & unknown:
            continue
        if old is None and new is not None:
            if new.source not in files[0]:
                found.append(Named(oid, new.title, (), "added"))
            continue
        if new is None and old is not None:
            if old.source not in files[1]:
                found.append(Named(oid, old.title, (), "removed"))
            continue
        assert old is not None and new is not None
        unit = new.unit
        changes = [
            *_if("baseline", "measure", _value(old.baseline), _value(new.baseline), unit),
            *_if("target", "measure", _value(old.target), _value(new.target), unit),
        ]
        old_m, new_m = _measures(old), _measures(new)
        for when in sorted({*old_m, *new_m}, key=lambda d: d or date.min):
            a, b = old_m.get(when), new_m.get(when)
            changes += _if("measurement", "measure", _value(a), _value(b), unit, when)
        if changes:
            found.append(Named(oid, new.title, tuple(changes)))
    return tuple(found)


def _value(m: Measure | None) -> Measure | None:
    """A measure as compared: its value and date (a note alone changes no figure)."""
    return Measure(m.value, m.date) if m else None


def settings_changes(before: Plan, after: Plan, unknown: frozenset[str]) -> tuple[Change, ...]:
    """The settings that change figures: the judging date and the tolerances."""
    if "pacsite.yaml" in unknown:
        return ()
    b, a = before.settings, after.settings
    return tuple([
        *_if("today", "date", b.today, a.today),
        *_if("tolerance_warning", "ratio", b.tolerance_warning, a.tolerance_warning),
        *_if("tolerance_critical", "ratio", b.tolerance_critical, a.tolerance_critical),
    ])
