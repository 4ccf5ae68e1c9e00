"""budget.csv and plan.xlsx say what the budget page says: same tables, columns, labels and amounts, cell by cell."""

from __future__ import annotations

import csv
import html
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pacsite.cli import main
from pacsite.i18n import STATUS_LABELS, translator
from tests.conftest import MakePlan

# the budget page's tables, in the downloads' order; the to-date and period tables end with a % column
TABLE_IDS = ("table-familles", "table-etapes", "table-responsables", "table-objectifs", "table-trimestres",
             "table-mois")
Cell = str | Decimal | None


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _plain(rows: list[list[Cell]]) -> list[list[Cell]]:
    """The rows with ordinary spaces: the page sets titles in French typography (« Qualité », 20 %)."""
    return [[re.sub("[\u00a0\u202f]", " ", c) if isinstance(c, str) else c for c in row] for row in rows]


def _amount(text: str, french: bool) -> Decimal | None:
    """Read an amount as the site prints it (``−1 400,00 €``, ``+€1,250.00``); "—" or empty is None."""
    text = re.sub(r"\(.*\)", "", text)  # "⚠ −1 400,00 € (dépassement…)"
    found = re.search(r"([+\u2212-])?[^\d+\u2212-]*?(\d[\d\u202f\u00a0 .,]*\d)", text)
    if found is None:
        return None
    digits = re.sub(r"[\u202f\u00a0 ]", "", found.group(2))
    digits = digits.replace(",", ".") if french else digits.replace(",", "")
    return Decimal(("-" if found.group(1) in ("\u2212", "-") else "") + digits)


def site_tables(site: Path, french: bool) -> list[tuple[list[str], list[list[Cell]]]]:
    """The budget page's tables: headers and rows (label, amounts…), the total last, "%" columns left out."""
    page = (site / "budget" / "index.html").read_text(encoding="utf-8")
    tables = []
    for table_id in TABLE_IDS:
        table = page[page.index(f'id="{table_id}"'):]
        table = table[:table.index("</table>")]
        headers = [_text(h) for h in re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table, re.S)]
        rows: list[list[Cell]] = []
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table[table.index("<tbody>"):], re.S):
            label = _text(re.findall(r"<th[^>]*>(.*?)</th>", row, re.S)[0])
            cells = [_amount(_text(c), french) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            rows.append([label, *cells])
        if headers[-1] == "%":
            headers, rows = headers[:-1], [r[:-1] for r in rows]
        tables.append((headers, rows))
    return tables


def xlsx_tables(site: Path) -> list[tuple[list[str], list[list[Cell]]]]:
    """plan.xlsx's budget sheets (all but the plan sheet and the hidden one), amounts as Decimal."""
    out = []
    for ws in load_workbook(site / "plan.xlsx").worksheets[1:-1]:
        header, *rows = ws.iter_rows(values_only=True)
        out.append(([str(h) for h in header],
                    [[v if isinstance(v, str) or v is None else Decimal(str(v)) for v in row] for row in rows]))
    return out


def csv_sections(site: Path, french: bool) -> list[list[list[str]]]:
    """budget.csv's sections: the phases, then one per budget table (its title row, header, rows)."""
    raw = (site / "budget.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";" if french else ","))
    sections: list[list[list[str]]] = [[]]
    for row in rows:
        if row:
            sections[-1].append(row)
        else:
            sections.append([])
    return sections


def _csv_cell(text: str, french: bool) -> Cell:
    if text == "":
        return None
    if re.fullmatch(r"-?\d+[,.]\d\d", text):
        assert ("," in text) == french, text  # a decimal comma in French, a point in English
        return Decimal(text.replace(",", "."))
    return text


def csv_tables(site: Path, french: bool) -> list[tuple[list[str], list[list[Cell]]]]:
    out = []
    for section in csv_sections(site, french)[1:]:
        [title], header, *rows = section
        out.append((header, [[_csv_cell(c, french) for c in row] for row in rows]))
    return out


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_budget_table_of_the_downloads_is_the_budget_pages(example_site: Path, example_site_en: Path,
                                                                  language: str) -> None:
    site, french = (example_site, True) if language == "fr" else (example_site_en, False)
    page = [(h, _plain(rows)) for h, rows in site_tables(site, french)]
    assert [(h, _plain(rows)) for h, rows in xlsx_tables(site)] == page
    assert [(h, _plain(rows)) for h, rows in csv_tables(site, french)] == page
    t = translator(language)
    titles = [ws.title for ws in load_workbook(site / "plan.xlsx").worksheets[1:-1]]
    assert titles == [t[k] for k in ("by_family", "by_stage", "by_owner", "by_objective", "by_quarter", "by_month")]
    assert [s[0] for s in csv_sections(site, french)[1:]] == [[title] for title in titles]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_future_quarter_has_no_variance_and_a_begun_one_has(example_site: Path, example_site_en: Path,
                                                               language: str) -> None:
    site, french = (example_site, True) if language == "fr" else (example_site_en, False)
    letter = "T" if french else "Q"
    for headers, rows in (xlsx_tables(site)[4], csv_tables(site, french)[4]):
        assert headers[-1] == translator(language)["variance"]
        by_label = {r[0]: r for r in rows}
        begun, future = by_label[f"{letter}2\u00a02027"], by_label[f"{letter}3\u00a02027"]
        assert begun[3] == begun[2] - begun[1]  # type: ignore[operator]
        assert future[1] and future[3] is None  # planned, but no variance before the quarter starts
        assert rows[-1][3] is None  # nor for the whole plan, as on the page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_id_or_key_leaks_into_the_downloads(example_site: Path, example_site_en: Path, language: str) -> None:
    site, french = (example_site, True) if language == "fr" else (example_site_en, False)
    other = "en" if french else "fr"
    ids = {"planned", "in_progress", "done", "cancelled", "strategic", "preparatory", "operational", "—"}
    words = {*STATUS_LABELS[other].values(), "Non rattaché", "Not linked", "Non attribué", "Unassigned",
             "Sans date", "Undated", "Phase stratégique", "Strategic phase", "Phase préparatoire",
             "Preparatory phase", "Phase opérationnelle", "Operational phase"}
    words -= {*STATUS_LABELS[language].values(), *translator(language).values(), *(
        ["Phase stratégique", "Phase préparatoire", "Phase opérationnelle"] if french else
        ["Strategic phase", "Preparatory phase", "Operational phase"])}
    period = re.compile(r"\d{4}-(Q\d|\d\d)|(Q|T)\d\u00a0\d{4}")
    mine = re.compile(r"T\d\u00a0\d{4}" if french else r"Q\d\u00a0\d{4}")
    cells: list[str] = []
    for ws in load_workbook(site / "plan.xlsx").worksheets[:-1]:  # the hidden sheet is for `pacsite import`
        cells += [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    cells += [c for section in csv_sections(site, french) for row in section for c in row]
    assert not [c for c in cells if c in ids or c in words]
    assert not [c for c in cells if period.fullmatch(c) and not mine.fullmatch(c)]
    phases = csv_sections(site, french)[0]
    t = translator(language)
    status, stage = phases[0].index(t["status"]), phases[0].index(t["stage"])
    assert {r[status] for r in phases[1:-1]} <= set(STATUS_LABELS[language].values())
    assert {r[stage] for r in phases[1:-1]} <= ({"Phase stratégique", "Phase préparatoire", "Phase opérationnelle"}
                                                if french else {"Strategic phase", "Preparatory phase",
                                                                "Operational phase"})


def test_a_phases_final_variance_is_where_its_family_page_shows_one(example_site: Path) -> None:
    phases = csv_sections(example_site, True)[0]
    header, rows = phases[0], phases[1:-1]
    shown: dict[str, Decimal | None] = {}
    for page in (example_site / "actions").glob("*/index.html"):
        text = page.read_text(encoding="utf-8")
        body = text[text.index("<tbody>"):text.index("</tbody>")]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            [[title]] = _plain([[_text(re.findall(r"<th[^>]*>(.*?)</th>", row, re.S)[0])]])
            gap = _text(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[5])
            shown[title] = None if gap.startswith("consommé") else _amount(gap, True)
    assert len(shown) == len(rows)
    variance = header.index("Écart")
    assert {_plain([[r[1]]])[0][0]: _csv_cell(r[variance], True) for r in rows} == shown
    assert any(v is None for v in shown.values()) and any(v is not None for v in shown.values())


TINY = {
    "content/_index.md": "---\ntitle: Plan minuscule\n---\n",
    "content/actions/01-etudes/_index.md": "---\ntitle: Études\nstage: preparatory\n---\n",
    # 61 days at 100 € a day; done on 30 June, having spent 5 000 €
    "content/actions/01-etudes/01-stand.md": "---\ntitle: Stand\nowner: Agence Pixel\nbudget: 6100\nspent: 5000\n"
                                             "start: 2027-06-01\nend: 2027-07-31\nstatus: done\n"
                                             "finished: 2027-06-30\n---\n",
    "content/actions/01-etudes/02-salon.md": "---\ntitle: Salon\nbudget: 900\nstart: 2027-09-01\n"
                                             "end: 2027-09-30\n---\n",
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_planned_to_date_and_variance_to_date_worked_out_by_hand(make_plan: MakePlan, language: str) -> None:
    root = make_plan({**TINY, "pacsite.yaml": f"language: {language}\n"}, base=False)
    assert main(["build", str(root), "--today", "2027-06-30"]) == 0  # through the real command line
    site, french = root / "public", language == "fr"
    D = Decimal  # noqa: N806
    if french:
        stand = ["Études", "Stand", "Agence Pixel", "Phase préparatoire", "2027-06-01", "2027-07-31", "Terminé"]
        salon = ["Études", "Salon", "Non attribué", "Phase préparatoire", "2027-09-01", "2027-09-30", "Prévu"]
        stage, nobody, unlinked, june, july, september = ("Phase préparatoire", "Non attribué", "Non rattaché",
                                                          "juin 2027", "juil. 2027", "sept. 2027")
    else:
        stand = ["Études", "Stand", "Agence Pixel", "Preparatory phase", "2027-06-01", "2027-07-31", "Done"]
        salon = ["Études", "Salon", "Unassigned", "Preparatory phase", "2027-09-01", "2027-09-30", "Planned"]
        stage, nobody, unlinked, june, july, september = ("Preparatory phase", "Unassigned", "Not linked",
                                                          "Jun 2027", "Jul 2027", "Sept 2027")
    letter = "T" if french else "Q"
    # planned to date: 30 days of 100 €; variance to date 5 000 − 3 000; final variance (done) 5 000 − 6 100
    phases = [[*stand, D("6100"), D("3000"), D("5000"), D("2000"), D("-1100")],
              # not begun: nothing due yet, nothing spent, no final variance
              [*salon, D("900"), D("0"), D("0"), D("0"), None],
              ["Total", None, None, None, None, None, None, D("7000"), D("3000"), D("5000"), D("2000"), None]]
    section = csv_sections(site, french)[0]
    assert [[_csv_cell(c, french) for c in row] for row in section[1:]] == phases
    to_date = [D("7000"), D("3000"), D("5000"), D("2000")]
    expected = [
        [["Études", None, D("7000"), None, D("5000"), D("3000"), D("2000")],
         ["Total", None, D("7000"), None, D("5000"), D("3000"), D("2000")]],
        [[stage, *to_date], ["Total", *to_date]],
        [["Agence Pixel", D("6100"), D("3000"), D("5000"), D("2000")], [nobody, D("900"), D("0"), D("0"), D("0")],
         ["Total", *to_date]],
        [[unlinked, *to_date], ["Total", *to_date]],
        # Q3 has not begun on 30 June: no variance; June is the stand's 3 000 planned and 5 000 spent
        [[f"{letter}2\u00a02027", D("3000"), D("5000"), D("2000")], [f"{letter}3\u00a02027", D("4000"), D("0"), None],
         ["Total", D("7000"), D("5000"), None]],
        [[june, D("3000"), D("5000"), D("2000")], [july, D("3100"), D("0"), None],
         [september, D("900"), D("0"), None], ["Total", D("7000"), D("5000"), None]],
    ]
    assert [rows for _, rows in xlsx_tables(site)] == expected
    assert [rows for _, rows in csv_tables(site, french)] == expected
    assert [rows for _, rows in site_tables(site, french)] == expected
