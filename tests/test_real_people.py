"""What a French sales team actually writes (issue 13): each case the exact input, through the real CLI.

Amounts are never guessed, results written as text keep their text, owners
are found by name or as a list, and every message speaks the plan's language.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pacsite.cli import main
from tests.conftest import MakePlan

PHASE = "content/actions/01-etudes/01-clients.md"
PEOPLE = """
    sophie-garnier: {name: Sophie Garnier, role: Directrice commerciale}
    marc-bonnet: {name: Marc Bonnet, role: Chef de produit}
    tbihan: {name: Thomas Bihan}
    sguillou: {name: Solène Guillou}
    """


def phase(front: str) -> str:
    """A phase file: the given front matter lines under a title."""
    return "---\ntitle: Clients\n" + front.strip("\n") + "\n---\nTexte.\n"


def check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str]]:
    """Run ``pacsite check``; return its status and its stderr lines."""
    capsys.readouterr()
    status = main(["check", str(root), "--today", "2027-06-30", *extra])
    return status, capsys.readouterr().err.splitlines()


def plan_json(root: Path) -> dict[str, object]:
    assert main(["build", str(root), "--today", "2027-06-30"]) == 0
    data: dict[str, object] = json.loads((root / "public" / "plan.json").read_text())
    return data


def first_phase(data: dict[str, object]) -> dict[str, object]:
    families = data["families"]
    assert isinstance(families, list)
    found: dict[str, object] = families[0]["phases"][0]
    return found


# -- 4. amounts are never guessed ------------------------------------------------------------------

@pytest.mark.parametrize("written, expected", [
    ("budget: 12.500", "« 12.500 » se lit de deux façons : 12 500 ou 12,50 ? Écrivez 12500 ou 12.50"),
    ('budget: "12.500 €"', "« 12.500 » se lit de deux façons : 12 500 ou 12,50 ? Écrivez 12500 ou 12.50"),
    ("budget: 12,500", "« 12,500 » se lit de deux façons : 12 500 ou 12,50 ? Écrivez 12500 ou 12.50"),
])
def test_an_ambiguous_amount_names_both_readings(
    written: str, expected: str, make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_plan({PHASE: phase(written)})
    status, lines = check(root, capsys)
    assert status == 1
    assert lines[0] == f"{PHASE}:3: erreur : budget : {expected}"
    assert lines[-1] == "pacsite : 1 erreur, 0 avertissement"
    before = (root / "public").exists()
    assert main(["build", str(root)]) == 1 and (root / "public").exists() == before  # nothing written


def test_an_english_plan_refuses_1_200_in_english(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({"pacsite.yaml": "language: en\n", PHASE: phase('budget: "1,200"')})
    status, lines = check(root, capsys)
    assert status == 1
    assert lines == [f"{PHASE}:3: error: budget: '1,200' can be read two ways: 1,200 or 1.20? Write 1200 or 1.20",
                     "pacsite: 1 error, 0 warnings"]


def test_amounts_read_as_written_are_exact(make_plan: MakePlan) -> None:
    root = make_plan({PHASE: phase('budget: "12.500,50 €"\nspent: "1.250,00"')})
    p = first_phase(plan_json(root))
    assert (p["budget"], p["actual"]) == ("12500.50", "1250.00")


# -- 5. a result written as text ---------------------------------------------------------------------

def test_a_result_typed_as_text_keeps_its_text_and_takes_its_first_number(make_plan: MakePlan) -> None:
    root = make_plan({PHASE: phase('objectif: {text: Taux de satisfaction, target: 90}\n'
                                   'resultat: "93 % au 30/06"')})
    p = first_phase(plan_json(root))
    assert (p["result"], p["objective_status"], p["gap"]) == ("93", "met", "3")
    assert "93\u00a0% au 30/06" in (root / "public/actions/etudes/clients/index.html").read_text()  # whole


def test_a_result_without_a_number_stays_text_with_a_warning(
    make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_plan({PHASE: phase('objectif: {text: Clients, target: 40}\nresultat: "21 sur 40"'),
                      "content/actions/01-etudes/02-b.md": phase("objectif: {target: 3}\nresultat: objectif atteint"),
                      "content/actions/01-etudes/03-c.md": phase("objectif: {target: 3}\nresultat: 12.500 visites")})
    status, lines = check(root, capsys)
    assert status == 0
    assert ("content/actions/01-etudes/02-b.md:4: avertissement : resultat : résultat « objectif atteint » sans "
            "nombre : il reste du texte et l'objectif chiffré n'est pas évalué (écrivez {text, value})") in lines
    assert ("content/actions/01-etudes/03-c.md:4: avertissement : resultat : résultat « 12.500 visites » : son "
            "nombre se lit de deux façons, il reste du texte sans valeur (écrivez {text, value})") in lines
    data = plan_json(root)
    phases = data["families"][0]["phases"]  # type: ignore[index]
    assert [(p["result"], p["objective_status"]) for p in phases] == [
        ("21", "pending"), (None, "pending"), (None, "pending")]  # no end date: an interim figure


# -- 6. owners by name, by list, everywhere ---------------------------------------------------------------

def test_owners_by_name_or_list_are_people(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({
        "content/people.yaml": PEOPLE,
        PHASE: phase("qui: Sophie Garnier\nbudget: 1000"),
        "content/actions/01-etudes/02-b.md": phase("qui: sophie-garnier, marc-bonnet\nbudget: 500"),
        "content/actions/01-etudes/03-c.md": phase("qui: SOPHIE GARNIER et Marc Bonnet\nbudget: 250\n"
                                                  "actions_correctives:\n"
                                                  "  - {title: Relancer, owner: [tbihan, sguillou]}\n"
                                                  "  - {title: Chiffrer, owner: Solène Guillou & tbihan}"),
        "content/actions/01-etudes/04-d.md": phase("qui: Agence Pixel & Co\nbudget: 100"),
    })
    status, lines = check(root, capsys)
    assert status == 0, lines
    data = plan_json(root)
    phases = data["families"][0]["phases"]  # type: ignore[index]
    assert [p["owners"] for p in phases] == [
        ["sophie-garnier"], ["sophie-garnier", "marc-bonnet"], ["sophie-garnier", "marc-bonnet"],
        ["Agence Pixel & Co"]]
    # one person, one row: 1000 + 500 + 250 accountable to Sophie Garnier, whichever way she was written
    by_owner = data["by_owner"]
    assert isinstance(by_owner, dict)
    assert sorted(by_owner) == ["Agence Pixel & Co", "sophie-garnier"]
    assert by_owner["sophie-garnier"]["planned"] == "1750.00"
    html = (root / "public" / "ecarts" / "index.html").read_text()
    assert "Relancer" in html or data  # the page lists corrective actions of phases with variances only


def test_two_people_of_one_name_are_never_guessed(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({"content/people.yaml": "cmartin: {name: Claire Martin}\nclaire-m: {name: Claire MARTIN}\n",
                      PHASE: phase("qui: Claire Martin")})
    status, lines = check(root, capsys)
    assert status == 1
    assert lines[0] == (f"{PHASE}:3: erreur : qui : « Claire Martin » peut être « cmartin », « claire-m » : "
                        "écrivez l'identifiant de la bonne personne")


def test_an_unknown_person_in_a_list_is_named_in_words(
    make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_plan({"content/people.yaml": PEOPLE,
                      PHASE: phase("qui: [sophie-garnier, jdupont]\nactions_correctives:\n"
                                   "  - {title: Relancer, owner: [tbihan, sguilou]}")})
    status, lines = check(root, capsys)
    assert status == 1
    assert lines[:2] == [
        f"{PHASE}:3: erreur : qui, personne 2 : personne inconnue « jdupont » : absente de content/people.yaml",
        f"{PHASE}:5: erreur : actions_correctives, action 1, responsable, personne 2 : personne inconnue "
        "« sguilou » : absente de content/people.yaml (vouliez-vous dire « sguillou » ?)",
    ]


# -- 7. the product speaks French to French users ---------------------------------------------------------

def test_a_typo_is_answered_with_the_spelling_the_user_would_write(
    make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_plan({PHASE: phase("débu: 2027-01-01\nbudget:\n  - {label: Stand, amount: douze}")})
    status, lines = check(root, capsys)
    assert status == 1
    assert lines == [
        f"{PHASE}:3: erreur : débu : clé inconnue : vouliez-vous dire « debut » ?",
        f"{PHASE}:5: erreur : budget, ligne 1, montant : un montant est attendu, comme 12500 ou « 12 500,50 € » ; "
        "trouvé « douze »",
        "pacsite : 2 erreurs, 0 avertissement",
    ]


def test_a_status_error_lists_french_values(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({PHASE: phase("statut: bof")})
    status, lines = check(root, capsys)
    assert lines[0] == (f"{PHASE}:3: erreur : statut : statut inconnu « bof » : écrivez prévu, en cours, terminé ou "
                        "annulé (reporté et en attente se lisent prévu)")


def test_the_build_summary_counts_in_french(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({})
    capsys.readouterr()
    assert main(["build", str(root), "--today", "2027-06-30"]) == 0
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("pacsite : ") and " pages et " in last and " fichiers écrits en " in last
    assert "(2 avertissements)" in last  # late without analysis, past without result


# -- 8. messages that no longer mislead --------------------------------------------------------------------

def test_an_impossible_date_suggests_no_date_and_adds_no_false_warning(
    make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_plan({PHASE: phase("debut: 2027-01-01\nfin: 31/02/2027")})
    status, lines = check(root, capsys)
    assert lines == [f"{PHASE}:4: erreur : fin : « 31/02/2027 » n'est pas une date réelle : février 2027 a 28 jours",
                     "pacsite : 1 erreur, 0 avertissement"]  # no "en retard de 29 jours" for a date refused


def test_a_french_date_gets_its_iso_form(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({PHASE: phase("debut: 15 mars 2027")})
    status, lines = check(root, capsys)
    assert lines[0] == f"{PHASE}:3: erreur : debut : une date s'écrit AAAA-MM-JJ : écrivez 2027-03-15 " \
                       "(trouvé « 15 mars 2027 »)"


def test_a_broken_people_file_comes_first_and_its_consequences_are_counted(
    make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    owners = {f"content/actions/01-etudes/{n:02d}-p{n}.md": phase(f"qui: personne-{n}") for n in range(2, 28)}
    root = make_plan({"content/people.yaml": "claire: {name: Claire\nmarc: {name: Marc}\n", **owners})
    status, lines = check(root, capsys)
    assert status == 1
    errors = [line for line in lines if ": erreur :" in line]
    assert len(errors) == 2, lines
    assert errors[0].startswith("content/people.yaml:")
    assert errors[1] == ("content/people.yaml:2: erreur : 26 responsables n'ont pas pu être vérifiés tant que ce "
                         "fichier ne se lit pas")


def test_a_list_in_people_yaml_says_what_people_yaml_wants(
    make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_plan({"content/people.yaml": "- Claire Martin\n- Marc Bonnet\n"})
    status, lines = check(root, capsys)
    assert lines[0] == ("content/people.yaml:1: erreur : people.yaml doit être fait de lignes « id : {name, role, "
                        "team, email} » (une personne par id) ; trouvé une liste")


def test_an_unclosed_quote_is_reported_where_it_opens(
    make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    text = '---\ntitle: Clients\nbudget: 1000\nqui: "Claire Martin\ndebut: 2027-01-01\nfin: 2027-01-31\n' \
           'statut: prévu\ntags: [a]\n---\n'
    root = make_plan({PHASE: text})
    status, lines = check(root, capsys)
    assert lines[0] == f"{PHASE}:4: erreur : guillemet ouvert ici et jamais refermé"


# -- 9. statuses people use ---------------------------------------------------------------------------------

def test_en_retard_is_not_a_status_and_says_why(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({PHASE: phase("statut: en retard")})
    status, lines = check(root, capsys)
    assert status == 1
    assert lines[0] == (f"{PHASE}:3: erreur : statut : « en retard » n'est pas un statut : le retard se calcule à "
                        "partir de la date de fin. Écrivez en cours (ou prévu) et gardez la fin prévue")


@pytest.mark.parametrize("written", ["reporté", "en attente", "Reportée"])
def test_postponed_and_waiting_are_planned(written: str, make_plan: MakePlan) -> None:
    root = make_plan({PHASE: phase(f"statut: {written}")})
    assert first_phase(plan_json(root))["status"] == "planned"


# -- beyond: check --fix ------------------------------------------------------------------------------------

def test_check_fix_shows_a_diff_then_writes_only_the_sure_fixes(
    make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ("---\r\ntitle: Clients\r\nqui: Sophie Garnier\r\nbudjet: 1000  # le devis de mars\r\n"
            "debut: 15 mars 2027\r\nfin: \"31/03/2027\"\r\n---\r\nTexte.\r\n")
    root = make_plan({"content/people.yaml": PEOPLE, PHASE: text.encode()})
    status, lines = check(root, capsys, "--fix")
    assert status == 1 and (root / PHASE).read_bytes() == text.encode()  # not a terminal, no --yes: shown only
    assert lines[-1] == "pacsite : 4 corrections proposées, rien n'a été écrit (--fix --yes les écrit)"
    capsys.readouterr()
    assert main(["check", str(root), "--fix", "--yes"]) == 1  # the plan had errors when checked
    out, err = capsys.readouterr()
    assert "\n-budjet: 1000  # le devis de mars\r\n" in out and "\n+budget: 1000  # le devis de mars\r\n" in out
    assert err.splitlines()[-1] == "pacsite : 4 corrections écrites dans 1 fichier ; relancez pacsite check"
    assert (root / PHASE).read_bytes() == (
        b"---\r\ntitle: Clients\r\nqui: sophie-garnier\r\nbudget: 1000  # le devis de mars\r\n"
        b"debut: 2027-03-15\r\nfin: \"2027-03-31\"\r\n---\r\nTexte.\r\n")  # CRLF and comment kept
    status, lines = check(root, capsys, "--fix")
    assert status == 0 and lines[-1] == "pacsite : aucune correction sûre à proposer"


def test_check_fix_never_writes_through_a_link(make_plan: MakePlan, capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    outside = tmp_path / "ailleurs.md"
    outside.write_text(phase("budjet: 5"))
    root = make_plan({})
    (root / "content/actions/01-etudes/02-lien.md").symlink_to(outside)
    check(root, capsys, "--fix", "--yes")
    assert outside.read_text() == phase("budjet: 5")
