"""The live preview's fast path: the edited phase's own page, before the rest of the site.

When one phase file changed, its page depends on that file, its family's
own fields, its neighbours' titles and the site-wide view (``phase_page``
says so), all known from the last good build. So it can be validated,
computed, rendered and written alone, in a few milliseconds whatever the
size of the plan, and the browser showing it reloads at once. The whole
build follows at once and is the authority: it renders the same page from
the same memos, finds the same bytes and does not write it again; if
anything differs (a case this path did not foresee) it writes its own.
Like Hugo's fast render mode, this trades nothing in the end result.
"""

from __future__ import annotations

from pathlib import Path

from pacsite.errors import Diagnostics
from pacsite.families import reload_phase
from pacsite.figures import phase_figures
from pacsite.format import Formatter
from pacsite.i18n import translator
from pacsite.loader import _Loader
from pacsite.memo import BuildCache
from pacsite.output import build_lock, output_id, write_file
from pacsite.pages import Link, Markdown, PhaseRow, phase_page
from pacsite.render import render_pages
from pacsite.sources import Source, link_problem
from pacsite.urls import Urls


def render_phase_first(root: Path, paths: list[Path], out: Path, cache: BuildCache) -> str | None:
    """Write the page of the one changed phase file; return its output path, or None to skip.

    ``paths`` are the paths the watcher reported: one phase file, and maybe
    an editor's temporary file already gone (sed -i, some plug-ins). Skips
    (and lets the whole build do everything) when there is no good build to
    start from, when anything of the plan was deleted or more than one file
    changed, when the file is not a phase of it, when the phase now has
    errors or moved in its family's order.
    """
    last = cache.last
    if last is None or cache.written is None:
        return None
    plan = last.plan
    gone = [p for p in paths if not p.exists()]
    if gone:  # a file of the plan deleted: links and lists change (the plan's files as text: no 1 500 Paths)
        known = {s for s in (plan.header_source, *(p.source for p in plan.phases),
                             *(f.source for f in plan.families), *(o.source for o in plan.objectives),
                             *(p.source for p in plan.pages)) if s}
        copies = set(last.copies.values())
        if any(p in copies or (p.is_relative_to(root) and p.relative_to(root).as_posix() in known) for p in gone):
            return None
    present = [p for p in paths if p.exists()]
    if len(present) != 1 or not present[0].is_relative_to(root):
        return None
    changed = present[0]
    if changed.is_symlink() and link_problem(changed, root.resolve()) is not None:
        return None  # now a link out of the plan: the whole build refuses it, this page must not show it first
    rel = changed.relative_to(root).as_posix()
    found = next(((f, i) for f in plan.families for i, p in enumerate(f.phases) if p.source == rel), None)
    if found is None:
        return None
    family, index = found
    old = family.phases[index]
    settings = plan.settings
    diagnostics = Diagnostics()
    loader = _Loader(settings, diagnostics, cache)
    loader.people, loader.has_people = plan.people, bool(plan.people)
    source = Source("phase", changed, rel, Path(rel).parent.name)
    phase = reload_phase(loader, source, family, frozenset(o.id for o in plan.objectives))
    if phase is None or diagnostics.has_errors() or (phase.slug, phase.order) != (old.slug, old.order):
        return None
    tolerances = (settings.tolerance_warning, settings.tolerance_critical)
    fig, _ = phase_figures(phase, plan.today, tolerances, cache.figures)
    urls, t = Urls(settings.language), translator(settings.language)
    family_page = next(p for p in last.pages if p.path == urls.family(family.slug))
    rows: list[PhaseRow] = list(family_page.context["rows"])
    owner = phase.owner
    rows[index] = PhaseRow(cache.without_body(phase), fig, rows[index].family, rows[index].path,
                           urls.person(owner.key) if owner else None)
    head = cache.families.peek(("head", family.slug), (None, None))[1]
    md = Markdown(plan, urls, last.links, cache.markdown)
    past = cache.last_listing("history")
    spec = phase_page(plan, rows, index, head or family, md, urls, t, Link(t["home"], urls.home), phase,
                      fmt=Formatter(settings), changed=past.files.get(phase.source) if past else None)
    if md.errors:
        return None
    env = cache.environment(settings)
    html = render_pages(env, [spec], last.view, last.figures, cache.pages)[spec.path]
    with build_lock(out, settings.language):
        if output_id(out) != cache.output_id:  # another build replaced the folder: the whole build rewrites it
            return None
        return spec.path if write_file(out, spec.path, html, cache.written) else None
