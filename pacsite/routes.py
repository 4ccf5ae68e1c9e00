"""The routes stage through the reuse layer: every page of the site, in the order of the site.

Each page, or each family's pages, is made by a pure function of
``pacsite.site.pages``; this module says which one, with which inputs, and
asks the reuse layer (``Reuse.call``) for it: the result is the last build's
while its inputs are the same (their key is their digest, never typed here).
A page made that way carries its key (``PageSpec.key``), so the renderer
reuses its HTML without looking into its view. ``pacsite build`` and the
live preview call ``site_pages``; a ``Reuse()`` that keeps nothing makes
every page, and that is the clean build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from pacsite.figures import FamilyFigures, PhaseFigures, PlanFigures
from pacsite.load.history import Change, History
from pacsite.load.model import Family, Plan
from pacsite.reuse import Reuse, string_key
from pacsite.site import graphs, pages
from pacsite.site.pages import FamilyPages, Markdown, RouteContext
from pacsite.site.urls import Urls
from pacsite.site.views import PageSpec, PhaseRow

if TYPE_CHECKING:  # lazy: the trend's module reads git; the routes only name its points
    from pacsite.figures.trend import Point


def family_pages(plan: Plan, figures: PlanFigures, md: Markdown, past: History, context: RouteContext,
                 reuse: Reuse) -> list[FamilyPages]:
    """Each family's pages: its own page (kept while the family is the same, texts aside) and its phases'.

    Kept in memory only (the live preview): a family's pages take longer to read back from the pack than
    to make again (12 ms).
    """
    def chart(ctx: RouteContext, head: Family, rows: list[PhaseRow]) -> Markup | None:
        """The family's chart: the last one while its rows are the same, else while its bars are (a budget
        edit); None when nothing is kept (``family_page`` draws it)."""
        if not reuse.memory:
            return None
        return reuse.remember(reuse.key_of(pages.family_chart, ctx, head, rows),
                              lambda: reuse.call(pages.family_chart, ctx, head, graphs.bars(rows)))

    def one(family: Family, figures_of: tuple[PhaseFigures, ...], own: FamilyFigures,
            changes: tuple[Change | None, ...], ctx: RouteContext) -> FamilyPages:
        head = pages.family_head(family)
        rows = [reuse.remember(key, make, disk=False) if key else make() for key, make in reuse.call(
            pages.family_rows, head, family.phases, figures_of, ctx, attribute="digest_without_body",
            disk=False)]
        if ctx.defer and not reuse.memory:  # pacsite build: the page's worker makes it, if it is not in the store
            page = pages.lazy_family_page(head, rows, own, changes[0], ctx, md, reuse.key_of(
                pages.family_page, head, rows, own, changes[0], ctx, md) if reuse.folder else None)
        else:
            key, page = reuse.keyed(pages.family_page, head, rows, own, changes[0], ctx, md,
                                    chart(ctx, head, rows), disk=False)
            if key:
                page = replace(page, page=replace(page.page, key=key))
        recipes = reuse.call(pages.phase_pages, head, family.phases, rows, changes[1:], ctx, md, disk=False)
        phases = [reuse.remember(key, make, disk=False) if key else make() for key, make in recipes]
        return FamilyPages(page, [spec for spec, _ in phases], tuple(e for _, errors in phases for e in errors))

    made = []
    for family, figures_of, own, changes, ctx in pages.family_inputs(plan, figures, past, context):
        part = figures.parts.get(family.slug, "")
        if reuse.memory and family.digest and part and ctx.digest and md.digest:
            # a save changes one family: the others' pages are the last ones, by one key each (what they are
            # made of: the family, its figures' part, the commits of its files, the context, where links lead)
            key = string_key("family pages", reuse.namespace, family.digest, part, ctx.digest, md.digest,
                             *(change.commit if change else "" for change in changes))
            made.append(reuse.remember(key, partial(one, family, figures_of, own, changes, ctx), disk=False))
        else:
            made.append(one(family, figures_of, own, changes, ctx))
    return made


def site_pages(plan: Plan, figures: PlanFigures, md: Markdown, past: History, trend: tuple[Point, ...],
               context: RouteContext, reuse: Reuse) -> list[PageSpec]:
    """Every page of the site, in a stable order; the texts' broken links are left in ``md.errors``."""
    families = family_pages(plan, figures, md, past, context, reuse)
    for part in families:
        md.errors.extend(part.family.errors + part.errors)
    tables = pages.tables(families)
    heads, by_family, urls = tables.heads, tables.by_family, Urls(plan.settings.language)

    def made(stage: Callable[..., PageSpec], *inputs: Any) -> PageSpec:
        """A page from the reuse layer, with its key."""
        key, page = reuse.keyed(stage, *inputs, disk=False)
        return replace(page, key=key) if key else page

    def analysed(rows: list[PhaseRow], page: str) -> list[PhaseRow]:
        """The rows with their analyses for ``page``: the last ones while the rows are the same, else each
        analysis from the reuse layer (a budget edit renders no text again); their broken links join ``md``'s."""
        if reuse.memory:
            done, errors = reuse.remember(
                reuse.key_of(pages.analysed_rows, rows, md, page),
                lambda: pages.with_analyses(rows, [reuse.call(pages.text_html, md, *pages.analysis_text(r, page))
                                                   for r in rows]))
        else:
            done, errors = pages.analysed_rows(rows, md, page)
        md.errors.extend(errors)
        return done

    def texts(which: list[tuple[str | None, str, int, str]]) -> list[pages.Text]:
        """Texts' HTML from the reuse layer (the last build's while the text and every link target are the
        same); their broken links join ``md``'s."""
        htmls = [reuse.call(pages.text_html, md, *text, disk=False) for text in which]
        for _, _, errors in htmls:
            md.errors.extend(errors)
        return htmls

    site = [pages.home_page(plan, figures, tables, texts(pages.home_texts(plan)), past, trend)]
    if tables.large:  # one page per family under an overview
        site.append(pages.plan_overview(context, heads, {f.slug: len(f.phases) for f in plan.families}))
        site += [made(pages.plan_part, context, heads, h, analysed(by_family[h.slug], urls.plan_part(h.slug)),
                      figures.families[h.slug]) for h in heads]
    else:
        site.append(made(pages.plan_page, context, heads, analysed(tables.rows, urls.section("plan"))))
    site += [page for part in families for page in (part.family.page, *part.phases)]
    site.append(made(pages.budget_page, context, heads, figures, plan.stages,
                     tuple((o.id, o.title) for o in plan.objectives), pages.owner_names(plan)))
    chart = Markup("") if tables.large else \
        reuse.call(pages.timeline_chart, context, heads, graphs.bars(tables.rows), disk=False)
    site.append(made(pages.timeline_page, context, tables, chart))
    ranked = [reuse.call(pages.ranked_rows, by_family[h.slug], disk=False) for h in heads]  # a save sorts one family
    corrective = pages.corrective_items(tables.rows, plan.today, urls)
    worst, more = reuse.call(pages.variance_rows, ranked, pages.LIST_LIMIT if tables.large else None, disk=False)
    site.append(made(pages.variances_page, context, heads, analysed(worst, urls.section("variances")), more,
                     (len(corrective), sum(1 for v in corrective if v.late))))
    site += [made(pages.family_variances_page, context, h, analysed(r, urls.family_variances(h.slug)),
                  pages.sidebar_window(by_family[h.slug], None)) for h, r in zip(heads, ranked, strict=True)]
    site.append(pages.corrective_page(context, corrective))
    site += [pages.objectives_page(plan, figures, tables, texts(pages.objective_texts(plan))),
             pages.people_page(plan, figures, tables)]
    site += [*pages.free_pages(plan, texts(pages.free_texts(plan)), past),
             *pages.changes_pages(plan, trend, context.draw, past), *pages.closing_pages(context)]
    return site
