"""Action families and their phases: ``content/actions/NN-slug/`` folders -> Family, Phase.

Split from ``loader`` so that each module keeps one job; the checks that
need several files at once (owners, objectives, URLs) happen here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pacsite.errors import Diagnostics
from pacsite.load import fields, schema
from pacsite.load.frontmatter import Parsed, SourceError, file_digest
from pacsite.load.model import BudgetLine, CorrectiveAction, Family, Owner, Person, Phase, PhaseObjective, Result
from pacsite.load.reading import Reader
from pacsite.load.settings import Settings
from pacsite.load.sources import Source, family_dirs
from pacsite.messages import Place, Problem, msg, quote
from pacsite.reuse import Keyed, digest, string_key

ZERO = Decimal("0.00")
_ANALYSIS_HEADING = re.compile(
    r"^(#{1,6})\s+(analyse des [ée]carts|analyse [ée]carts|variance analysis|analysis)\s*#*\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def order_key(order: int | None, slug: str) -> tuple[bool, int, str]:
    """Items with an order come first, by order, then the others by name."""
    return (order is None, order or 0, slug)

@dataclass(frozen=True)
class PhaseContext(Keyed):
    """What validating a phase reads besides its file: its family's defaults, the objectives' ids and
    people.yaml (read from the settings and the people it names). ``digest`` is a digest of all of it."""

    family: str
    stage: str
    owners: tuple[Owner, ...]
    objective_ids: tuple[str, ...]  # sorted
    settings: Settings
    people: dict[str, Person]
    names: dict[str, tuple[Person, ...]]  # the same by name (``Reader.names``), made once
    has_people: bool
    people_broken: int
    digest: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True)
class PhaseFile(Keyed):
    """One phase file as read, in its context: ``validate_phase``'s input.

    ``content`` is its bytes (read here), or what they parse to (parsed
    ahead on every core, or by the live preview), or why it could not be
    read. Its key (``digest``) is made of its bytes, its path and its
    context; "" when it could not be read (then it is keyed by what it
    is), or when no key is wanted (``read_plan``'s ``keyed``).
    """

    source: Source
    content: bytes | Parsed | SourceError | str
    context: PhaseContext
    digest: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True)
class Validated:
    """A phase validated from its file (None when it has errors), with what its validation said."""

    phase: Phase | None
    diagnostics: Diagnostics
    unchecked_people: int  # owners left unchecked because people.yaml cannot be read


@dataclass(frozen=True)
class FamilyHead:
    """A family folder read, but for its phases: ``link_families`` makes the ``Family`` once they are validated."""

    slug: str
    title: str
    order: int | None
    stage: str
    owners: tuple[Owner, ...]
    summary: str | None
    envelope: Decimal | None
    body: str
    source: str | None
    body_line: int
    key_lines: dict[str, int]
    phases: tuple[PhaseFile, ...]


def read_families(
    loader: Reader, root: Path, by_kind: dict[str, list[Source]], objective_ids: frozenset[str], keyed: bool
) -> list[FamilyHead]:
    """Read each family folder's index and list its phase files, each with its context (and their keys, if
    ``keyed``: the phases and every row, page and table made of them then carry keys, worth their cost only
    when the results are kept)."""
    names = loader.names()  # people by name, for every phase's owners
    ids = tuple(sorted(objective_ids))  # sorted: a frozenset's order, and so its digest, changes with each process
    # what every family's context shares, digested once (the settings and the people: a tenth of a ms each time)
    shared = digest(ids, loader.settings, loader.people, loader.has_people, loader.people_broken) if keyed else ""
    index = {s.family_dir: s for s in by_kind.get("family", [])}
    phases_by_dir: dict[str, list[Source]] = {}
    for source in by_kind.get("phase", []):
        phases_by_dir.setdefault(source.family_dir or "", []).append(source)
    default_stage = loader.settings.stages[-1].id
    heads: list[FamilyHead] = []
    seen: dict[str, str] = {}
    for folder in family_dirs(root):
        where = f"content/actions/{folder}"
        try:
            slug, prefix_order = fields.slug_and_order(folder)
        except Problem as exc:  # `99-..` would be the home page: its phases are not read either
            loader.diag.error(where, None, None, exc.msg)
            continue
        if slug in seen:
            loader.diag.error(where, None, None, msg("same_url_folder", other=f"content/actions/{seen[slug]}"))
            continue
        seen[slug] = folder
        title, order, stage, summary, envelope = (
            fields.title_from_slug(fields.split_order(folder)[0]), prefix_order, default_stage, None, None)
        owners: tuple[Owner, ...] = ()
        body, body_line, rel = "", 1, None
        key_lines: dict[str, int] = {}
        index_source = index.get(folder)
        if index_source is None:
            loader.diag.warning(where, None, None, msg("family_without_index"))
        else:
            doc = loader.document(index_source, schema.FamilyIn, fields.FAMILY_KEYS)
            if doc:
                parsed = doc.parsed
                f: schema.FamilyIn = doc.value
                title, summary, envelope = f.title, f.summary, f.budget
                order = f.order if f.order is not None else prefix_order
                stage = loader.stage(f.stage, doc, default_stage)
                owners = loader.owners(f.owner, doc, "owner")
                body, body_line, rel = parsed.body, parsed.body_line, index_source.rel
                key_lines = {key: line for key in doc.origin if (line := doc.line(key)) is not None}
        context = PhaseContext(slug, stage, owners, ids, loader.settings, loader.people, names, loader.has_people,
                               loader.people_broken, string_key("phase context", shared, slug, stage, digest(owners))
                               if keyed else "")
        phases = tuple(_phase_file(loader, source, context) for source in phases_by_dir.get(folder, []))
        heads.append(FamilyHead(slug, title, order, stage, owners, summary, envelope, body, rel, body_line,
                                key_lines, phases))
    return heads


def _phase_file(loader: Reader, source: Source, context: PhaseContext) -> PhaseFile:
    """A phase file as read: parsed already (ahead, or by the live preview), else its bytes (parsed only if its
    key is new: a warm build parses none of the files it reuses)."""
    content: bytes | Parsed | SourceError | str
    try:
        if loader.files is not None:
            read_digest, content = loader.files.parsed(source.path)
        else:
            content = source.path.read_bytes()
            read_digest = file_digest(content)
    except OSError as exc:
        return PhaseFile(source, exc.strerror or str(exc), context)
    # its key: the context's, its bytes', its path (no hashing: 1 500 a save, each one of the store's keys)
    return PhaseFile(source, content, context,
                     context.digest and f"{context.digest}{read_digest.hex()}{source.rel}")


def validate_phase(file: PhaseFile) -> Validated:
    """A phase from its file and its context, with what its validation said: a pure function.

    The phase carries two keys: its file's, and one made of its front
    matter, its analysis section and where its body starts, without the
    body (``digest_without_body``): tables show that, not the text.
    """
    context, diagnostics = file.context, Diagnostics()
    loader = Reader(context.settings, diagnostics, None)
    loader.people, loader.has_people, loader.people_broken = context.people, context.has_people, \
        context.people_broken
    loader.known_names(context.names)
    parsed = loader.parsed(file.source, file.content)
    phase = None if parsed is None else _load_phase(loader, file, parsed)
    return Validated(phase, diagnostics, loader.unchecked_people)


def link_families(heads: list[FamilyHead], validated: list[Validated], diagnostics: Diagnostics) -> tuple[Family, ...]:
    """The families, each with its phases validated (``validated``: the heads' phase files', in order)."""
    results = iter(validated)
    families = []
    for head in heads:
        phases = [v.phase for _, v in zip(head.phases, results, strict=False) if v.phase is not None]
        phase_seen: dict[str, str] = {}
        for phase in phases:
            if phase.slug in phase_seen:
                diagnostics.error(phase.source, None, None, msg("same_url_file", other=phase_seen[phase.slug]))
            phase_seen[phase.slug] = phase.source
        phases.sort(key=lambda p: order_key(p.order, p.slug))
        families.append(Family(head.slug, head.title, head.order, head.stage, head.owners[0] if head.owners else None,
                               head.summary, head.envelope, tuple(phases), head.body, head.source, head.body_line,
                               head.key_lines, head.owners).keyed())
    families.sort(key=lambda f: order_key(f.order, f.slug))
    return tuple(families)


_UNREAD = {"no_number": "result_no_number", "unclear_number": "result_unclear_number",
           "too_large": "result_number_too_large"}


def _numeric_target(p: schema.PhaseIn) -> bool:
    return p.objective is not None and p.objective.target is not None


def _split_analysis(body: str) -> tuple[str, str | None, int]:
    """Take an 'Analyse des écarts' section out of a body: (body, section, line offset)."""
    match = _ANALYSIS_HEADING.search(body)
    if not match:
        return body, None, 0
    level = len(match.group(1))
    rest = body[match.end():]
    end = re.search(rf"^#{{1,{level}}}\s", rest, re.MULTILINE)
    section = rest[: end.start()] if end else rest
    remaining = body[: match.start()] + (rest[end.start():] if end else "")
    offset = body.count("\n", 0, match.end()) + 1
    return remaining, section.strip("\n") or None, offset

def _load_phase(loader: Reader, file: PhaseFile, parsed_file: Parsed) -> Phase | None:
    source, context = file.source, file.context
    family_slug, family_stage, family_owner, objective_ids = (context.family, context.stage, context.owners,
                                                              context.objective_ids)
    doc = loader.validate(source, parsed_file, schema.PhaseIn, fields.PHASE_KEYS)
    if doc is None:
        return None
    parsed = doc.parsed
    p: schema.PhaseIn = doc.value
    rel, diag = source.rel, loader.diag
    errors_before = len(diag.errors)
    try:
        slug, prefix_order = fields.slug_and_order(source.path.stem)
    except Problem as exc:
        diag.error(rel, None, None, exc.msg)
        slug, prefix_order = "", None  # the file's other errors are reported too; no phase comes of it
    owners = loader.owners(p.owner, doc, "owner")
    if not owners and not p.owner:
        owners = family_owner
    lines_given = isinstance(parsed.data.get(doc.origin.get("budget", "budget")), list)
    budget_lines = tuple(BudgetLine(b.label or "", b.amount, b.spent) for b in (p.budget or []))
    line_spent = [b.spent for b in budget_lines if b.spent is not None]
    if p.spent is not None and line_spent:
        diag.error(rel, doc.line("spent"), doc.origin["spent"], msg("spent_twice"))
    spent = p.spent
    if spent is None and line_spent:
        spent = sum(line_spent, ZERO)
    start, end = p.start, p.end
    if start and end and end < start:
        diag.error(rel, doc.line("end"), doc.origin["end"],
                   msg("end_before_start", end=end.isoformat(), start=start.isoformat(),
                       start_key=quote(doc.origin.get("start", "start"))))
    if p.finished and start and p.finished < start:
        diag.error(rel, doc.line("finished"), doc.origin["finished"],
                   msg("finished_before_start", finished=p.finished.isoformat(), start=start.isoformat(),
                       start_key=quote(doc.origin.get("start", "start"))))
    if start is None or end is None:  # a single date makes a milestone
        start = end = start or end
    for index, target in enumerate(p.contributes_to):
        if target not in objective_ids:
            guess = fields.nearest(target, {k: k for k in objective_ids})
            where = Place((doc.origin["contributes_to"], index)) if len(p.contributes_to) > 1 else \
                doc.origin["contributes_to"]
            diag.error(rel, doc.line("contributes_to", index), where,
                       msg("unknown_objective_suggest", name=quote(target), guess=quote(guess)) if guess
                       else msg("unknown_objective", name=quote(target)))
    results = []
    for index, r in enumerate(p.result):
        value = r.value
        if r.from_text and r.text and _numeric_target(p):
            # SPEC §2: its first number not part of a date; unclear text stays text, and says so
            value, unread = fields.result_value(r.text)
            if unread is not None:
                where = Place((doc.origin["result"], index)) if len(p.result) > 1 else doc.origin["result"]
                diag.warning(rel, doc.line("result", index) if len(p.result) > 1 else doc.line("result"), where,
                             msg(_UNREAD[unread], text=quote(r.text)))
        results.append(Result(r.text or r.note, value, r.date))
    corrective = tuple(
        CorrectiveAction(c.title, owners_[0] if owners_ else None, c.due, c.status, owners_)
        for i, c in enumerate(p.corrective_actions)
        for owners_ in (loader.owners(c.owner, doc, "corrective_actions", i, "owner"),)
    )
    if len(diag.errors) > errors_before:
        return None  # inconsistent dates or amounts must not reach the figures
    body, analysis, _ = (parsed.body, p.analysis, 0)
    if analysis is None:
        body, analysis, _ = _split_analysis(parsed.body)
    objective = None
    if p.objective is not None:
        spec = p.objective
        objective = PhaseObjective(spec.text, spec.target, spec.unit, spec.direction)
    return Phase(
        slug=slug,
        family_slug=family_slug,
        title=p.title,
        order=p.order if p.order is not None else prefix_order,
        stage=loader.stage(p.stage, doc, family_stage),
        owners=owners,
        budget=sum((b.amount for b in budget_lines), ZERO),
        budget_lines=budget_lines if lines_given else (),
        spent=spent,
        start=start,
        end=end,
        finished=p.finished,
        status=p.status,
        objective=objective,
        results=tuple(results),
        analysis=analysis,
        corrective_actions=corrective,
        contributes_to=tuple(dict.fromkeys(p.contributes_to)),
        tags=tuple(p.tags),
        body=body,
        source=rel,
        body_line=parsed.body_line,
        front=parsed.front,
        extra=doc.extra,
        lines={key: line for key in doc.origin if (line := doc.line(key)) is not None},
        written=dict(doc.origin),
        digest=file.digest,
        digest_without_body=string_key("phase", context.digest, rel, repr(parsed.front), repr(analysis),
                                       str(parsed.body_line)) if file.digest else "",
    )

