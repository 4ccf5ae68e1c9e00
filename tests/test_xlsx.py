"""plan.xlsx is written by hand: openpyxl builds the same workbook, and reads both to the same cells."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from pacsite.build import plan_site
from pacsite.errors import Diagnostics
from pacsite.i18n import STATUS_LABELS, translator
from pacsite.output import xlsx
from pacsite.output.exports import budget_tables, plan_xlsx
from tests.conftest import EXAMPLE_TODAY, REPO, MakePlan


def with_openpyxl(plan: Any, figures: Any, t: dict[str, str]) -> Workbook:
    """The workbook as pacsite wrote it with openpyxl before: the reference."""
    money = '#,##0.00\\ "€"' if plan.settings.currency == "EUR" else "#,##0.00"
    day = "dd/mm/yyyy" if plan.settings.language == "fr" else "yyyy-mm-dd"
    wb = Workbook()
    wb.remove(wb.active)

    def sheet(title: str, headers: list[str]) -> Any:
        ws = wb.create_sheet(title[:31])
        ws.freeze_panes = "A2"
        ws.append(headers)
        for c in ws[1]:
            c.font = Font(bold=True)
        return ws

    def put(ws: Any, values: list[Any], formats: dict[int, str]) -> None:
        ws.append(values)
        for index, fmt in formats.items():
            ws.cell(ws.max_row, index + 1).number_format = fmt

    ws = sheet(t["plan"], [t["actions"], t["phases"], t["who"], t["budget"], t["actual"], t["start"], t["end"],
                           t["objective"], t["result"], t["analysis"], t["status"], t["source_file"]])
    carried: list[list[Any]] = []
    for f in plan.families:
        for p in f.phases:
            pf = figures.phase(p)
            r = pf.result
            row = [f.title, p.title, ", ".join(o.name for o in p.owners), p.budget, pf.money.actual,
                   p.start, p.end, (p.objective.text or "") if p.objective else "",
                   ((r.text or "") + (f" {r.value}" if r.value is not None else "")).strip() if r else "",
                   p.analysis or "", STATUS_LABELS[plan.settings.language][p.status], p.source]
            put(ws, row, {3: money, 4: money, 5: day, 6: day})
            exported = json.dumps([v.isoformat() if isinstance(v, date) else None if v is None else str(v)
                                   for v in row], ensure_ascii=False)
            carried.append([p.source, "phase", exported, "", p.front or ""])
    for table in budget_tables(plan, figures, t):  # their contents: tests/test_downloads_agree.py
        ws = sheet(table.title, table.headers)
        for row in table.rows:
            put(ws, list(row), {i: money for i, c in enumerate(row) if isinstance(c, Decimal)})
    ws = wb.create_sheet("pacsite")
    ws.sheet_state = "hidden"
    ws.freeze_panes = "A2"
    ws.append(["pacsite-plan-1"])
    ws["A1"].font = Font(bold=True)
    for row in [*carried, *([path, "file", "", "", text] for path, text in plan.files)]:
        ws.append(row)
    return wb


def cells(wb: Any) -> list[tuple[str, str | None, list[list[tuple[Any, str, bool]]]]]:
    """Every sheet's title, frozen cell and cells as (value, number format, bold), empty cells left out."""
    out = []
    for ws in wb.worksheets:
        rows = [[(c.value, c.number_format if c.value is not None else "", bool(c.font and c.font.b))
                 for c in row if c.value not in (None, "")] for row in ws.iter_rows()]
        out.append((ws.title, ws.sheet_state, ws.freeze_panes, rows))
    return out


def _saved(wb: Workbook, path: Path) -> Any:
    wb.save(path)
    return load_workbook(path)


def test_the_example_workbook_has_the_cells_openpyxl_writes(tmp_path: Path) -> None:
    site = plan_site(REPO, Diagnostics(), EXAMPLE_TODAY)
    assert site is not None
    t = translator("fr")
    (tmp_path / "ours.xlsx").write_bytes(plan_xlsx(site.plan, site.figures, t))
    ours = cells(load_workbook(tmp_path / "ours.xlsx"))
    reference = cells(_saved(with_openpyxl(site.plan, site.figures, t), tmp_path / "ref.xlsx"))
    assert ours == reference
    assert len(ours) == 8 and ours[-1][:2] == ("pacsite", "hidden") and len(ours[0][3]) == 1 + len(site.plan.phases)
    header = ours[0][3][0]
    assert header[0] == ("Actions", "General", True)
    first = ours[0][3][1]
    money = [c for c in first if c[1].endswith('"€"')]
    assert money and all(isinstance(c[0], (int, float)) for c in money)
    assert any(isinstance(c[0], datetime) and c[1] == "dd/mm/yyyy" for c in first)


def test_the_workbook_is_the_same_bytes_for_the_same_plan() -> None:
    site = plan_site(REPO, Diagnostics(), EXAMPLE_TODAY)
    assert site is not None
    t = translator("en")
    assert plan_xlsx(site.plan, site.figures, t) == plan_xlsx(site.plan, site.figures, t)


def test_a_formula_like_title_stays_text(make_plan: MakePlan, tmp_path: Path) -> None:
    root = make_plan({"content/actions/01-salon/01-stand.md":
                      "---\ntitle: '=HYPERLINK(\"http://x\";\"clic\")'\nbudget: 12500.5\n"
                      "start: 2027-03-15\nend: 2027-04-01\n---\n"})
    site = plan_site(root, Diagnostics(), date(2027, 6, 30))
    assert site is not None
    (tmp_path / "f.xlsx").write_bytes(plan_xlsx(site.plan, site.figures, translator("fr")))
    ws = load_workbook(tmp_path / "f.xlsx").worksheets[0]
    [row] = [r for r in ws.iter_rows(min_row=2) if str(r[1].value).startswith("=")]
    assert row[1].value == '=HYPERLINK("http://x";"clic")' and row[1].data_type == "s"
    assert row[3].value == 12500.5 and row[5].value == datetime(2027, 3, 15)


def test_column_letters() -> None:
    assert [xlsx.column(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == \
        ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


@settings(max_examples=60, deadline=None)
@example(text="ligne\rsuite\r\nfin\x01 <&> =1+1", amount=Decimal("-0.01"), day=date(1900, 3, 1))
@given(text=st.text(max_size=200), amount=st.decimals(min_value=-10**9, max_value=10**9, places=2),
       day=st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)))
def test_any_text_amount_and_date_read_back(text: str, amount: Decimal, day: date) -> None:
    sheet = xlsx.Sheet("Feuille <&> \"1\"")
    sheet.append([("titre", xlsx.BOLD)])
    sheet.append([(text, xlsx.PLAIN), (amount, xlsx.MONEY), (day, xlsx.DATE)])
    import io
    wb = load_workbook(io.BytesIO(xlsx.workbook([sheet], '#,##0.00\\ "€"', "dd/mm/yyyy", "pacsite",
                                                datetime(2027, 1, 1))))
    ws = wb.worksheets[0]
    assert ws.title == "Feuille <&> \"1\"" and ws.freeze_panes == "A2"
    got = [c.value for c in ws[2]]
    expected_text = xlsx.ILLEGAL.sub("", text)
    # openpyxl reads an empty inline string as None
    assert (got[0] or "") == expected_text
    assert Decimal(str(got[1])) == amount and ws["B2"].number_format == '#,##0.00\\ "€"'
    assert got[2].date() == day and ws["C2"].number_format == "dd/mm/yyyy"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from('&<>"\'ab;#\u00e9\u202f')))
@example("&amp; <b> \"x\"")
def test_our_xml_escape_is_the_standard_librarys(text: str) -> None:
    """``xlsx.escape`` stands in for ``xml.sax.saxutils.escape`` (whose module imports ssl): the same text."""
    from xml.sax.saxutils import escape

    assert xlsx.escape(text) == escape(text)
    assert xlsx.escape(text, {'"': "&quot;"}) == escape(text, {'"': "&quot;"})
