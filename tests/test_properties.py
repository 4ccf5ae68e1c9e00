"""Property tests: for any plan, every table reconciles to the cent with the plan total."""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pacsite.build import plan_figures
from pacsite.figures import Amounts, compute
from pacsite.figures.money import split, spread_by_month
from pacsite.load.model import Phase
from pacsite.reuse import Reuse
from tests.plans import phase, plan

STATUSES = ("planned", "in_progress", "done", "cancelled")
OBJECTIVES = ("a", "b", "c", "d")
amounts = st.integers(min_value=0, max_value=10_000_000).map(lambda c: str(Decimal(c) / 100))
days = st.dates(min_value=date(2026, 1, 1), max_value=date(2029, 12, 31))


@st.composite
def phases(draw: st.DrawFn, index: int) -> Phase:
    start = draw(st.none() | days)
    end = None if start is None else start + timedelta(days=draw(st.integers(0, 800)))
    status = draw(st.sampled_from(STATUSES))
    finished = None
    if start is not None and status == "done" and draw(st.booleans()):
        finished = start + timedelta(days=draw(st.integers(0, 900)))
    return phase(
        slug=f"p{index}", family=draw(st.sampled_from(["f1", "f2", "f3"])), budget=draw(amounts),
        spent=draw(st.none() | amounts), start=start, end=end, status=status,
        owner=draw(st.none() | st.sampled_from(["ana", "bruno", "Agence X"])),
        contributes_to=tuple(draw(st.lists(st.sampled_from(OBJECTIVES), unique=True, max_size=4))),
        finished=finished, stage=draw(st.sampled_from(["strategic", "preparatory", "operational"])),
    )


@st.composite
def plans(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    count = draw(st.integers(0, 25))
    return plan([draw(phases(i)) for i in range(count)], today=draw(days))


@settings(max_examples=150, deadline=None)
@given(plans())
def test_every_table_reconciles_with_the_plan_total(p) -> None:  # type: ignore[no-untyped-def]
    f = compute(p)
    for name in ("by_family", "by_stage", "by_owner", "by_objective", "by_month", "by_quarter"):
        table = getattr(f, name)
        assert sum((a.planned for a in table.values()), Decimal(0)) == f.totals.planned, name
        assert sum((a.actual for a in table.values()), Decimal(0)) == f.totals.actual, name
    assert sum((pf.money.planned for pf in f.phases.values()), Decimal(0)) == f.totals.planned
    month = f"{p.today.year:04d}-{p.today.month:02d}"
    undated = f.by_month[""].planned if "" in f.by_month else Decimal(0)
    before = sum((a.planned for k, a in f.by_month.items() if k and k < month), undated)
    through = sum((a.planned for k, a in f.by_month.items() if k and k <= month), undated)
    assert before <= f.to_date.planned <= through
    for name in ("to_date_by_family", "to_date_by_stage", "to_date_by_owner", "to_date_by_objective"):
        table = getattr(f, name)
        assert sum((a.planned for a in table.values()), Decimal(0)) == f.to_date.planned, name
        assert sum((a.actual for a in table.values()), Decimal(0)) == f.totals.actual, name
    for amounts_ in f.by_month.values():
        assert amounts_.planned == amounts_.planned.quantize(Decimal("0.01"))


@settings(max_examples=300)
@given(st.integers(0, 10**9), days, st.integers(0, 2000))
def test_a_spread_sums_to_the_whole_and_is_fair(cents: int, start: date, length: int) -> None:
    months = spread_by_month(cents, start, start + timedelta(days=length))
    assert sum(months.values()) == cents
    assert list(months) == sorted(months)


@given(st.integers(0, 10**9), st.integers(1, 50))
def test_a_split_sums_to_the_whole_within_one_cent(cents: int, k: int) -> None:
    parts = split(cents, k)
    assert sum(parts) == cents and max(parts) - min(parts) <= 1
    assert parts == sorted(parts, reverse=True)


def _all_at_once(p):  # type: ignore[no-untyped-def]
    """The plan's tables grouped over every phase at once, as compute did before family parts."""
    from pacsite.figures import _ordered, phase_figures
    from pacsite.figures.budget import as_of, by_objective, group, sum_months, total

    tolerances = (p.settings.tolerance_warning, p.settings.tolerance_critical)
    phases = p.phases
    own = {x.key: phase_figures(x, p.today, tolerances) for x in phases}
    money = {k: f.money for k, (f, _) in own.items()}
    so_far = {x.key: as_of(money[x.key], own[x.key][0].planned_to_date) for x in phases}
    stages = [s.id for s in p.stages]
    objectives = [o.id for o in p.objectives] + [""]
    months = sum_months(m for _, m in own.values())
    return {
        "released": sum((m.released for m in money.values()), Decimal("0.00")),
        "to_date": total(group(phases, so_far, lambda x: "").values()),
        "by_stage": _ordered(group(phases, money, lambda x: x.stage), stages),
        "by_owner": group(phases, money, lambda x: x.owner.key if x.owner else ""),
        "by_objective": _ordered(by_objective(phases, money), objectives),
        "by_month": months,
        "to_date_by_stage": _ordered(group(phases, so_far, lambda x: x.stage), stages),
        "to_date_by_owner": group(phases, so_far, lambda x: x.owner.key if x.owner else ""),
        "to_date_by_objective": _ordered(by_objective(phases, so_far), objectives),
        "late_phases": sum(1 for f, _ in own.values() if f.late),
        "to_date_by_family": {f.slug: total(Amounts(so_far[x.key].planned, so_far[x.key].actual)
                                            for x in f.phases) for f in p.families},
    }


@settings(max_examples=150, deadline=None)
@given(plans())
def test_family_parts_add_up_to_the_tables_of_the_whole_plan(p) -> None:  # type: ignore[no-untyped-def]
    # `same`: equal to the cent *and* written alike (12.5 vs 12.50), with the same key order
    f = compute(p)
    for name, expected in _all_at_once(p).items():
        assert same(getattr(f, name), expected), name
        if isinstance(expected, dict):
            assert list(getattr(f, name)) == list(expected), name


@settings(max_examples=60, deadline=None)
@given(plans(), st.data())
def test_reused_parts_give_the_figures_of_a_fresh_computation(p, data) -> None:  # type: ignore[no-untyped-def]
    reuse = Reuse.in_memory()
    plan_figures(p, reuse)
    reuse.save()
    if p.phases:  # one phase's budget changes, as after a save in the live preview
        victim = data.draw(st.sampled_from(p.phases))
        changed = replace(victim, budget=victim.budget + Decimal("12.34"))
        p = replace(p, families=tuple(
            replace(f, phases=tuple(changed if x is victim else x for x in f.phases)) for f in p.families))
    before = reuse.made
    again = plan_figures(p, reuse)
    assert reuse.made - before == (1 if p.phases else 0)  # the changed family's part, and no other
    assert same(again, compute(p))


@settings(max_examples=100, deadline=None)
@given(plans())
def test_merged_family_rankings_are_the_plans_ranking(p) -> None:  # type: ignore[no-untyped-def]
    """The variances page merges each family's ranking: the order of one stable sort of every phase."""
    from pacsite.site.pages import _worst, ranked_rows, variance_rows
    from pacsite.site.views import PhaseRow

    f = compute(p)
    by_family = [[PhaseRow(x, f.phase(x), fam, f"{fam.slug}/{x.slug}", None) for x in fam.phases]
                 for fam in p.families]
    everything = [r for rows in by_family for r in rows]
    expected = sorted((r for r in everything if r.fig.result or r.phase.spent is not None or r.fig.late), key=_worst)
    merged, more = variance_rows([ranked_rows(rows) for rows in by_family])
    assert [r.path for r in merged] == [r.path for r in expected] and more == 0
    top, more = variance_rows([ranked_rows(rows) for rows in by_family], 3)
    assert [r.path for r in top] == [r.path for r in expected[:3]] and more == max(0, len(expected) - 3)


def same(a: object, b: object) -> bool:
    """Equal in every field, and written alike: ``12.5`` is not ``12.50``, ``1`` is not ``1.0`` or ``True``.

    Dataclasses field by field (``__eq__`` may leave some out), containers
    element by element (dicts in the same key order), Decimals digit for digit.
    """
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))  # type: ignore[arg-type]
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)  # type: ignore[call-overload,index]
    if isinstance(a, Decimal):
        return a.as_tuple() == b.as_tuple()  # type: ignore[attr-defined]
    if isinstance(a, float):
        return repr(a) == repr(b)
    if is_dataclass(a):
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in fields(a))
    return bool(a == b)
