"""`pacsite import` of the table as the French template lays it out, and as people fill it in (issue 13)."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from pacsite.build import build
from pacsite.cli import main
from pacsite.errors import Diagnostics
from pacsite.tools.importer import amount_like
from tests.conftest import EXAMPLE_TODAY, write_plan

# the template's headers, as its cells hold them
TEMPLATE_HEADERS = [
    "ACTIONS", "PHASES, ÉTAPES (décrire brièvement et indiquer, selon les cas, les objectifs prévus)",
    "QUI ? (qui réalise l'action ?)", "BUDGET", "DATE DÉBUT", "DATE FIN", "OBJECTIF", "RÉSULTAT OBTENU",
    "ANALYSE ÉCARTS"]
ETUDES = "La réalisation des études de marché préalables"
OFFRE = "La finalisation de l'offre commerciale"
IDENTITE = "La conception de l'identité commerciale"


def workbook(path: Path, rows: list[list[Any]], merged: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for cells in merged:
        ws.merge_cells(cells)
    wb.save(path)
    return path


def template_workbook(path: Path) -> Path:
    """The plan laid out exactly as the template: title, headers per section, merged families, lists, TOTAL."""
    rows: list[list[Any]] = [
        ["PLAN D'ACTION COMMERCIALE"],
        [],
        TEMPLATE_HEADERS,
        [ETUDES, "L'étude de la clientèle potentielle", "Claire Martin", 12500, datetime(2027, 3, 15),
         datetime(2027, 3, 31), "400 questionnaires", "93 % au 30/06", "Objectif presque atteint"],
        [None, "L'étude de la concurrence directe et indirecte", "Julien Roche", "3 000,50 €",
         datetime(2027, 4, 1), datetime(2027, 5, 31)],  # ACTIONS merged with the row above
        [],  # an empty row between families
        [OFFRE, "- La détermination de la stratégie de positionnement\n"
                "- La détermination des caractéristiques techniques de l'offre :\n  sélection des produits\n"
                "- La détermination de la stratégie de prix", "Claire Martin"],
        ["TOTAL", None, None, 15500.5],
        TEMPLATE_HEADERS,  # the template repeats its header row before each section
        [IDENTITE, "▶ Le nom commercial, le slogan\n▶ Le logo, la charte graphique"],
        ["Total général", None, None, 15500.5],
    ]
    return workbook(path, rows, ("A4:A5",))


CLEAN = [
    ["Actions", "Phases", "Qui", "Budget", "Date début", "Date fin", "Objectif", "Résultat obtenu", "Analyse écarts"],
    [ETUDES, "L'étude de la clientèle potentielle", "Claire Martin", "12500", "15/03/2027", "31/03/2027",
     "400 questionnaires", "93 % au 30/06", "Objectif presque atteint"],
    [ETUDES, "L'étude de la concurrence directe et indirecte", "Julien Roche", "3000.50", "01/04/2027",
     "31/05/2027"],
    [OFFRE, "La détermination de la stratégie de positionnement", "Claire Martin"],
    [OFFRE, "La détermination des caractéristiques techniques de l'offre : sélection des produits",
     "Claire Martin"],
    [OFFRE, "La détermination de la stratégie de prix", "Claire Martin"],
    [IDENTITE, "Le nom commercial, le slogan"],
    [IDENTITE, "Le logo, la charte graphique"],
]


def _plan_json(root: Path) -> bytes:
    diagnostics = Diagnostics()
    build(root, diagnostics, root / "public", today=EXAMPLE_TODAY)
    assert not diagnostics.has_errors(), diagnostics.render()
    return (root / "public/plan.json").read_bytes()


def _import(source: Path, root: Path, capsys: pytest.CaptureFixture[str], *more: str) -> tuple[int, list[str]]:
    status = main(["import", str(source), str(root), *more])
    return status, capsys.readouterr().err.splitlines()


def test_the_template_laid_out_as_is_gives_the_plan_of_the_same_table_typed_cleanly(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, err = _import(template_workbook(tmp_path / "modele.xlsx"), tmp_path / "modele", capsys)
    assert status == 0
    assert err[:2] == [
        "modele.xlsx:7: avertissement : PHASES, ÉTAPES : la cellule contient une liste : lue comme 3 phases, "
        "une par ligne",
        "modele.xlsx:10: avertissement : PHASES, ÉTAPES : la cellule contient une liste : lue comme 2 phases, "
        "une par ligne"]
    status, _ = _import(workbook(tmp_path / "propre.xlsx", CLEAN), tmp_path / "propre", capsys)
    assert status == 0
    template, clean = _plan_json(tmp_path / "modele"), _plan_json(tmp_path / "propre")
    assert template == clean
    plan = json.loads(template)
    assert [(f["title"], len(f["phases"])) for f in plan["families"]] == [(ETUDES, 2), (OFFRE, 3), (IDENTITE, 2)]
    assert Decimal(plan["totals"]["planned"]) == Decimal("15500.50")
    phase = (tmp_path / "modele/content/actions/01-la-realisation-des-etudes-de-marche/"
             "01-l-etude-de-la-clientele-potentielle.md").read_text(encoding="utf-8")
    assert 'start: 2027-03-15\nend: 2027-03-31\n' in phase  # Excel's dates are dates
    assert 'result:\n  text: "93 % au 30/06"\n  value: 93\n' in phase  # the text whole, its value 93


def test_the_template_headers_are_recognised_in_any_order_and_case(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    headers = [TEMPLATE_HEADERS[i] for i in (2, 1, 0, 3, 5, 4, 8, 7, 6)]
    headers[1] = "Phases,\nétapes  (décrire brièvement…)"  # a line break inside the cell, lower case
    headers[0] = "qui ?"
    rows = [headers, ["Ana", "Salon de Lyon", "Événements", 1000, "30/06/2027", "01/06/2027"]]
    status, err = _import(workbook(tmp_path / "plan.xlsx", rows), tmp_path / "plan", capsys)
    assert status == 0, err
    text = (tmp_path / "plan/content/actions/01-evenements/01-salon-de-lyon.md").read_text(encoding="utf-8")
    assert text == ('---\ntitle: "Salon de Lyon"\nowner: "Ana"\nbudget: 1000.00\nstart: 2027-06-01\n'
                    "end: 2027-06-30\n---\n")
    assert (tmp_path / "plan/pacsite.yaml").read_text(encoding="utf-8") == "language: fr\n"


def test_no_header_row_shows_the_nearest_row_and_the_missing_columns(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["PLAN D'ACTION COMMERCIALE"], [], ["Action", "Étapes à suivre", "Coût", "Début"],
            ["Études", "Clientèle", 100, "01/03/2027"]]
    status, err = _import(workbook(tmp_path / "plan.xlsx", rows), tmp_path / "plan", capsys)
    assert status == 1
    assert err == [
        "plan.xlsx:3: erreur : aucune ligne d'en-têtes dans les 20 premières lignes ; la plus proche (ligne 3) "
        "se lit « Action », « Étapes à suivre », « Coût », « Début » ; il manque les colonnes PHASES/ÉTAPES, "
        "QUI, BUDGET et DATE FIN",
        "pacsite : 1 erreur : rien n'a été écrit"]
    assert not (tmp_path / "plan").exists()


def test_a_repeated_header_row_is_skipped_not_read_as_a_phase(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    rows = [TEMPLATE_HEADERS, ["Études", "Clientèle", None, 100], TEMPLATE_HEADERS, ["Offre", "Prix", None, 200]]
    status, err = _import(workbook(tmp_path / "plan.xlsx", rows), tmp_path / "plan", capsys)
    assert status == 0 and not any("BUDGET" in line for line in err), err
    assert sorted(p.name for p in (tmp_path / "plan/content/actions").rglob("0*.md")) == [
        "01-clientele.md", "01-prix.md"]


def test_a_list_cell_with_an_amount_for_the_whole_row_is_refused(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    rows = [TEMPLATE_HEADERS, ["Qualité", "• Les agréments\n• Les labellisations\n• Les certifications", "Ana",
                               4500, "01/03/2027"]]
    status, err = _import(workbook(tmp_path / "plan.xlsx", rows), tmp_path / "plan", capsys)
    assert status == 1
    assert err == [
        "plan.xlsx:2: erreur : PHASES, ÉTAPES : la cellule contient une liste de 3 phases, mais BUDGET et "
        "DATE DÉBUT valent pour toute la ligne et ne se partagent pas : donnez à chaque phase sa propre ligne",
        "pacsite : 1 erreur : rien n'a été écrit"]


def test_plain_lines_in_a_phases_cell_are_one_phase_each(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    rows = [TEMPLATE_HEADERS, ["Qualité", "Les agréments\nLes labellisations\n\n", "Ana"]]
    status, err = _import(workbook(tmp_path / "plan.xlsx", rows), tmp_path / "plan", capsys)
    assert status == 0
    assert err[0] == ("plan.xlsx:2: avertissement : PHASES, ÉTAPES : la cellule contient une liste : "
                      "lue comme 2 phases, une par ligne")
    folder = tmp_path / "plan/content/actions/01-qualite"
    assert sorted(p.name for p in folder.glob("0*.md")) == ["01-les-agrements.md", "02-les-labellisations.md"]
    assert 'owner: "Ana"' in (folder / "02-les-labellisations.md").read_text(encoding="utf-8")


def test_a_total_row_that_is_not_the_sum_above_is_a_warning_with_both_amounts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [TEMPLATE_HEADERS, ["Études", "Clientèle", None, 12500], [None, "Concurrence", None, "3 000 €"],
            ["Total", None, None, "16 000 €"], TEMPLATE_HEADERS, ["Offre", "Prix", None, 500],
            ["TOTAL", None, None, 500], ["Total général", None, None, 15000]]
    status, err = _import(workbook(tmp_path / "plan.xlsx", rows), tmp_path / "plan", capsys)
    assert status == 0
    assert err[:2] == [
        "plan.xlsx:4: avertissement : BUDGET : la ligne Total indique 16 000,00 € mais les phases au-dessus "
        "font 15 500,00 € (écart 500,00 €)",
        "plan.xlsx:8: avertissement : BUDGET : la ligne Total général indique 15 000,00 € mais les phases "
        "au-dessus font 16 000,00 € (écart 1 000,00 €)"]
    assert err[2].startswith("pacsite : 7 fichiers écrits dans ")  # no phase called TOTAL: 3 phases and 4 others


@pytest.mark.parametrize("cell, line", [
    ("12.500 €", "plan.xlsx:2: erreur : BUDGET : « 12.500 » se lit de deux façons : 12 500 ou 12,50 ? "
                 "Écrivez 12500 ou 12.50"),
    (1234.567, "plan.xlsx:2: erreur : BUDGET : au plus 2 décimales (les centimes) ; trouvé « 1234.567 »"),
    (-5, "plan.xlsx:2: erreur : BUDGET : un montant de 0 ou plus est attendu ; trouvé « -5 »"),
])
def test_amount_cells_are_never_guessed(tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: Any,
                                        line: str) -> None:
    status, err = _import(workbook(tmp_path / "plan.xlsx", [TEMPLATE_HEADERS, ["Études", "Clientèle", None, cell]]),
                          tmp_path / "plan", capsys)
    assert status == 1
    assert err == [line, "pacsite : 1 erreur : rien n'a été écrit"]


def test_a_number_typed_in_excel_is_exact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [TEMPLATE_HEADERS, ["Études", "A", None, 0.1], [None, "B", None, 1500.2], [None, "C", None, 12500]]
    status, _ = _import(workbook(tmp_path / "plan.xlsx", rows), tmp_path / "plan", capsys)
    assert status == 0
    folder = tmp_path / "plan/content/actions/01-etudes"
    assert ["budget: 0.10", "budget: 1500.20", "budget: 12500.00"] == [
        next(x for x in (folder / f"0{i}-{n}.md").read_text(encoding="utf-8").split("\n") if x.startswith("budget"))
        for i, n in ((1, "a"), (2, "b"), (3, "c"))]


def test_result_cells_keep_their_text_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [TEMPLATE_HEADERS, ["Études", "A", None, None, None, None, None, "93 % au 30/06"],
            [None, "B", None, None, None, None, None, "12.500 visites"]]
    status, err = _import(workbook(tmp_path / "plan.xlsx", rows), tmp_path / "plan", capsys)
    assert status == 0
    assert err[0] == ("plan.xlsx:3: avertissement : RÉSULTAT OBTENU : « 12.500 visites » : nombre peu clair, "
                      "gardé comme texte sans valeur ; écrivez le nombre sans ambiguïté (12500 ou 12,5)")
    folder = tmp_path / "plan/content/actions/01-etudes"
    assert (folder / "01-a.md").read_text(encoding="utf-8").endswith(
        'result:\n  text: "93 % au 30/06"\n  value: 93\n---\n')
    assert (folder / "02-b.md").read_text(encoding="utf-8").endswith('result:\n  text: "12.500 visites"\n---\n')


FRENCH_PHASE = """---
titre: Clientèle
qui: Claire Martin  # la responsable
budget: "18 000 €"
debut: 2027-03-01
fin: 2027-03-31
---
Texte.
"""


def _edited_plan_xlsx(root: Path, out: Path, cells: dict[int, Any]) -> Path:
    """Build the plan, then edit its plan.xlsx row of ``01-clients.md`` as a person would in Excel."""
    _plan_json(root)
    wb = load_workbook(root / "public/plan.xlsx")
    row = next(r for r in wb.worksheets[0].iter_rows(min_row=2) if str(r[11].value).endswith("01-clients.md"))
    for index, value in cells.items():
        row[index].value = value
    wb.save(out)
    return out


def test_an_edit_keeps_the_files_key_spellings_and_amount_style(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    root = write_plan(tmp_path / "plan", {
        "pacsite.yaml": "language: fr\n",
        "content/_index.md": "---\ntitle: Plan\n---\n",
        "content/actions/01-etudes/_index.md": "---\ntitre: Études\n---\n",
        "content/actions/01-etudes/01-clients.md": FRENCH_PHASE})
    # budget 18 000 -> 21 000, spent and a result added, the end moved
    source = _edited_plan_xlsx(root, tmp_path / "plan.xlsx", {3: 21000, 4: 2500.5, 6: datetime(2027, 4, 15),
                                                              8: "93 % au 30/06"})
    status, err = _import(source, root, capsys, "--force")
    assert status == 0, err
    assert (root / "content/actions/01-etudes/01-clients.md").read_bytes() == (
        '---\ntitre: Clientèle\nqui: Claire Martin  # la responsable\nbudget: "21 000 €"\ndebut: 2027-03-01\n'
        'fin: 2027-04-15\ndepense: "2 500,50 €"\nresultat:\n  text: 93 % au 30/06\n  value: 93\n---\n'
        "Texte.\n").encode()


def test_a_new_key_in_an_english_file_is_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_plan(tmp_path / "plan", {
        "pacsite.yaml": "language: fr\n",
        "content/_index.md": "---\ntitle: Plan\n---\n",
        "content/actions/01-etudes/_index.md": "---\ntitle: Études\n---\n",
        "content/actions/01-etudes/01-clients.md": "---\ntitle: Clients\nbudget: 18000.00\n---\n"})
    source = _edited_plan_xlsx(root, tmp_path / "plan.xlsx", {3: 21000, 10: "Terminé"})
    assert _import(source, root, capsys, "--force")[0] == 0
    assert (root / "content/actions/01-etudes/01-clients.md").read_text(encoding="utf-8") == (
        "---\ntitle: Clients\nbudget: 21000.00\nstatus: Terminé\n---\n")


@pytest.mark.parametrize("written, amount, expected", [
    ('"18 000 €"', "21000", '"21 000 €"'),
    ("18000", "21000", "21000"),
    ("18000.00", "21000", "21000.00"),
    ("18 000,00 €", "21000.5", "21 000,50 €"),
    ("'EUR 18,000.00'", "1234567.8", "'EUR 1,234,567.80'"),
    ("18000", "21000.5", "21000.50"),
    ('"18 000 €"', "21000.5", '"21 000,50 €"'),
    ("1,000", "2000", "2000"),  # grouping that would be ambiguous is left out
    ("[1, 2]", "5", None),
])
def test_an_amount_is_written_as_the_file_wrote_it(written: str, amount: str, expected: str | None) -> None:
    assert amount_like(written, Decimal(amount)) == expected


def test_an_edited_result_is_not_cut_at_its_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_plan(tmp_path / "plan", {
        "pacsite.yaml": "language: fr\n",
        "content/_index.md": "---\ntitle: Plan\n---\n",
        "content/actions/01-etudes/_index.md": "---\ntitle: Études\n---\n",
        "content/actions/01-etudes/01-clients.md": (
            "---\ntitle: Clients\nbudget: 100\nresult:\n  text: Taux de réponse\n  value: 80\n"
            "  date: 2027-05-31\n---\n")})
    source = _edited_plan_xlsx(root, tmp_path / "plan.xlsx", {8: "93 % au 30/06"})  # was "Taux de réponse 80"
    status, err = _import(source, root, capsys, "--force")
    assert status == 0, err
    assert (root / "content/actions/01-etudes/01-clients.md").read_text(encoding="utf-8") == (
        "---\ntitle: Clients\nbudget: 100\nresult:\n  text: 93 % au 30/06\n  value: 93\n  date: 2027-05-31\n---\n")
