"""Action families and their phases: ``content/actions/NN-slug/`` folders -> Family, Phase.

Split from ``loader`` so that each module keeps one job; the checks that
need several files at once (owners, objectives, URLs) happen here too.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from functools import partial
from pathlib import Path

from pacsite.errors import Diagnostic, Diagnostics
from pacsite.load import fields, schema
from pacsite.load.frontmatter import file_digest
from pacsite.load.model import BudgetLine, CorrectiveAction, Family, Owner, Phase, PhaseObjective, Result
from pacsite.load.reading import Reader
from pacsite.load.sources import Source, family_dirs
from pacsite.messages import Place, Problem, msg, quote
from pacsite.reuse import digest

ZERO = Decimal("0.00")
_ANALYSIS_HEADING = re.compile(
    r"^(#{1,6})\s+(analyse des [ée]carts|analyse [ée]carts|variance analysis|analysis)\s*#*\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def order_key(order: int | None, slug: str) -> tuple[bool, int, str]:
    """Items with an order come first, by order, then the others by name."""
    return (order is None, order or 0, slug)

def load_families(
    loader: Reader, root: Path, by_kind: dict[str, list[Source]], objective_ids: frozenset[str]
) -> tuple[Family, ...]:
    index = {s.family_dir: s for s in by_kind.get("family", [])}
    phases_by_dir: dict[str, list[Source]] = {}
    for source in by_kind.get("phase", []):
        phases_by_dir.setdefault(source.family_dir or "", []).append(source)
    default_stage = loader.settings.stages[-1].id
    families: list[Family] = []
    seen: dict[str, str] = {}
    folders = family_dirs(root)
    for folder in folders:
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
        phases = _load_family_phases(loader, phases_by_dir.get(folder, []), slug, stage, owners, objective_ids)
        phase_seen: dict[str, str] = {}
        for phase in phases:
            if phase.slug in phase_seen:
                loader.diag.error(phase.source, None, None, msg("same_url_file", other=phase_seen[phase.slug]))
            phase_seen[phase.slug] = phase.source
        phases.sort(key=lambda p: order_key(p.order, p.slug))
        family = Family(slug, title, order, stage, owners[0] if owners else None, summary, envelope,
                        tuple(phases), body, rel, body_line, key_lines, owners).keyed()
        families.append(family)
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

def _load_family_phases(
    loader: Reader, sources: list[Source], family_slug: str, family_stage: str,
    family_owner: tuple[Owner, ...], objective_ids: frozenset[str],
) -> list[Phase]:
    """Validate a family's phase files, or take each from the store (``loader.reuse``) when its key is there."""
    if loader.reuse is not None and loader.reuse.active:
        return _stored_phases(loader, sources, family_slug, family_stage, family_owner, objective_ids)
    return [p for p in (_load_phase(loader, s, family_slug, family_stage, family_owner, objective_ids)
                        for s in sources) if p is not None]


def _stored_phases(
    loader: Reader, sources: list[Source], family_slug: str, family_stage: str,
    family_owner: tuple[Owner, ...], objective_ids: frozenset[str],
) -> list[Phase]:
    """Validate a family's phase files, or take them from the store of the last build.

    A phase is the product of its file's bytes, its path and its context
    (the family's defaults, the objectives, the people, the settings): those
    are its key. Its diagnostics are stored with it and said again. A
    family whose files are all the same costs one digest, not one per phase
    (the live preview rebuilds on every save); each phase is still looked up
    under its own key, where it is stored once.
    """
    reuse = loader.reuse
    assert reuse is not None
    context = reuse.key("phase", family_slug, family_stage, family_owner, sorted(objective_ids),
                        loader.settings, loader.people, loader.has_people)
    files = [(source, *_read(loader, source)) for source in sources]
    readable = [(source, d, data) for source, d, data in files if d is not None]
    # a family's phases' keys are themselves stored under the family's: a family whose files are all
    # the same costs one digest, not one per phase
    keys = reuse.remember(digest(context, [(source.rel, d) for source, d, _ in readable]),
                          lambda: [digest(context, source.rel, d) for source, d, _ in readable])
    in_order = iter(keys)  # the readable files' keys, in the files' order
    phases = []
    for source, read_digest, data in files:
        if read_digest is None:  # unreadable: said by the validation, where it always is
            phase, said = _validated(loader, source, family_slug, family_stage, family_owner, objective_ids)
        else:
            key = next(in_order)
            phase, said = reuse.remember(key, partial(_validated, loader, source, family_slug, family_stage,
                                                      family_owner, objective_ids, data, key, context))
        loader.diag.items.extend(said)
        if phase is not None:
            phases.append(phase)
    return phases


def _read(loader: Reader, source: Source) -> tuple[bytes | None, bytes | None]:
    """The digest of a file's bytes (None if it cannot be read), and the bytes if they were read here.

    Parsed ahead on every core (a cold build) or stamped by the live
    preview, its digest is known; else the file is read (a warm build).
    """
    try:
        if loader.cache is not None:
            return loader.cache.parsed(source.path)[0], None
        data = source.path.read_bytes()
        return file_digest(data), data
    except OSError:
        return None, None


def _validated(
    loader: Reader, source: Source, family_slug: str, family_stage: str, family_owner: tuple[Owner, ...],
    objective_ids: frozenset[str], data: bytes | None = None, key: str = "", context: str = "",
) -> tuple[Phase | None, list[Diagnostic]]:
    """A phase validated from ``data`` (or its file), with what it said; with its key and the key of it
    without its body, made of its front matter, its analysis section and where the body starts
    (``pacsite.site.pages._without_body``): tables show that, not the text."""
    outer, loader.diag = loader.diag, Diagnostics()
    if data is not None:
        loader.texts[source.path] = data
    try:
        made = _load_phase(loader, source, family_slug, family_stage, family_owner, objective_ids)
        if made is not None and key:
            made = replace(made, digest=key, digest_without_body=digest(
                context, source.rel, made.front, made.analysis, made.body_line))
        return made, loader.diag.items
    finally:
        loader.diag = outer
        loader.texts.pop(source.path, None)


def _load_phase(
    loader: Reader, source: Source, family_slug: str, family_stage: str,
    family_owner: tuple[Owner, ...], objective_ids: frozenset[str],
) -> Phase | None:
    doc = loader.document(source, schema.PhaseIn, fields.PHASE_KEYS)
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
    )

