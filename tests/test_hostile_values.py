"""Hostile values (issue 14, points 5 and 9): huge amounts, far dates, unknown locales, hidden static files.

Each exact input of the issue goes through the real command line: ``check``
and ``build`` both end with a message that names the file, the line and the
key (exit 1), never a traceback; nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from pacsite.cli import main
from pacsite.load.fields import MAX_AMOUNT
from tests.conftest import MINIMAL, MakePlan, write_plan

PHASE = "content/actions/01-etudes/01-clients.md"
FAMILY = "content/actions/01-etudes/_index.md"


def phase(*lines: str, dates: str = "start: 2027-01-01\nend: 2027-01-31\n") -> str:
    return "---\ntitle: Clients\n" + "".join(line + "\n" for line in lines) + dates + "---\nTexte.\n"


# (files, the file named, its line, the key, words of the message)
HUGE = {
    "budget_prevu of 26 digits": ({PHASE: phase("budget_prevu: 12345678901234567890123456")},
                                  PHASE, 3, "budget_prevu", "montant trop grand"),
    "family budget of 30 digits": ({FAMILY: "---\ntitle: Études\nbudget: 123456789012345678901234567890\n---\n"},
                                   FAMILY, 3, "budget", "montant trop grand"),
    "spent of 30 digits": ({PHASE: phase("budget: 10", "spent: 123456789012345678901234567890")},
                           PHASE, 4, "spent", "montant trop grand"),
    "budget line of 30 digits": ({PHASE: phase("budget:", "  - label: Salon", "    amount: " + "9" * 30)},
                                 PHASE, 5, "budget, ligne 1, montant", "montant trop grand"),
    "envelope of 30 digits": ({"pacsite.yaml": "budget:\n  envelope: " + "1" * 30 + "\n"},
                              "pacsite.yaml", 2, "budget.envelope", "montant trop grand"),
    "objective target of 60 digits": (
        {"content/objectives/ca.md": "---\ntitle: CA\ntarget:\n  value: " + "1" * 60 + "\n  date: 2027-12-31\n---\n"},
        "content/objectives/ca.md", 4, "target, valeur", "nombre trop grand"),
    # 0.000…1 read exactly: 5 / target made a percentage of 63 digits that no format could round
    "phase target of 60 decimals": ({PHASE: phase("objective:", "  text: Visites", "  target: 0." + "0" * 59 + "1",
                                                  "result:", "  value: 5")},
                                    PHASE, 5, "objective, cible", "décimales"),
    "measurement of 30 decimals": (
        {"content/objectives/ca.md": "---\ntitle: CA\nmeasurements:\n  - date: 2027-02-01\n"
                                     "    value: 1." + "1" * 30 + "\n---\n"},
        "content/objectives/ca.md", 5, "measurements, mesure 1, valeur", "décimales"),
}


@pytest.mark.parametrize("name", sorted(HUGE))
def test_a_huge_value_is_an_error_with_its_place(
    name: str, make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    files, path, line, key, words = HUGE[name]
    root = make_plan(files)
    for command in (["check"], ["build"]):
        assert main([*command, str(root), "--today", "2027-06-30"]) == 1, command
        err = capsys.readouterr().err
        assert f"{path}:{line}: erreur : {key} : " in err, err
        assert words in err, err
        assert "Traceback" not in err
    assert not (root / "public").exists()


def test_a_result_of_60_digits_is_text_with_a_warning(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({PHASE: phase("objective:", "  text: Visites", "  target: 100",
                                   'result: "' + "1" * 60 + ' visites"')})
    assert main(["check", str(root), "--today", "2027-06-30", "--strict"]) == 1
    err = capsys.readouterr().err
    assert f"{PHASE}:6: avertissement : result : résultat « {'1' * 60} visites » : nombre trop grand" in err, err
    assert main(["build", str(root), "--today", "2027-06-30"]) == 0


def test_a_budget_cell_of_30_digits_in_import_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "plan.csv"
    csv.write_text("Actions;Phases;Budget;Date début;Date fin\n"
                   "Salons;Lyon;123456789012345678901234567890;01/03/2027;03/03/2027\n", encoding="utf-8")
    book = Workbook()
    book.active.append(["Actions", "Phases", "Budget", "Date début", "Date fin"])
    book.active.append(["Salons", "Lyon", 123456789012345678901234567890, "01/03/2027", "03/03/2027"])
    book.save(tmp_path / "plan.xlsx")
    for source in (csv, tmp_path / "plan.xlsx"):
        root = tmp_path / source.suffix[1:]
        assert main(["import", str(source), str(root)]) == 1
        err = capsys.readouterr().err
        assert f"{source.name}:2: erreur : Budget : montant trop grand" in err, err
        assert not root.exists() or not any(root.rglob("*"))


def test_sums_of_the_largest_amounts_stay_exact(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    """15 200 amounts at the limit (8 phases of 1 900 budget lines, a header's 64 KB allows no more): their sum,
    1.5e16 with its cents, is 19 digits, within Decimal's 28; percentages and charts of it are drawn."""
    lines = "".join(f"  - amount: {MAX_AMOUNT}\n" for _ in range(1900))
    files = {f"content/actions/01-etudes/{n:02d}-salon-{n}.md":
             f"---\ntitle: Salon {n}\nspent: {MAX_AMOUNT}\nbudget:\n{lines}start: 2027-01-01\nend: 2027-01-31\n---\n"
             for n in range(1, 9)}
    root = make_plan({**files, PHASE: phase(f"budget: {MAX_AMOUNT}", f"spent: {MAX_AMOUNT}"),
                      FAMILY: f"---\ntitle: Études\nbudget: {MAX_AMOUNT}\n---\n",
                      "pacsite.yaml": f"budget:\n  envelope: {MAX_AMOUNT}\n"})
    assert main(["build", str(root), "--today", "2027-06-30"]) == 0, capsys.readouterr().err
    total = f"{MAX_AMOUNT * 15201:,.2f}".replace(",", "\u202f").replace(".", ",")
    assert total in (root / "public/budget/index.html").read_text(encoding="utf-8")


DATES = {
    "date_fin: 9999-12-01": ({PHASE: phase(dates="start: 2027-01-01\ndate_fin: 9999-12-01\n")}, PHASE, 4, "date_fin"),
    "start: 0001-01-01": ({PHASE: phase(dates="start: 0001-01-01\nend: 2027-01-31\n")}, PHASE, 3, "start"),
    "today: 9999-12-31": ({"pacsite.yaml": "today: 9999-12-31\n"}, "pacsite.yaml", 1, "today"),
    "today: 0001-01-01": ({"pacsite.yaml": "today: 0001-01-01\n"}, "pacsite.yaml", 1, "today"),
    "measurement 1899-12-31": ({"content/objectives/ca.md": "---\ntitle: CA\nmeasurements:\n  - date: 1899-12-31\n"
                                                           "    value: 3\n---\n"},
                               "content/objectives/ca.md", 4, "measurements, mesure 1, date"),
}


@pytest.mark.parametrize("name", sorted(DATES))
def test_a_date_out_of_range_is_an_error_with_its_place(
    name: str, make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    files, path, line, key = DATES[name]
    root = make_plan(files)
    for command in (["check"], ["build"]):
        assert main([*command, str(root)]) == 1, command
        err = capsys.readouterr().err
        assert f"{path}:{line}: erreur : {key} : date hors de la plage acceptée (1900–2199)" in err, err
    assert not (root / "public").exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2200-01-01"])
def test_today_out_of_range_on_the_command_line_is_a_usage_error(
    day: str, make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_plan({})
    for command in (["check"], ["build"]):
        assert main([*command, str(root), "--today", day]) == 2
        err = capsys.readouterr().err
        # argparse's line, worded before the plan's language is known: in English, as every usage error
        assert f"argument --today: date outside the accepted range (1900–2199): found '{day}'" in err, err
    assert not (root / "public").exists()


@pytest.mark.parametrize("value", ["zz_ZZ", "../../etc/passwd", "fr-FR-xx-yy"])
def test_an_unknown_locale_is_an_error_with_its_line(
    value: str, make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_plan({"pacsite.yaml": f"title: Plan\nlocale: {value}\n"})
    for command in (["check"], ["build"]):
        assert main([*command, str(root)]) == 1, command
        err = capsys.readouterr().err
        assert "pacsite.yaml:2: erreur : locale : locale inconnue" in err, err
    assert not (root / "public").exists()


def test_a_known_locale_is_used(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({"pacsite.yaml": "locale: fr_CH\n"})
    assert main(["build", str(root), "--today", "2027-06-30"]) == 0, capsys.readouterr().err


def test_a_static_file_hidden_by_a_page_is_warned_by_check_and_fails_strict(
    make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_plan({"static/index.html": "<p>mine</p>\n"})
    warning = "static/index.html: avertissement : caché par une page générée de même adresse"
    assert main(["check", str(root), "--today", "2027-06-30"]) == 0
    assert warning in capsys.readouterr().err
    assert main(["check", str(root), "--today", "2027-06-30", "--strict"]) == 1
    assert warning in capsys.readouterr().err
    assert main(["build", str(root), "--today", "2027-06-30", "--strict"]) == 1
    assert warning in capsys.readouterr().err
    assert not (root / "public").exists()
    assert main(["build", str(root), "--today", "2027-06-30"]) == 0
    assert warning in capsys.readouterr().err
    before = {p: p.read_bytes() for p in (root / "public").rglob("*") if p.is_file()}
    assert b"mine" not in (root / "public/index.html").read_bytes()
    (root / PHASE).write_text(phase("budget: 2000"), encoding="utf-8")
    assert main(["build", str(root), "--today", "2027-06-30", "--strict"]) == 1
    assert {p: p.read_bytes() for p in (root / "public").rglob("*") if p.is_file()} == before


def test_a_far_date_is_a_warning_and_the_timeline_stays_small(
    make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    """A phase ending in 2199 (a typo for 2029): warned, and no page grows with the 172 years drawn."""
    root = make_plan({PHASE: phase(dates="start: 2027-01-01\ndate_fin: 2199-12-31\n")})
    assert main(["check", str(root), "--today", "2027-06-30"]) == 0
    err = capsys.readouterr().err
    assert (f"{PHASE}:4: avertissement : date_fin : le 31 décembre 2199 est à plus de 10 ans de la période du plan "
            "et du jour où il est jugé (2027) : une faute de frappe ?") in err, err
    assert main(["check", str(root), "--today", "2027-06-30", "--strict"]) == 1
    assert main(["build", str(root), "--today", "2027-06-30"]) == 0
    near = write_plan(root.parent / "near", {**MINIMAL, PHASE: phase(dates="start: 2027-01-01\nend: 2027-12-31\n")})
    assert main(["build", str(near), "--today", "2027-06-30"]) == 0
    for page in ("calendrier/index.html", "actions/etudes/index.html"):
        far_size = (root / "public" / page).stat().st_size
        assert far_size < (near / "public" / page).stat().st_size + 10_000, (page, far_size)
    budget = (root / "public/budget/index.html").read_text(encoding="utf-8")
    chart = budget[budget.index('<svg class="chart wide lines"'):]
    assert len(chart[:chart.index("</svg>")]) < 40_000


def test_a_date_near_the_plan_is_no_warning(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({PHASE: phase(dates="start: 2027-01-01\nend: 2036-12-31\n")})
    assert main(["check", str(root), "--today", "2027-06-30", "--strict"]) == 0, capsys.readouterr().err
