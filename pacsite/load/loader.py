"""Files -> validated, linked Plan. Every error of the plan is reported at once.

Loading never renders and never writes (tests stop here to check the model).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pacsite.errors import Diagnostics
from pacsite.load import fields, schema
from pacsite.load.families import (
    FamilyHead,
    PhaseFile,
    Validated,
    link_families,
    order_key,
    read_families,
    validate_phase,
)
from pacsite.load.frontmatter import Files, SourceError, decode, parse_yaml
from pacsite.load.model import (
    Measure,
    Objective,
    Page,
    Period,
    Person,
    Plan,
)
from pacsite.load.reading import Reader, problem_message
from pacsite.load.settings import SETTINGS_FILE, Settings, load_settings
from pacsite.load.sources import Source, discover
from pacsite.load.stamps import Stamped
from pacsite.messages import Place, Problem, msg

DEFAULT_TITLES = {"fr": "Plan d'action commerciale", "en": "Commercial action plan"}


@dataclass
class PlanFiles:
    """The plan's files read, all but its phases validated: what ``link_plan`` makes the ``Plan`` of, once
    each of ``phases`` is validated (``validate_phase``, a pure function: ``pacsite build`` reuses its
    results from one build to the next)."""

    root: Path
    settings: Settings
    sources: list[Source]
    header: tuple[Any, ...]
    people: dict[str, Person]
    objectives: tuple[Objective, ...]
    families: list[FamilyHead]
    pages: tuple[Page, ...]
    people_source: str | None  # people.yaml, when it could not be read: where to count the owners left unchecked
    people_broken: int
    unchecked_people: int
    files: Files | None

    @property
    def phases(self) -> list[PhaseFile]:
        """Every phase file, family by family: ``link_plan`` takes their validations in this order."""
        return [file for family in self.families for file in family.phases]


def load_plan(
    root: Path,
    diagnostics: Diagnostics,
    today: date | None = None,
    settings: Settings | None = None,
    files: Files | None = None,
) -> Plan:
    """Load and check the plan in ``root``: its files read, each phase validated, the whole linked.

    Documents with errors are left out and their errors recorded, so that the
    rest (links in Markdown, for instance) can still be checked in the same
    run: callers must look at ``diagnostics.has_errors()`` before publishing.
    """
    plan_files = read_plan(root, diagnostics, settings, files)
    return link_plan(plan_files, [validate_phase(file) for file in plan_files.phases], diagnostics, today)


def read_plan(
    root: Path,
    diagnostics: Diagnostics,
    settings: Settings | None = None,
    files: Files | None = None,
    parse_ahead: bool = True,
    keyed: bool = False,
) -> PlanFiles:
    """Read the plan's files and validate all but the phases (``PlanFiles.phases``: validated one by one).

    ``files``: the plan's files already parsed (ahead on every core, or by
    the live preview, by stamp). Without them, a large plan's files are
    parsed on every core first, unless ``parse_ahead`` is off (a warm
    build, which parses only the files it does not have). With ``keyed``,
    each phase file carries a key (``PhaseFile.digest``), and so do the
    phases, rows and pages made of it: for a build that keeps its results.
    """
    if settings is None:
        settings = load_settings(root, diagnostics)
    if not (root / "content").is_dir():
        diagnostics.error("content", None, None, msg("no_content"))
    # the live preview: the last listing while no folder of it changed (a file may come or go without an event)
    sources = files.listing("sources", partial(discover, root)) if isinstance(files, Stamped) else discover(root)
    if files is None and parse_ahead:  # a large plan's files are parsed on every core first
        from pacsite.load import processes as parallel

        jobs = parallel.workers(len(sources), parallel.MIN_FILES_PER_WORKER)
        if jobs > 1:
            files = Files(once=True)
            parallel.parse_files([s.path for s in sources
                                  if s.kind != "refused" and s.path.suffix in (".md", ".yaml", ".yml")],
                                 files, jobs)
    loader = Reader(settings, diagnostics, files)
    by_kind: dict[str, list[Source]] = {}
    for source in sources:
        by_kind.setdefault(source.kind, []).append(source)
    for refused in by_kind.get("refused", []):  # links out of the plan, or that loop: never read
        diagnostics.error(refused.rel, None, None, refused.problem or msg("link_outside", target="?"))
    for stray in by_kind.get("stray", []):
        if stray.path.suffix in (".md", ".yaml", ".yml"):
            diagnostics.warning(stray.rel, None, None, msg("stray_file"))
    for people_source in by_kind.get("people", []):
        _load_people(loader, people_source)
    header = _load_header(loader, by_kind.get("header", []))
    objectives = _load_objectives(loader, by_kind.get("objective", []))
    families = read_families(loader, root, by_kind, frozenset(o.id for o in objectives), keyed)
    pages = _load_pages(loader, by_kind.get("page", []))
    people_rel = by_kind["people"][0].rel if by_kind.get("people") else None
    return PlanFiles(root, settings, sources, header, loader.people, objectives, families, pages, people_rel,
                     loader.people_broken, loader.unchecked_people, files)


def link_plan(plan_files: PlanFiles, validated: list[Validated], diagnostics: Diagnostics,
              today: date | None = None) -> Plan:
    """The ``Plan`` of the files read and of their phases validated (``validated``, in ``PlanFiles.phases``' order)."""
    for result in validated:
        diagnostics.items.extend(result.diagnostics.items)
        diagnostics.fixes.extend(result.diagnostics.fixes)
    families = link_families(plan_files.families, validated, diagnostics)
    unchecked = plan_files.unchecked_people + sum(result.unchecked_people for result in validated)
    if unchecked and plan_files.people_source:
        diagnostics.error(plan_files.people_source, plan_files.people_broken, None,
                          msg("people_unchecked", n=unchecked))
    files = plan_files.files
    if files is not None and files.once:  # files parsed ahead for this load: their texts are in the plan now
        files.release()
    settings = plan_files.settings
    title, company, vision, period, body, header_rel, body_line = plan_files.header
    return Plan(
        settings=settings,
        title=settings.title or title or DEFAULT_TITLES[settings.language],
        company=company,
        vision=vision,
        period=period,
        body=body,
        people=plan_files.people,
        objectives=plan_files.objectives,
        families=families,
        pages=plan_files.pages,
        today=today or settings.today or date.today(),
        header_source=header_rel,
        body_line=body_line,
        files=_files_as_written(plan_files.root, plan_files.sources),
    )


_CARRIED = ("header", "people", "objective", "family", "page")
MAX_CARRIED = 1 << 20  # a larger file stays out of plan.xlsx (a cell holds 32 767 characters)


def _files_as_written(root: Path, sources: list[Source]) -> tuple[tuple[str, str], ...]:
    """The plan's files other than phases, as written: plan.xlsx carries them for ``pacsite import``.

    Read again here (a few small files) rather than kept by every parse: the
    phases, thousands of them, carry their front matter in ``Phase.front``.
    """
    out = []
    for rel, path in [(SETTINGS_FILE, root / SETTINGS_FILE),
                      *((s.rel, s.path) for s in sources if s.kind in _CARRIED)]:
        try:
            data = path.read_bytes()
            if len(data) <= MAX_CARRIED:
                out.append((rel, decode(data)))
        except (OSError, SourceError):
            continue  # missing, or already reported by its loading
    return tuple(out)


def _load_people(loader: Reader, source: Source) -> None:
    loader.has_people = True
    try:
        data, lines = parse_yaml(decode(source.path.read_bytes()), 1, "people_not_mapping")
    except (SourceError, OSError) as exc:
        loader.people_broken = getattr(exc, "line", None) or 1  # the line of the cause: the count follows it
        message = exc.message if isinstance(exc, SourceError) else msg("cannot_read", reason=str(exc))
        loader.diag.error(source.rel, getattr(exc, "line", None), getattr(exc, "key", None), message)
        return
    for person_id, raw in data.items():
        line = lines.get((person_id,))
        if not fields.looks_like_id(person_id):
            loader.diag.error(source.rel, line, person_id, msg("person_id"))
            continue
        value = {"name": raw} if isinstance(raw, str) else raw
        try:
            person = schema.PersonIn.model_validate(value)
        except ValidationError as exc:
            for err in exc.errors():
                loc = (person_id, *err["loc"])
                loader.diag.error(source.rel, lines.get(loc, line), Place(loc), problem_message(err))
            continue
        loader.people[person_id] = Person(
            person_id, person.name, person.role, person.team, person.email
        )


def _load_header(loader: Reader, sources: list[Source]) -> tuple[Any, ...]:
    empty = (None, None, None, Period(None, None), "", None, 1)
    if not sources:
        return empty
    source = sources[0]
    doc = loader.document(source, schema.HeaderIn, fields.HEADER_KEYS)
    if doc is None:
        return empty
    parsed = doc.parsed
    h: schema.HeaderIn = doc.value
    period = Period(h.period.start, h.period.end) if h.period else Period(None, None)
    if period.start and period.end and period.end < period.start:
        loader.diag.error(source.rel, doc.line("period"), Place((doc.origin.get("period", "period"), "end")),
                          msg("period_order"))
    return (h.title, h.company, h.vision, period, parsed.body, source.rel, parsed.body_line)


def _measure(m: schema.MeasureIn | None) -> Measure | None:
    return Measure(m.value, m.date, m.note) if m else None


def _load_objectives(loader: Reader, sources: list[Source]) -> tuple[Objective, ...]:
    objectives: list[Objective] = []
    for source in sources:
        doc = loader.document(source, schema.ObjectiveIn, fields.OBJECTIVE_KEYS)
        if doc is None:
            continue
        parsed = doc.parsed
        o: schema.ObjectiveIn = doc.value
        if o.baseline and o.target and o.baseline.date and o.target.date:
            if o.target.date < o.baseline.date:
                loader.diag.error(source.rel, doc.line("target"), Place((doc.origin.get("target", "target"), "date")),
                                  msg("target_before_baseline"))
        objectives.append(
            Objective(
                id=source.path.stem,
                title=o.title,
                owner=loader.owner(o.owner[0] if o.owner else None, doc, "owner"),
                metric=o.metric,
                unit=o.unit,
                direction=o.direction,
                baseline=_measure(o.baseline),
                target=_measure(o.target),
                measurements=tuple(
                    sorted((m for m in map(_measure, o.measurements) if m),
                           key=lambda m: m.date or date.min)
                ),
                body=parsed.body,
                source=source.rel,
                body_line=parsed.body_line,
            )
        )
    return tuple(objectives)

def _load_pages(loader: Reader, sources: list[Source]) -> tuple[Page, ...]:
    pages: list[Page] = []
    seen: dict[str, str] = {}
    for source in sources:
        doc = loader.document(source, schema.PageIn, fields.PAGE_KEYS)
        if doc is None:
            continue
        parsed = doc.parsed
        rel_path = Path(source.rel).relative_to("content/pages").with_suffix("")
        try:
            parts = [fields.slug_and_order(part)[0] for part in rel_path.parts]
        except Problem as exc:  # `01-..` would write outside the site
            loader.diag.error(source.rel, None, None, exc.msg)
            continue
        names = list(rel_path.parts)
        if parts[-1] == "index" and len(parts) > 1:
            parts, names = parts[:-1], names[:-1]
        slug = "/".join(parts)
        if slug in seen:  # `Étude.md` and `etude.md`: one file on a case-insensitive share
            loader.diag.error(source.rel, None, None, msg("same_url_file", other=seen[slug]))
            continue
        seen[slug] = source.rel
        title = doc.value.title
        if not title:
            heading = re.search(r"^#\s+(.+)$", parsed.body, re.MULTILINE)
            title = heading.group(1).strip() if heading else fields.title_from_slug(fields.split_order(names[-1])[0])
        order = doc.value.order if doc.value.order is not None else fields.split_order(rel_path.name)[1]
        pages.append(Page(slug, title, order, parsed.body, source.rel, parsed.body_line))
    pages.sort(key=lambda p: order_key(p.order, p.slug))
    return tuple(pages)
