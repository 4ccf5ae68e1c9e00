"""Figures against cases worked out by hand (SPEC §3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest

from pacsite.figures import compute
from pacsite.figures.money import split, spread_by_month
from pacsite.figures.progress import progress
from pacsite.figures.variance import current_result, objective_variance
from pacsite.load.model import Measure, Objective, PhaseObjective, Result
from tests.conftest import REPO
from tests.plans import phase, plan

W, C = D("0.05"), D("0.15")


def test_month_spread_with_a_remainder() -> None:
    # 100.01 EUR over 31 Jan, 1 Feb, 2 Feb: 10001 cents / 3 days = 3333 rest 2,
    # so 31 Jan and 1 Feb get 3334, 2 Feb 3333: January 33.34, February 66.67.
    assert spread_by_month(10001, date(2027, 1, 31), date(2027, 2, 2)) == {"2027-01": 3334, "2027-02": 6667}


def test_a_phase_straddling_the_year_end() -> None:
    # 1000.01 EUR over 31 Dec 2027 and 1 Jan 2028: 50001 + 50000 cents.
    p = phase(budget="1000.01", start=date(2027, 12, 31), end=date(2028, 1, 1))
    f = compute(plan([p]))
    assert f.by_month["2027-12"].planned == D("500.01")
    assert f.by_month["2028-01"].planned == D("500.00")
    assert f.by_quarter["2027-Q4"].planned == D("500.01")
    assert f.by_quarter["2028-Q1"].planned == D("500.00")


def test_a_one_third_split_between_objectives() -> None:
    # 100.00 EUR serving a, b, c: 3334, 3333, 3333 cents, the first listed gets the cent.
    assert split(10000, 3) == [3334, 3333, 3333]
    p = phase(budget="100", spent="10", contributes_to=("c", "a", "b"))
    f = compute(plan([p]))
    assert f.by_objective["c"].planned == D("33.34")
    assert f.by_objective["a"].planned == D("33.33")
    assert f.by_objective["b"].actual == D("3.33")
    assert f.by_objective["c"].actual == D("3.34")


def test_unlinked_phases_go_under_the_empty_key() -> None:
    f = compute(plan([phase(budget="5")]))
    assert f.by_objective == {"": f.totals}


@pytest.mark.parametrize(
    "value, status",
    [("4", "met"), ("5", "met"), ("5.25", "on_track"), ("5.5", "watch"), ("5.75", "watch"), ("5.76", "off_track")],
)
def test_a_decrease_direction_objective(value: str, status: str) -> None:
    # Delivery time target 5 days, lower is better: 5.25 is 5 % short (inclusive), 5.75 is 15 %.
    objective = PhaseObjective("délai", D("5"), "jours", "decrease")
    result = objective_variance(objective, Result(None, D(value)), W, C)
    assert result is not None and result.status == status


def test_an_increase_objective_gap_and_thresholds() -> None:
    objective = PhaseObjective("leads", D("200"))
    v = objective_variance(objective, Result(None, D("170")), W, C)
    assert v is not None
    assert (v.status, v.gap, v.gap_pct, v.shortfall) == ("watch", D("-30"), Fraction(-3, 20), Fraction(3, 20))
    off = objective_variance(objective, Result(None, D("169")), W, C)
    assert off is not None and off.status == "off_track"
    assert objective_variance(objective, None, W, C).status == "pending"  # type: ignore[union-attr]
    assert objective_variance(PhaseObjective("texte"), Result(None, D("1")), W, C) is None


def test_an_interim_result_is_not_judged_before_the_end() -> None:
    objective = PhaseObjective("prescripteurs", D("40"))
    interim = objective_variance(objective, Result(None, D("21")), W, C, final=False)
    assert interim is not None and (interim.status, interim.gap) == ("pending", D("-19"))
    early = objective_variance(objective, Result(None, D("41")), W, C, final=False)
    assert early is not None and early.status == "met"
    open_phase = phase(budget="1", start=date(2027, 1, 1), end=date(2027, 12, 15), status="in_progress",
                       objective=objective, results=(Result(None, D("21"), date(2027, 6, 1)),))
    assert compute(plan([open_phase])).phases["f/p"].objective_status == "pending"
    late_phase = phase(budget="1", start=date(2027, 1, 1), end=date(2027, 6, 15), status="in_progress",
                       objective=objective, results=(Result(None, D("21"), date(2027, 6, 1)),))
    assert compute(plan([late_phase])).phases["f/p"].objective_status == "off_track"


def test_the_latest_result_on_or_before_today_counts() -> None:
    results = (Result("a", D("1"), date(2027, 5, 1)), Result("b", D("2"), date(2027, 6, 30)),
               Result("c", D("3"), date(2027, 7, 1)))
    assert current_result(results, date(2027, 6, 30)).text == "b"  # type: ignore[union-attr]
    assert current_result(results, date(2027, 4, 1)) is None


def test_cancelled_phase_counts_only_what_it_spent() -> None:
    f = compute(plan([phase(budget="1000", spent="300", status="cancelled", end=date(2027, 1, 1),
                            start=date(2027, 1, 1))]))
    money = f.phases["f/p"].money
    assert (money.planned, money.actual, money.released) == (D("300.00"), D("300.00"), D("700.00"))
    assert f.totals.planned == D("300.00") and f.released == D("700.00")
    assert f.late_phases == 0  # a cancelled phase is never late


def test_lateness_and_schedule_variance() -> None:
    late = phase("late", budget="1", start=date(2027, 5, 1), end=date(2027, 6, 20), status="in_progress")
    done = phase("done", budget="1", start=date(2027, 5, 1), end=date(2027, 6, 20), status="done",
                 finished=date(2027, 6, 25))
    f = compute(plan([late, done]))
    assert f.phases["f/late"].days_late == 10
    assert f.phases["f/done"].days_late == 0
    assert f.phases["f/done"].schedule_variance == 5
    assert f.late_phases == 1


def test_a_deposit_on_a_phase_not_started_is_spent_today() -> None:
    # A November 2028 fair judged 30 June 2027 with a 2 880 EUR deposit paid: June 2027, never 2028.
    p = phase(budget="9000", spent="2880", start=date(2028, 11, 14), end=date(2028, 11, 17), status="planned")
    f = compute(plan([p]))
    assert f.by_month["2027-06"].actual == D("2880.00") and f.by_month["2027-06"].planned == D("0.00")
    assert f.by_month["2028-11"].actual == D("0.00") and f.by_month["2028-11"].planned == D("9000.00")
    assert f.by_quarter["2027-Q2"].actual == D("2880.00")


def test_actual_spread_stops_at_today_when_not_finished() -> None:
    # Runs June-July, judged 30 June, 610 EUR spent: all of it lands in June.
    p = phase(budget="6100", spent="610", start=date(2027, 6, 1), end=date(2027, 7, 31), status="in_progress")
    f = compute(plan([p]))
    assert f.by_month["2027-06"].actual == D("610.00")
    assert f.by_month["2027-07"].actual == D("0.00")
    assert f.by_month["2027-06"].planned == D("3000.00")  # 30 of 61 days
    assert f.by_month["2027-07"].planned == D("3100.00")


def test_planned_to_date_agrees_with_the_months() -> None:
    # 6100 EUR over June-July (100 a day), judged 30 June: 3000 expected so far.
    p = phase(budget="6100", spent="610", start=date(2027, 6, 1), end=date(2027, 7, 31), status="in_progress")
    f = compute(plan([p, phase("u", budget="50")]))
    assert f.phases["f/p"].planned_to_date == D("3000.00") == f.by_month["2027-06"].planned
    assert f.to_date.planned == D("3050.00")  # the undated phase counts in full
    assert f.to_date_by_family["f"] == f.to_date


def test_undated_phases_go_under_the_empty_key() -> None:
    f = compute(plan([phase(budget="12.34", spent="1")]))
    assert f.by_month[""].planned == D("12.34") and f.by_quarter[""].actual == D("1.00")


def test_variance_percentage_is_none_without_a_plan() -> None:
    f = compute(plan([phase(budget="0", spent="10")]))
    assert f.totals.variance == D("10.00") and f.totals.variance_pct is None


def test_strategic_objective_progress_and_expected_progress() -> None:
    # From 100 on 1 Jan 2027 to 200 on 1 Jan 2028; 130 measured on 30 June.
    # Judged 2 July: progress 30/100 = 0.3, expected 182/365 of the year: behind.
    o = Objective("ca", "CA", None, None, None, "increase", Measure(D("100"), date(2027, 1, 1)),
                  Measure(D("200"), date(2028, 1, 1)),
                  (Measure(D("130"), date(2027, 6, 30)), Measure(D("190"), date(2027, 9, 1))), "", "x")
    p = progress(o, date(2027, 7, 2))
    assert p.progress == Fraction(3, 10)
    assert p.expected == Fraction(182, 365)
    assert p.ahead is False
    assert progress(o, date(2026, 12, 1)).progress is None  # no measurement yet
    assert progress(o, date(2029, 1, 1)).expected == 1  # clipped


def test_progress_is_none_when_target_equals_baseline() -> None:
    o = Objective("x", "X", None, None, None, "increase", Measure(D("5"), date(2027, 1, 1)),
                  Measure(D("5"), date(2028, 1, 1)), (Measure(D("6"), date(2027, 2, 1)),), "", "x")
    assert progress(o, date(2027, 6, 1)).progress is None


def test_envelope_remaining_and_over() -> None:
    f = compute(plan([phase(budget="900")], envelope=D("1000")))
    assert f.remaining == D("100.00")
    f = compute(plan([phase(budget="1200")], envelope=D("1000")))
    assert f.remaining == D("-200.00")


def test_by_owner_uses_the_accountable_owner() -> None:
    f = compute(plan([phase("a", budget="10", owner="claire"), phase("b", budget="5")]))
    assert f.by_owner == {"claire": f.phases["f/a"].amounts, "": f.phases["f/b"].amounts}


def test_a_generated_plans_budget_page_tells_one_story(tmp_path: Path) -> None:
    """SPEC §3: money is never spent in the future. On a generated plan of 600 phases (whose generator puts
    spending on phases not started yet), the budget page's three views agree: no quarter after today's holds
    spending, the cumulative actual line at today is the whole actual total, and at a month's end the
    cumulative planned line at today is the headline's 'prévu à date', so the headline's 'écart à date' is the
    gap between the two lines at today."""
    import importlib.util

    from pacsite.build import plan_site
    from pacsite.errors import Diagnostics
    from pacsite.figures.budget import cumulative, quarter_of

    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    generator.generate(tmp_path / "plan", 600)
    today = date(2027, 6, 30)  # a month's last day: the chart's June point is the day itself
    site = plan_site(tmp_path / "plan", Diagnostics(), today, history=False, charts=False)
    figures = site.figures
    spent_ahead = [p for p in site.plan.phases if p.start and p.start > today and p.spent and p.status != "done"]
    assert len(spent_ahead) > 50  # the generator does put money on phases not started yet
    later = [q for q, a in figures.by_quarter.items() if q and q > quarter_of("2027-06") and a.actual]
    assert later == [], f"spending in quarters after today's: {later}"
    running = dict(cumulative(figures.by_month))
    assert running["2027-06"].actual == figures.totals.actual  # the line has reached the headline's total
    assert running["2027-06"].planned == figures.to_date.planned
    assert figures.to_date.variance == figures.totals.actual - figures.to_date.planned
    assert sum((a.actual for a in figures.by_quarter.values()), Decimal(0)) == figures.totals.actual
