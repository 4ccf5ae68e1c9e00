"""Charts are pure SVG text: check what they draw, not how it looks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from pacsite.site import charts


def test_gantt_marks_today_late_phases_and_milestones() -> None:
    rows = [
        charts.GanttRow("Famille", header=True),
        charts.GanttRow("Étude", date(2027, 1, 1), date(2027, 3, 31), "done", href="a/index.html"),
        charts.GanttRow("Prix", date(2027, 5, 1), date(2027, 6, 25), "in_progress", late=True),
        charts.GanttRow("Salon", date(2027, 9, 14), date(2027, 9, 14), "planned"),
        charts.GanttRow("Sans date"),
    ]
    svg = charts.gantt(rows, date(2027, 6, 30), lambda m, w: m.strftime("%b"), lambda m: f"Q{m.month}",
                       "Calendrier", "3 phases", "Au 30 juin 2027", "En retard")
    # it holds links: a named group (an image hides its links from screen readers), not role="img"
    assert svg.startswith("<svg") and 'role="group"' in svg and "<title id=\"gantt-t\">Calendrier</title>" in svg
    assert 'aria-describedby="gantt-d"' in svg
    assert svg.count('class="bar done"') == 1 and 'class="bar in_progress late"' in svg
    assert svg.count("<polygon") == 1 and "milestone" in svg
    assert 'class="today"' in svg and "Au 30 juin 2027" in svg and "⚠ En retard" in svg
    assert '<a href="a/index.html"><title>Étude</title>' in svg  # the link's name is the whole title
    # the status is a sign as well as a colour
    assert 'class="sign done"' in svg and ">✓</text>" in svg and ">◐</text>" in svg and ">○</text>" in svg


def test_gantt_is_one_svg_per_family_on_one_scale() -> None:
    """Families are separate SVGs (a printed page breaks between them), each with its month scale, on one time scale."""
    rows = [
        charts.GanttRow("Études", header=True),
        charts.GanttRow("Étude", date(2027, 1, 1), date(2027, 1, 31), "done", href="a/index.html"),
        charts.GanttRow("Offre", header=True),
        charts.GanttRow("Prix", date(2027, 12, 1), date(2027, 12, 31), "planned", href="b/index.html"),
    ]
    svg = charts.gantt(rows, date(2027, 6, 30), lambda m, w: m.strftime("%m"), lambda m: f"Q{m.month}",
                       "Calendrier", "2 phases", "Au 30 juin 2027", "En retard")
    blocks = svg.split("</svg>")[:-1]
    assert len(blocks) == 2 and all(b.startswith("<svg") for b in blocks)
    first, second = blocks
    # the title, quarters and "as of" label once; the second block is a named group of its own
    assert 'aria-describedby="gantt-d"' in first and "Au 30 juin 2027" in first and 'class="axis q"' in first
    assert 'aria-label="Calendrier — Offre"' in second and "gantt-t" not in second and "Au 30" not in second
    assert 'class="axis q"' not in second and second.count('class="axis"') == 12  # its month scale
    # one time scale: January starts where the labels end (x=300) in both, December ends at 1000
    assert 'class="bar done" x="300.0"' in first
    x, w = (float(v) for v in second.split('class="bar planned" x="')[1].split('" y=')[0:1] +
            [second.split('class="bar planned"')[1].split('width="')[1].split('"')[0]])
    assert round(x + w, 1) == 1000.0
    assert first.count('class="today"') == 1 and second.count('class="today"') == 1


def test_a_gantt_without_links_is_an_image() -> None:
    rows = [charts.GanttRow("Étude", date(2027, 1, 1), date(2027, 3, 31), "done")]
    svg = charts.gantt(rows, date(2027, 6, 30), lambda m, w: "", lambda m: "", "Calendrier", "1 phase", "", "")
    assert 'role="img" aria-labelledby="gantt-t gantt-d"' in svg


def test_gantt_of_undated_phases_is_empty() -> None:
    assert charts.gantt([charts.GanttRow("x")], date(2027, 1, 1), lambda m, w: "", lambda m: "", "", "", "", "") == ""


def test_labels_are_escaped() -> None:
    svg = charts.bars([("<script>", D("1"), D("2"))], ("P", "R"), str, "t", "d")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_nice_ticks_are_round_and_cover_the_range() -> None:
    assert charts.nice_ticks(D(0), D("421715")) == [D(0), D(100000), D(200000), D(300000), D(400000), D(500000)]
    ticks = charts.nice_ticks(D("4.2"), D("9.5"), 3)
    assert ticks[0] <= D("4.2") and ticks[-1] >= D("9.5")


def test_long_titles_are_shortened_from_the_middle() -> None:
    text = charts._truncate_middle("La préparation des actions de marketing relationnel", 150)
    assert text.startswith("La prépar") and text.endswith("relationnel") and "…" in text


def test_forecasts_are_drawn_hollow() -> None:
    svg = charts.progress_chart((date(2027, 1, 1), D(100)), (date(2028, 1, 1), D(200)),
                                [(date(2027, 6, 1), D(130)), (date(2027, 9, 1), D(160))], date(2027, 6, 30),
                                str, str, ("m", "c", "a", "prévision"), "t", "d", "x")
    assert svg.count('class="point forecast"') == 1 and "forecast-line" in svg
