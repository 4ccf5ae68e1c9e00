"""The plan as frozen objects, built and linked once by the loader.

Templates and figures read these; nothing mutates them after loading.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from pacsite.load.settings import Settings, Stage
from pacsite.reuse import Keyed, digest, string_key


@dataclass(frozen=True)
class Person:
    """Someone of people.yaml."""

    id: str
    name: str
    role: str | None = None
    team: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Owner:
    """Who does a phase: a known person or a free-text name."""

    key: str  # the person's id, or the free-text name: the key of by_owner
    name: str
    person: Person | None = None


@dataclass(frozen=True)
class Measure:
    """A dated value: a baseline, a target or a measurement."""

    value: Decimal
    date: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class Objective:
    """A strategic objective (content/objectives/<id>.md)."""

    id: str
    title: str
    owner: Owner | None
    metric: str | None
    unit: str | None
    direction: str
    baseline: Measure | None
    target: Measure | None
    measurements: tuple[Measure, ...]
    body: str
    source: str
    body_line: int = 1


@dataclass(frozen=True)
class BudgetLine:
    """One line of a phase budget."""

    label: str
    amount: Decimal
    spent: Decimal | None = None


@dataclass(frozen=True)
class PhaseObjective:
    """The OBJECTIF column: text, and optionally a numeric target."""

    text: str | None
    target: Decimal | None = None
    unit: str | None = None
    direction: str = "increase"


@dataclass(frozen=True)
class Result:
    """One RÉSULTAT OBTENU entry: a text and/or a value, maybe dated."""

    text: str | None
    value: Decimal | None = None
    date: date | None = None


@dataclass(frozen=True)
class CorrectiveAction:
    """A follow-up action decided after a variance."""

    title: str
    owner: Owner | None = None  # the accountable one: the first of ``owners``
    due: date | None = None
    status: str = "planned"
    owners: tuple[Owner, ...] = ()


@dataclass(frozen=True)
class Phase(Keyed):
    """One phase (step) of an action family."""

    slug: str
    family_slug: str
    title: str
    order: int | None
    stage: str
    owners: tuple[Owner, ...]
    budget: Decimal  # planned as written (before the cancelled rule)
    budget_lines: tuple[BudgetLine, ...]
    spent: Decimal | None  # None when nothing spent was written
    start: date | None
    end: date | None
    finished: date | None
    status: str
    objective: PhaseObjective | None
    results: tuple[Result, ...]
    analysis: str | None
    corrective_actions: tuple[CorrectiveAction, ...]
    contributes_to: tuple[str, ...]
    tags: tuple[str, ...]
    body: str
    source: str
    body_line: int = 1
    front: str | None = None  # the front matter as written: plan.xlsx carries it for `pacsite import`
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)  # canonical key -> line
    written: dict[str, str] = field(default_factory=dict, compare=False, hash=False)  # canonical key -> as written
    # the key of what the phase was made from (its file's bytes, its path and context), when
    # ``pacsite build``'s store made it: the key of its pages derives from it (``reuse``); else ""
    digest: str = field(default="", compare=False, hash=False, repr=False)
    digest_without_body: str = field(default="", compare=False, hash=False, repr=False)  # the same, body left out

    @property
    def key(self) -> str:
        """Return a unique id of the phase in the plan."""
        return f"{self.family_slug}/{self.slug}"

    @property
    def owner(self) -> Owner | None:
        """Return the accountable owner (the first listed)."""
        return self.owners[0] if self.owners else None

    @property
    def milestone(self) -> bool:
        """Tell whether the phase is a single day (start = end)."""
        return self.start is not None and self.start == self.end


@dataclass(frozen=True)
class Family(Keyed):
    """An action family: a folder of phases."""

    slug: str
    title: str
    order: int | None
    stage: str
    owner: Owner | None
    summary: str | None
    budget: Decimal | None  # the family's envelope
    phases: tuple[Phase, ...]
    body: str
    source: str | None
    body_line: int = 1
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)  # canonical key -> line
    owners: tuple[Owner, ...] = ()  # every owner given; ``owner`` is the first (accountable)
    # its own fields' key and its phases' (``keyed``: a family's warnings and downloads are keyed by it), and
    # the same with no text (its own body, its phases' digest_without_body); "" for a plan made in memory
    digest: str = field(default="", compare=False, hash=False, repr=False)
    digest_without_body: str = field(default="", compare=False, hash=False, repr=False)

    def keyed(self) -> Family:
        """The family with its keys, when its phases have theirs (else as it is): one digest of its own
        fields and its phases' keys joined, rather than a pickle of it for each stage that takes it."""
        if not self.phases or not all(p.digest and p.digest_without_body for p in self.phases):
            return self
        own = replace(self, phases=(), digest="", digest_without_body="")
        return replace(self, digest=string_key("family", digest(own), *(p.digest for p in self.phases)),
                       digest_without_body=string_key("family", digest(replace(own, body="")),
                                                      *(p.digest_without_body for p in self.phases)))


@dataclass(frozen=True)
class Page:
    """A free page (content/pages/**)."""

    slug: str  # path below pages/, without .md, e.g. 'methode' or 'guide/budget'
    title: str
    order: int | None
    body: str
    source: str
    body_line: int = 1


@dataclass(frozen=True)
class Period:
    """The plan's period."""

    start: date | None
    end: date | None


@dataclass(frozen=True)
class Plan:
    """The whole plan, linked and checked."""

    settings: Settings
    title: str
    company: str | None
    vision: str | None
    period: Period
    body: str
    people: dict[str, Person]
    objectives: tuple[Objective, ...]
    families: tuple[Family, ...]
    pages: tuple[Page, ...]
    today: date
    header_source: str | None = None
    body_line: int = 1
    # the other files as written (path, text): pacsite.yaml, people, objectives, families, pages
    files: tuple[tuple[str, str], ...] = ()

    @property
    def phases(self) -> tuple[Phase, ...]:
        """Return every phase in plan order."""
        return tuple(p for f in self.families for p in f.phases)

    @property
    def stages(self) -> tuple[Stage, ...]:
        """Return the plan's stages."""
        return self.settings.stages
