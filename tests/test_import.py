"""`pacsite import`: a plan kept as the template's table becomes content files, or nothing is written."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from pacsite.build import plan_site
from pacsite.cli import main
from pacsite.errors import Diagnostics
from tests.conftest import EXAMPLE_TODAY


def workbook(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


HAND_MADE = [
    ["PLAN D'ACTION COMMERCIALE 2027", None, None, None, None, None, None, None, None],  # a title above
    [],
    # shuffled columns, headers as people type them
    ["Date fin", "QUI", "Phases/Étapes", "BUDGET", "actions", "Date Début", "OBJECTIF", "Résultat obtenu",
     "Analyse écarts"],
    ["31/03/2027", "Claire Martin", "Étude de la clientèle", "12 500,50 €", "Études de marché", "15/03/2027",
     "400 questionnaires", "412 questionnaires", "Objectif dépassé"],
    [datetime(2027, 5, 31), "Julien Roche; Ana Martin", "Étude de la concurrence", 3000, None,
     datetime(2027, 4, 1), None, None, None],  # the family only on its first row
    [None, None, None, None, None, None, None, None, None],  # an empty row
    ["30/06/2027", None, "Salon de Lyon", "1 000", "Événements", "01/06/2027", None, None, None],
]


def test_a_hand_made_table_with_shuffled_columns_french_dates_and_amounts(tmp_path: Path) -> None:
    source = workbook(tmp_path / "plan.xlsx", HAND_MADE)
    root = tmp_path / "plan"
    assert main(["import", str(source), str(root)]) == 0
    site = plan_site(root, Diagnostics(), EXAMPLE_TODAY)
    assert site is not None
    plan = site.plan
    assert plan.settings.language == "fr"
    assert [(f.title, [p.title for p in f.phases]) for f in plan.families] == [
        ("Études de marché", ["Étude de la clientèle", "Étude de la concurrence"]),
        ("Événements", ["Salon de Lyon"])]
    first, second = plan.families[0].phases
    assert (first.budget, first.start.isoformat(), first.end.isoformat()) == (Decimal("12500.50"), "2027-03-15",
                                                                               "2027-03-31")
    assert [o.name for o in first.owners] == ["Claire Martin"]
    assert [o.name for o in second.owners] == ["Julien Roche", "Ana Martin"]
    assert first.objective is not None and first.objective.text == "400 questionnaires"
    assert first.results[0].text == "412 questionnaires" and first.analysis == "Objectif dépassé"
    assert (second.budget, second.start.isoformat()) == (Decimal("3000.00"), "2027-04-01")
    assert site.figures.totals.planned == Decimal("16500.50")
    assert (root / "content/actions/01-etudes-de-marche/01-etude-de-la-clientele.md").is_file()


def test_a_csv_with_semicolons_in_english(tmp_path: Path) -> None:
    source = tmp_path / "plan.csv"
    source.write_text("Actions;Steps;Who;Budget;Start date;End date\n"
                      "Trade fairs;Lyon fair;Ana;\"1 500,00 €\";2027-03-01;2027-03-03\n"
                      ";Paris fair;Ana;2000;2027-05-01;2027-05-02\n", encoding="utf-8-sig")
    assert main(["import", str(source), str(tmp_path / "plan")]) == 0
    site = plan_site(tmp_path / "plan", Diagnostics(), EXAMPLE_TODAY)
    assert site is not None and site.plan.settings.language == "en"
    assert [p.title for p in site.plan.phases] == ["Lyon fair", "Paris fair"]
    assert site.figures.totals.planned == Decimal("3500.00")


def test_bad_rows_are_named_and_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [row[:] for row in HAND_MADE]
    rows[3][3] = "12 500,505 €"  # fractions of a cent
    rows[6][0] = "31/02/2027"  # no such day
    rows[4][4] = None
    rows.insert(3, [None, None, "Orpheline", 10, None, None, None, None, None])  # a phase before any family
    source = workbook(tmp_path / "plan.xlsx", rows)
    root = tmp_path / "plan"
    assert main(["import", str(source), str(root)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [  # a French table: French messages
        "plan.xlsx:4: erreur : actions : une phase avant toute famille : remplissez sa cellule ACTIONS",
        "plan.xlsx:5: erreur : BUDGET : au plus 2 décimales (les centimes) ; trouvé « 12 500,505 € »",
        "plan.xlsx:8: erreur : Date fin : « 31/02/2027 » n'est pas une date réelle : février 2027 a 28 jours",
        "pacsite : 3 erreurs : rien n'a été écrit"]
    assert not root.exists() or not any(root.rglob("*"))


def test_existing_files_are_kept_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = workbook(tmp_path / "plan.xlsx", HAND_MADE)
    root = tmp_path / "plan"
    assert main(["import", str(source), str(root)]) == 0
    mine = root / "content/_index.md"
    mine.write_text("---\ntitle: Mon plan\n---\nMes notes.\n")
    assert main(["import", str(source), str(root)]) == 2
    assert "existe déjà (7 fichiers à remplacer, 0 à supprimer) : utilisez --force" in capsys.readouterr().err
    assert mine.read_text().endswith("Mes notes.\n")
    assert main(["import", str(source), str(root), "--force"]) == 0
    assert "Mes notes" not in mine.read_text() and not list(root.glob(".pacsite-import*"))


@pytest.mark.parametrize("name, data", [
    ("binaire.xlsx", b"\x00\x01PK garbage"),
    ("binaire.csv", bytes(range(256)) * 4),
    ("colonne.csv", b"Phases\nUne\nDeux\n"),
    ("vide.csv", b""),
    ("plan.ods", b"whatever"),
])
def test_files_that_are_not_the_table_get_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   name: str, data: bytes) -> None:
    source = tmp_path / name
    source.write_bytes(data)
    status = main(["import", str(source), str(tmp_path / "plan")])
    err = capsys.readouterr().err
    assert status in (1, 2) and "Traceback" not in err and err.strip()
    assert not (tmp_path / "plan").exists() or not any((tmp_path / "plan").rglob("*"))
