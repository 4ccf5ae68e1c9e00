"""Property tests: for any plan, every table reconciles to the cent with the plan total."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pacsite.figures import compute
from pacsite.figures.money import split, spread_by_month
from pacsite.model import Phase
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
