"""Loading: aliases, owners, links between files, and every error at its file and line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from pacsite.errors import Diagnostics
from pacsite.load.loader import load_plan
from tests.conftest import MakePlan


def load(root: Path) -> tuple[object, Diagnostics]:
    diagnostics = Diagnostics()
    return load_plan(root, diagnostics, today=date(2027, 6, 30)), diagnostics


def messages(d: Diagnostics) -> list[str]:
    return [x.format_text() for x in d.errors]


def english(d: Diagnostics) -> list[str]:
    d.language = "en"
    return [x.format_text() for x in d.errors]


def test_french_aliases_and_text_amounts(make_plan: MakePlan) -> None:
    root = make_plan({"content/actions/01-etudes/02-concurrence.md": """
        ---
        Étape: Concurrence
        QUI: Cabinet Dupont
        Budget prévu: "12 500,50 €"
        Dépense: 3000
        Date début: 2027-02-01
        fin: 2027-03-31
        Statut: Terminé
        fin_reelle: 2027-04-02
        objectif: {text: 20 concurrents, target: 20}
        resultat_obtenu: {text: analysés, value: 18, date: 2027-04-02}
        ---
        ## Analyse des écarts
        Deux concurrents introuvables.
        """})
    plan, d = load(root)
    assert not d.has_errors(), messages(d)
    p = plan.families[0].phases[1]  # type: ignore[attr-defined]
    assert (p.title, p.owner.name, p.budget, p.spent) == ("Concurrence", "Cabinet Dupont", Decimal("12500.50"),
                                                         Decimal("3000.00"))
    assert (p.start, p.end, p.status, p.finished) == (date(2027, 2, 1), date(2027, 3, 31), "done", date(2027, 4, 2))
    assert p.objective.target == 20 and p.results[0].value == 18
    assert p.analysis == "Deux concurrents introuvables." and "Analyse" not in p.body


def test_order_slug_and_owner_inheritance(make_plan: MakePlan) -> None:
    root = make_plan({
        "content/people.yaml": "claire: {name: Claire Martin, role: Directrice}\n",
        "content/actions/01-etudes/_index.md": "---\ntitle: Études\nowner: claire\n---\n",
        "content/actions/01-etudes/zeta.md": "---\ntitle: Z\n---\n",
        "content/actions/01-etudes/alpha.md": "---\ntitle: A\norder: 5\n---\n",
        "content/actions/02-fidelisation/01-x.md": "---\ntitle: X\n---\n",
    })
    plan, d = load(root)
    assert not d.has_errors(), messages(d)
    fam = plan.families[0]  # type: ignore[attr-defined]
    assert [p.slug for p in fam.phases] == ["clients", "alpha", "zeta"]
    assert all(p.owner.person.name == "Claire Martin" for p in fam.phases)
    assert plan.families[1].title == "Fidelisation"  # type: ignore[attr-defined]
    assert any("sans _index.md" in w.text() for w in d.warnings)


def test_every_error_of_the_plan_at_once_with_file_line_and_key(make_plan: MakePlan) -> None:
    root = make_plan({
        "content/people.yaml": "claire: {name: Claire}\n",
        "content/objectives/ca.md": "---\ntitle: CA\n---\n",
        "content/actions/01-etudes/02-a.md": """
            ---
            title: A
            budjet: 5000
            owner: jdupont
            ---
            """,
        "content/actions/01-etudes/03-b.md": """
            ---
            title: B
            start: 2027-05-01
            end: 2027-04-01
            contributes_to: [ca, cb]
            status: fini-ou-pas
            ---
            """,
        "content/actions/01-etudes/04-c.md": """
            ---
            title: C
            spent: 10
            budget:
              - {label: x, amount: 5, spent: 2}
            start: 2027-02-30
            ---
            """,
        "content/actions/01-etudes/05-d.md": "---\nbudget: abc\n---\n",
    })
    _, d = load(root)
    got = messages(d)
    assert got == [
        "content/actions/01-etudes/02-a.md:3: erreur : budjet : clé inconnue : vouliez-vous dire « budget » ?",
        "content/actions/01-etudes/02-a.md:4: erreur : owner : personne inconnue « jdupont » : absente de "
        "content/people.yaml",
        "content/actions/01-etudes/03-b.md:4: erreur : end : la fin (2027-04-01) est avant le début "
        "(2027-05-01, clé « start »)",
        "content/actions/01-etudes/03-b.md:5: erreur : contributes_to, objectif 2 : objectif inconnu « cb » : "
        "vouliez-vous dire « ca » ?",
        "content/actions/01-etudes/03-b.md:6: erreur : status : statut inconnu « fini-ou-pas » : écrivez prévu, "
        "en cours, terminé ou annulé (reporté et en attente se lisent prévu)",
        "content/actions/01-etudes/04-c.md:3: erreur : spent : la dépense est donnée sur la phase et sur ses "
        "lignes de budget : gardez l'une des deux",
        "content/actions/01-etudes/04-c.md:6: erreur : start : « 2027-02-30 » n'est pas une date réelle : "
        "février 2027 a 28 jours",
        "content/actions/01-etudes/05-d.md:1: erreur : titre : clé obligatoire absente",
        "content/actions/01-etudes/05-d.md:2: erreur : budget : un montant est attendu, comme "
        "12500 ou « 12 500,50 € » ; trouvé « abc »",
    ]
    assert english(d)[1] == ("content/actions/01-etudes/02-a.md:4: error: owner: unknown person 'jdupont': "
                             "not in content/people.yaml")
    assert english(d)[-1] == ("content/actions/01-etudes/05-d.md:2: error: budget: expected an "
                              "amount such as 12500 or \"12,500.50\", found 'abc'")


def test_duplicate_urls_are_errors_naming_both(make_plan: MakePlan) -> None:
    root = make_plan({
        "content/actions/02-etudes/_index.md": "---\ntitle: Encore\n---\n",
        "content/actions/01-etudes/clients.md": "---\ntitle: Encore\n---\n",
    })
    _, d = load(root)
    got = "\n".join(messages(d))
    assert "content/actions/02-etudes: erreur : même adresse de page que content/actions/01-etudes" in got
    assert "même adresse de page que content/actions/01-etudes/01-clients.md" in got


def test_unknown_keys_warn_and_are_kept(make_plan: MakePlan) -> None:
    root = make_plan({"content/actions/01-etudes/02-x.md": "---\ntitle: X\nfournisseur: Acme\n---\n"})
    plan, d = load(root)
    assert not d.has_errors()
    assert [w.key for w in d.warnings] == ["fournisseur"]
    assert plan.families[0].phases[1].extra == {"fournisseur": "Acme"}  # type: ignore[attr-defined]


def test_a_key_given_twice_through_an_alias(make_plan: MakePlan) -> None:
    text = "---\ntitle: X\nstart: 2027-01-01\ndebut: 2027-01-02\n---\n"
    root = make_plan({"content/actions/01-etudes/02-x.md": text})
    _, d = load(root)
    assert "debut : donnée deux fois (comme « start » et comme « debut ») : gardez-en une" in "\n".join(messages(d))


def test_only_start_makes_a_milestone(make_plan: MakePlan) -> None:
    root = make_plan({"content/actions/01-etudes/02-x.md": "---\ntitle: Salon\nstart: 2027-09-14\n---\n"})
    plan, d = load(root)
    p = plan.families[0].phases[1]  # type: ignore[attr-defined]
    assert p.milestone and p.end == date(2027, 9, 14)


def test_editor_temporaries_and_private_files_are_ignored(make_plan: MakePlan) -> None:
    root = make_plan({
        "content/actions/01-etudes/01-clients.md~": "garbage: [",
        "content/actions/01-etudes/.01-clients.md.swp": b"\x00\x01",
        "content/actions/01-etudes/#x.md#": "x: [",
        "content/actions/01-etudes/_brouillon.md": "x: [",
        "content/actions/01-etudes/01-clients.md___jb_tmp___": "x: [",
    })
    plan, d = load(root)
    assert not d.has_errors(), messages(d)
    assert len(plan.families[0].phases) == 1  # type: ignore[attr-defined]


def test_nested_typos_are_errors_with_a_suggestion(make_plan: MakePlan) -> None:
    root = make_plan({"content/actions/01-etudes/02-x.md": """
        ---
        title: X
        budget:
          - {label: Stand, amout: 500}
        ---
        """})
    _, d = load(root)
    assert messages(d) == ["content/actions/01-etudes/02-x.md:4: erreur : budget, ligne 1, amout : clé inconnue : "
                           "vouliez-vous dire « amount » ?"]
