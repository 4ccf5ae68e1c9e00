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
    html = charts.gantt(rows, date(2027, 6, 30), lambda m, w: m.strftime("%b"), lambda m: f"Q{m.month}",
                        "Calendrier", "3 phases", "Au 30 juin 2027", "En retard")
    titles, bars = html.split('<div class="gantt-scroll"')
    # the titles are HTML links (a screen reader lists them), the bars an image described in words
    assert '<li class="g-row"><span class="sign st-done" aria-hidden="true">✓</span> <a href="a/index.html" ' \
           'title="Étude">Étude</a></li>' in titles
    assert '<li class="g-band">Famille</li>' in titles
    assert 'class="late-sign" title="En retard">⚠' in titles  # lateness beside the title, as a sign
    assert 'role="img" aria-label="Calendrier"' in bars and "<desc>3 phases</desc>" in bars
    assert bars.count('class="bar done"') == 1 and 'class="bar in_progress late"' in bars
    assert bars.count("<polygon") == 1 and "milestone" in bars
    assert 'class="today"' in bars and "Au 30 juin 2027" in bars and "⚠ En retard" in bars
    # the status is a sign as well as a colour
    assert ">✓</span>" in titles and ">◐</span>" in titles and ">○</span>" in titles
    # one row of titles for each row of bars: four phases and a band, the undated one with no bar
    assert titles.count("<li ") == 5 and bars.count("<g><title>") == 3


def test_gantt_is_one_block_per_family_on_one_scale() -> None:
    """Families are separate blocks (a printed page breaks between them), each with its month scale, on one time
    scale; the titles stay in their column while the bars scroll, and the chart says where today is."""
    rows = [
        charts.GanttRow("Études", header=True),
        charts.GanttRow("Étude", date(2027, 1, 1), date(2027, 1, 31), "done", href="a/index.html"),
        charts.GanttRow("Offre", header=True),
        charts.GanttRow("Prix", date(2027, 12, 1), date(2027, 12, 31), "planned", href="b/index.html"),
    ]
    html = charts.gantt(rows, date(2027, 6, 30), lambda m, w: m.strftime("%m"), lambda m: f"Q{m.month}",
                        "Calendrier", "2 phases", "Au 30 juin 2027", "En retard")
    assert html.startswith('<div class="gantt" data-today="')
    blocks = html.split('<div class="gantt-family">')[1:]
    assert len(blocks) == 2
    first, second = (b.split("<svg")[1].split("</svg>")[0] for b in blocks)
    # the quarters and "as of" label once; the second block is named after its family
    assert "<desc>2 phases</desc>" in first and "Au 30 juin 2027" in first and 'class="axis q"' in first
    assert 'aria-label="Calendrier — Offre"' in second and "<desc>" not in second and "Au 30" not in second
    assert 'class="axis q"' not in second and second.count('class="axis"') == 12  # its month scale
    # one time scale: January starts at 0 in both, December ends at the right edge (700)
    assert 'class="bar done" x="0.0"' in first
    x = float(second.split('class="bar planned" x="')[1].split('"')[0])
    w = float(second.split('class="bar planned"')[1].split('width="')[1].split('"')[0])
    assert round(x + w, 1) == 700.0
    assert first.count('class="today"') == 1 and second.count('class="today"') == 1
    # today's line: where the script scrolls to (30 June is 180 days after 1 January; the middle of its day)
    assert html.split('data-today="')[1].split('"')[0] == str(round(700 * 180.5 / 365)) == "346"
    # the titles' column leaves room for the scales above the first block's rows and each later one's
    assert blocks[0].startswith('<ul class="gantt-titles first">') and blocks[1].startswith('<ul class="gantt-titles">')


def test_a_long_plan_keeps_a_month_readable() -> None:
    """Up to five years, a month is at least 28 px wide (the phone scrolls to it); beyond, the chart stops
    growing."""
    def width(months: int) -> float:
        end = date(2027 + (months - 1) // 12, (months - 1) % 12 + 1, 28)
        html = charts.gantt([charts.GanttRow("x", date(2027, 1, 1), end, "planned")], date(2027, 1, 1),
                            lambda m, w: "", lambda m: "", "t", "d", "", "")
        return float(html.split('<svg class="chart gantt-bars" viewBox="0 0 ')[1].split(" ")[0])
    assert width(12) == 700 and width(36) == 36 * 28 and width(60) == width(240) == 60 * 28


def test_gantt_of_undated_phases_is_empty() -> None:
    assert charts.gantt([charts.GanttRow("x")], date(2027, 1, 1), lambda m, w: "", lambda m: "", "", "", "", "") == ""


WORDS = {"planned": "Prévu", "actual": "Réalisé", "envelope": "Enveloppe", "over_envelope": "Dépassement",
         "overspend": "dépassement", "overspend_key": "Réalisé au-delà du prévu"}


def test_labels_are_escaped() -> None:
    html = charts.bars([charts.BarItem("<script>", D("1"), D("2"))], WORDS, str, "t")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_family_bars_say_overspend_and_envelope_in_words_and_signs() -> None:
    """Worked by hand: the scale is the largest amount, envelopes included (200); an actual beyond the planned
    amount is red, with ▲ and its excess; a planned amount beyond the envelope carries ⚠ and its excess."""
    html = charts.bars([charts.BarItem("Études", D(100), D(150), D(200)),
                        charts.BarItem("Offre", D(120), D(60), D(80)),
                        charts.BarItem("Salon", D(50), D(0))], WORDS, lambda v: f"{v} €", "Prévu et réalisé")
    etudes, offre, salon = html.split('<li class="hbar">')[1:]
    assert 'class="hbar-bar planned" style="width: 50.00%"' in etudes
    assert 'class="hbar-bar actual over" style="width: 75.00%"' in etudes
    assert 'class="hbar-envelope" style="left: 100.00%"' in etudes
    assert "▲ 150 € (dépassement +50 €)" in etudes and "⚠" not in etudes
    assert 'class="hbar-bar actual" style="width: 30.00%"' in offre and "▲" not in offre
    assert 'class="hbar-envelope over" style="left: 40.00%"' in offre and "⚠ dépassement +40 €" in offre
    assert "Enveloppe" not in salon and 'style="width: 0.00%"' in salon
    # the key names every mark, the envelope's too; the figure is named for screen readers
    assert html.count('class="key"') == 4 and '<figcaption id="bars-t" class="sr-only">Prévu et réalisé' in html


def test_nice_ticks_are_round_and_cover_the_range() -> None:
    assert charts.nice_ticks(D(0), D("421715")) == [D(0), D(100000), D(200000), D(300000), D(400000), D(500000)]
    ticks = charts.nice_ticks(D("4.2"), D("9.5"), 3)
    assert ticks[0] <= D("4.2") and ticks[-1] >= D("9.5")


def test_forecasts_are_drawn_hollow() -> None:
    svg = charts.progress_chart((date(2027, 1, 1), D(100)), (date(2028, 1, 1), D(200)),
                                [(date(2027, 6, 1), D(130)), (date(2027, 9, 1), D(160))], date(2027, 6, 30),
                                str, str, ("m", "c", "a", "prévision"), "t", "d", "x")
    wide, narrow = svg.split("</svg>")[:2]
    for drawing in (wide, narrow):  # the wide drawing and the phone's
        assert drawing.count('class="point forecast"') == 1 and "forecast-line" in drawing
        assert ">Prévision</text>" in drawing  # the dotted line is in the key
    assert 'class="chart wide progress"' in wide and 'class="chart narrow progress"' in narrow
    assert 'viewBox="0 0 360 ' in narrow  # drawn at a phone's width, not shrunk
