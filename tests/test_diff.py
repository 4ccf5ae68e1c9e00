"""`pacsite diff`: what a change does to the plan, read from git, in text, Markdown and JSON.

A temporary repository with one commit per kind of change (budget raised,
phase delayed, phase added, phase removed, YAML broken); the expected
reports are written out by hand.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from pacsite.cli import main
from tests.conftest import write_plan

TODAY = "2027-06-30"

BASE = {
    "content/_index.md": """
        ---
        title: Plan test
        ---
        """,
    "content/people.yaml": """
        ana:
          name: Ana Martin
        """,
    "content/actions/01-salons/_index.md": """
        ---
        title: Salons
        ---
        """,
    "content/actions/01-salons/01-lyon.md": """
        ---
        title: Salon de Lyon
        budget: 1000
        spent: 200
        start: 2027-03-01
        end: 2027-03-31
        owner: ana
        status: en cours
        ---
        """,
    "content/actions/01-salons/02-paris.md": """
        ---
        title: Salon de Paris
        budget: 2000
        start: 2027-05-01
        end: 2027-05-31
        objective:
          text: contacts
          target: 100
        ---
        """,
    "content/actions/02-web/_index.md": """
        ---
        title: Web
        ---
        """,
    "content/actions/02-web/01-site.md": """
        ---
        title: Site
        budget: 500
        ---
        """,
}


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True,
                          env={"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
                               "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org",
                               "GIT_AUTHOR_DATE": "2027-01-01T00:00:00", "GIT_COMMITTER_DATE": "2027-01-01T00:00:00",
                               "PATH": "/usr/bin:/bin", "HOME": str(root)})
    return done.stdout


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A repository whose plan lives in plan/, one commit per change; tags c0…c5."""
    repo = tmp_path / "repo"
    root = write_plan(repo / "plan", BASE)
    git(repo, "init", "-q")
    commit(repo, "the plan")
    git(repo, "tag", "c0")
    lyon = root / "content/actions/01-salons/01-lyon.md"
    lyon.write_text(lyon.read_text().replace("budget: 1000", "budget: 1500"))
    commit(repo, "budget raised")
    git(repo, "tag", "c1")
    paris = root / "content/actions/01-salons/02-paris.md"
    paris.write_text(paris.read_text().replace("end: 2027-05-31", "end: 2027-06-10")
                     .replace("objective:", "result:\n  - text: contacts\n    value: 40\n    date: 2027-06-05\n"
                              "objective:"))
    commit(repo, "phase delayed, a result")
    git(repo, "tag", "c2")
    write_plan(root, {"content/actions/02-web/02-seo.md": """
        ---
        title: Référencement
        budget: 750
        start: 2027-07-01
        end: 2027-08-31
        ---
        """})
    commit(repo, "phase added")
    git(repo, "tag", "c3")
    (root / "content/actions/02-web/01-site.md").unlink()
    commit(repo, "phase removed")
    git(repo, "tag", "c4")
    lyon.write_text(lyon.read_text().replace("title: Salon de Lyon", "title: [Salon"))
    commit(repo, "broken YAML")
    git(repo, "tag", "c5")
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str, status: int = 0) -> str:
    capsys.readouterr()
    assert main(["diff", *args, "--today", TODAY]) == status
    return capsys.readouterr().out


@pytest.fixture
def mended(history: Path) -> Path:
    """The history with Lyon's YAML mended again: tag m0, the same plan as c4."""
    lyon = history / "content/actions/01-salons/01-lyon.md"
    lyon.write_text(lyon.read_text().replace("title: [Salon", "title: Salon de Lyon"))
    commit(history.parent, "mended")
    git(history.parent, "tag", "m0")
    return history


def step(root: Path, tag: str, files: dict[str, str]) -> None:
    """Write files of the plan (root: the plan folder in repo/plan) and commit them as ``tag``."""
    write_plan(root, files)
    commit(root.parent, tag)
    git(root.parent, "tag", tag)


def test_budget_raised_names_the_phase(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # only Lyon's budget: 1 000 → 1 500; the family 1 000 + 2 000 = 3 000 → 3 500, the plan 3 500 → 4 000
    assert run(capsys, "c0", "c1", "-C", str(history)) == (
        "Plan d'action commerciale\u00a0: c0 → c1\n"
        "+500,00\u00a0€ prévus\n"
        "\n"
        "Budget\u00a0:\n"
        "  Total\u00a0: prévus 3\u202f500,00\u00a0€ → 4\u202f000,00\u00a0€ (+500,00\u00a0€), "
        "réalisés 200,00\u00a0€ → 200,00\u00a0€\n"
        "  Salons\u00a0: prévus 3\u202f000,00\u00a0€ → 3\u202f500,00\u00a0€ (+500,00\u00a0€), "
        "réalisés 200,00\u00a0€ → 200,00\u00a0€\n"
        "\n"
        "Phases modifiées\u00a0:\n"
        "  Salon de Lyon (Salons)\u00a0: budget 1\u202f000,00\u00a0€ → 1\u202f500,00\u00a0€\n"
    )
    markdown = run(capsys, "c0", "c1", "-C", str(history), "--format", "markdown")
    assert markdown.endswith("### Phases modifiées\n"
                             "- Salon de Lyon (Salons)\u00a0: budget 1\u202f000,00\u00a0€ → 1\u202f500,00\u00a0€\n")
    data = json.loads(run(capsys, "c0", "c1", "-C", str(history), "--format", "json"))
    assert data["phases"] == [{"family": "salons", "phase": "lyon", "family_title": "Salons",
                               "title": "Salon de Lyon", "planned": "1500.00", "start": "2027-03-01",
                               "end": "2027-03-31",
                               "changes": [{"field": "budget", "before": "1000.00", "after": "1500.00"}]}]
    assert data["errors"] == 0


def test_phase_delayed_with_a_result_in_markdown(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the end moved 10 days later; the result (40 of 100, final: the phase ended on 10 June)
    # makes the objective "off track" where it was waiting for a result
    assert run(capsys, "c1", "c2", "-C", str(history), "--format", "markdown") == (
        "**0,00\u00a0€ prévus, 1 phase retardée**\n"
        "\n"
        "Plan d'action commerciale\u00a0: c1 → c2\n"
        "\n"
        "### Phases modifiées\n"
        "- Salon de Paris (Salons)\u00a0: fin 31\u00a0mai\u00a02027 → 10\u00a0juin\u00a02027\u202f; "
        "résultat — → contacts 40 (5\u00a0juin\u00a02027)\n"
        "\n"
        "### Dates déplacées\n"
        "- Salons / Salon de Paris\u00a0: fin 31\u00a0mai\u00a02027 → 10\u00a0juin\u00a02027 (+10\u00a0jours)"
        " ⚠ fin repoussée\n"
        "\n"
        "### Nouveaux résultats\n"
        "- Salons / Salon de Paris\u00a0: contacts 40 (5\u00a0juin\u00a02027)\n"
        "\n"
        "### Statuts d'objectif changés\n"
        "- Salons / Salon de Paris\u00a0: En attente → Hors tolérance\n"
    )


def test_phase_added_and_removed_in_json(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(capsys, "c2", "c4", "-C", str(history), "--format", "json"))
    assert data["summary"] == "+250,00\u00a0€ prévus, 1 phase ajoutée, 1 phase supprimée"
    assert data["before"] == {"revision": "c2", "errors": []} and data["after"] == {"revision": "c4", "errors": []}
    assert data["totals"] == {"planned": {"before": "4000.00", "after": "4250.00", "delta": "250.00"},
                              "actual": {"before": "200.00", "after": "200.00", "delta": "0.00"}}
    assert data["families"] == [{"family": "web", "title": "Web", "state": "kept",
                                 "planned": {"before": "500.00", "after": "750.00", "delta": "250.00"},
                                 "actual": {"before": "0.00", "after": "0.00", "delta": "0.00"}}]
    assert data["added"] == [{"family": "web", "phase": "seo", "family_title": "Web", "title": "Référencement",
                              "planned": "750.00", "start": "2027-07-01", "end": "2027-08-31"}]
    assert data["removed"] == [{"family": "web", "phase": "site", "family_title": "Web", "title": "Site",
                                "planned": "500.00", "start": None, "end": None}]
    assert data["moved"] == data["dates"] == data["owners"] == data["statuses"] == data["results"] == []
    assert data["today"] == TODAY


def test_a_broken_phase_file_fails_the_check_and_is_not_a_removed_phase(
        history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # c5 only breaks Lyon's YAML: the file is there, unreadable; nothing else changed
    text = run(capsys, "c4", "c5", "-C", str(history), status=1)
    assert text.startswith("Plan d'action commerciale\u00a0: c4 → c5\n"
                           "⚠ 1 erreur\u00a0: le plan ne se construit pas\n"
                           "\n⚠ c5 contient une erreur\u00a0: le plan comparé est ce qui a pu en être lu.\n"
                           "    content/actions/01-salons/01-lyon.md:3: ")
    assert "liste entre crochets mal fermée" in text
    assert "supprimée" not in text and "prévus" not in text
    # its money is left out of both sides: the budget of what can be compared did not move
    assert text.endswith("\nPhases non comparées (fichier en erreur)\u00a0:\n"
                         "  Salons / Salon de Lyon — 1\u202f500,00\u00a0€, 1er\u00a0mars\u00a02027 → "
                         "31\u00a0mars\u00a02027\n")
    markdown = run(capsys, "c4", "c5", "-C", str(history), "--format", "markdown", status=1)
    assert markdown.startswith("**⚠ 1 erreur\u00a0: le plan ne se construit pas**\n")
    data = json.loads(run(capsys, "c4", "c5", "-C", str(history), "--format", "json", status=1))
    assert data["errors"] == 1 and data["removed"] == [] and data["families"] == []
    assert [p["phase"] for p in data["unknown"]] == ["lyon"]
    # mending it: the older revision's errors are said first, and do not fail the check
    back = run(capsys, "c5", "c4", "-C", str(history))
    assert back.splitlines()[1] == "⚠ 1 erreur dans c5\u00a0: le plan ne s'y construisait pas"
    assert "ajoutée" not in back


def test_an_english_plan_says_its_errors_in_english(mended: Path, capsys: pytest.CaptureFixture[str]) -> None:
    step(mended, "en1", {"pacsite.yaml": "language: en\n"})
    lyon = mended / "content/actions/01-salons/01-lyon.md"
    paris = mended / "content/actions/01-salons/02-paris.md"
    lyon.write_text(lyon.read_text().replace("title: Salon de Lyon", "title: [Salon"))
    step(mended, "en2", {})
    out = run(capsys, "en1", "en2", "-C", str(mended), "--format", "markdown", status=1)
    assert out.startswith("**⚠ 1 error: the plan does not build**\n\nCommercial action plan: en1 → en2\n")
    paris.write_text(paris.read_text().replace("end: 2027-06-10", "end: [2027"))
    step(mended, "en3", {})
    out = run(capsys, "en1", "en3", "-C", str(mended), status=1)
    assert out.splitlines()[1] == "⚠ 2 errors: the plan does not build"
    assert "\nPhases not compared (file with errors):\n  Salons / Salon de Lyon — €1,500.00, " in out
    assert "removed" not in out.replace("the plan compared", "")
    # the same branch in French: the plural is French too
    step(mended, "fr3", {"pacsite.yaml": "language: fr\n"})
    french = run(capsys, "m0", "fr3", "-C", str(mended), status=1)
    assert french.splitlines()[1] == "⚠ 2 erreurs\u00a0: le plan ne se construit pas"  # nothing else readable moved


def test_an_envelope_raised_is_a_change(mended: Path, capsys: pytest.CaptureFixture[str]) -> None:
    step(mended, "e1", {"content/actions/01-salons/_index.md": "---\ntitle: Salons\nbudget: 5000\n---\n"})
    step(mended, "e2", {"content/actions/01-salons/_index.md": "---\ntitle: Salons\nbudget: 6000\n---\n"})
    assert run(capsys, "e1", "e2", "-C", str(mended)) == (
        "Plan d'action commerciale\u00a0: e1 → e2\n"
        "0,00\u00a0€ prévus, 1 enveloppe modifiée\n"
        "\n"
        "Enveloppes\u00a0:\n"
        "  Salons\u00a0: enveloppe 5\u202f000,00\u00a0€ → 6\u202f000,00\u00a0€\n"
    )
    step(mended, "e3", {"pacsite.yaml": "budget:\n  envelope: 10000\n"})
    assert run(capsys, "e1", "e3", "-C", str(mended), "--format", "markdown") == (
        "**0,00\u00a0€ prévus, 2 enveloppes modifiées**\n"
        "\n"
        "Plan d'action commerciale\u00a0: e1 → e3\n"
        "\n"
        "### Enveloppes\n"
        "- Ensemble du plan\u00a0: enveloppe — → 10\u202f000,00\u00a0€\n"
        "- Salons\u00a0: enveloppe 5\u202f000,00\u00a0€ → 6\u202f000,00\u00a0€\n"
    )
    data = json.loads(run(capsys, "e1", "e3", "-C", str(mended), "--format", "json"))
    assert data["envelopes"] == [
        {"family": None, "title": None, "field": "envelope", "before": None, "after": "10000.00"},
        {"family": "salons", "title": "Salons", "field": "envelope", "before": "5000.00", "after": "6000.00"}]


OBJECTIVE = """
    ---
    title: Chiffre d'affaires
    unit: €
    target: {{value: {target}, date: 2027-12-31}}
    measurements:
      - {{date: 2027-03-31, value: 40000}}{more}
    ---
    """


def test_an_objective_target_and_a_measurement(mended: Path, capsys: pytest.CaptureFixture[str]) -> None:
    step(mended, "o1", {"content/objectives/ca.md": OBJECTIVE.format(target=100000, more="")})
    step(mended, "o2", {"content/objectives/ca.md": OBJECTIVE.format(
        target=120000, more="\n      - {date: 2027-06-30, value: 55000}")})
    assert run(capsys, "o1", "o2", "-C", str(mended)) == (
        "Plan d'action commerciale\u00a0: o1 → o2\n"
        "0,00\u00a0€ prévus, 1 objectif stratégique modifié\n"
        "\n"
        "Objectifs stratégiques modifiés\u00a0:\n"
        "  Chiffre d'affaires (ca)\u00a0: cible 100\u202f000\u00a0€ (31\u00a0décembre\u00a02027) → "
        "120\u202f000\u00a0€ (31\u00a0décembre\u00a02027)\u202f; "
        "mesure du 30\u00a0juin\u00a02027 — → 55\u202f000\u00a0€\n"
    )
    assert run(capsys, "m0", "o1", "-C", str(mended)).endswith(
        "Objectifs stratégiques modifiés\u00a0:\n  Chiffre d'affaires (ca)\u00a0: nouvel objectif\n")


def test_settings_that_change_figures(mended: Path, capsys: pytest.CaptureFixture[str]) -> None:
    step(mended, "t1", {"pacsite.yaml": "today: 2027-06-30\ntolerance:\n  warning: 0.1\n"})
    assert run(capsys, "m0", "t1", "-C", str(mended)) == (
        "Plan d'action commerciale\u00a0: m0 → t1\n"
        "0,00\u00a0€ prévus, 2 réglages modifiés\n"
        "\n"
        "Réglages modifiés\u00a0:\n"
        "  date d'évaluation (today) — → 30\u00a0juin\u00a02027\n"
        "  seuil de vigilance (tolerance.warning) 5,0\u00a0% → 10,0\u00a0%\n"
    )
    data = json.loads(run(capsys, "m0", "t1", "-C", str(mended), "--format", "json"))
    assert data["settings"] == [{"field": "today", "before": None, "after": "2027-06-30"},
                                {"field": "tolerance_warning", "before": "0.05", "after": "0.1"}]


def test_the_working_tree_and_a_moved_phase(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # against the working tree: the Paris fair moved to the Web family, its owner set (and Lyon mended)
    lyon = history / "content/actions/01-salons/01-lyon.md"
    lyon.write_text(lyon.read_text().replace("title: [Salon", "title: Salon de Lyon"))
    paris = history / "content/actions/01-salons/02-paris.md"
    moved = history / "content/actions/02-web/02-paris.md"
    moved.write_text(paris.read_text().replace("budget: 2000", "budget: 2000\nowner: ana"))
    paris.unlink()
    assert run(capsys, "c4", "-C", str(history)) == (
        "Plan d'action commerciale\u00a0: c4 → copie de travail\n"
        "0,00\u00a0€ prévus, 1 phase changée de famille\n"
        "\n"
        "Budget\u00a0:\n"
        "  Salons\u00a0: prévus 3\u202f500,00\u00a0€ → 1\u202f500,00\u00a0€ (−2\u202f000,00\u00a0€), "
        "réalisés 200,00\u00a0€ → 200,00\u00a0€\n"
        "  Web\u00a0: prévus 750,00\u00a0€ → 2\u202f750,00\u00a0€ (+2\u202f000,00\u00a0€), "
        "réalisés 0,00\u00a0€ → 0,00\u00a0€\n"
        "\n"
        "Phases modifiées\u00a0:\n"
        "  Salon de Paris (Web)\u00a0: responsable — → Ana Martin\n"
        "\n"
        "Phases changées de famille\u00a0:\n"
        "  Salon de Paris\u00a0: Salons → Web\n"
        "\n"
        "Responsables changés\u00a0:\n"
        "  Web / Salon de Paris\u00a0: — → Ana Martin\n"
    )


def test_usage_errors(history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "nowhere", "-C", str(history)]) == 2
    assert "version git inconnue : nowhere" in capsys.readouterr().err
    assert main(["diff", "--", "-x", "-C", str(history)]) == 2
    outside = write_plan(tmp_path / "loose", BASE)
    assert main(["diff", "HEAD", "-C", str(outside)]) == 2
    assert "n'est pas dans un dépôt git" in capsys.readouterr().err


def test_no_change_says_so(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "c4", "c4", "-C", str(history)) == (
        "Plan d'action commerciale\u00a0: c4 → c4\naucun changement du plan\n")


def test_an_english_plan_gets_an_english_summary(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (history / "pacsite.yaml").write_text("language: en\n")
    lyon = history / "content/actions/01-salons/01-lyon.md"
    lyon.write_text(lyon.read_text().replace("title: [Salon", "title: Lyon fair").replace("budget: 1500",
                                                                                        "budget: 14000"))
    paris = history / "content/actions/01-salons/02-paris.md"
    paris.write_text(paris.read_text().replace("start: 2027-05-01", "start: 2027-05-03")
                     .replace("end: 2027-06-10", "end: 2027-07-10"))
    out = run(capsys, "c4", "-C", str(history), "--format", "markdown")
    # the French locale of c4's settings does not matter: the newer side's language does
    assert out.splitlines()[:3] == ["**+€12,500.00 planned, 1 phase delayed**", "",
                                    "Commercial action plan: c4 → working tree"]
    assert ("- Salons / Salon de Paris: start 1\u00a0May\u00a02027 → 3\u00a0May\u00a02027 (+2\u00a0days), "
            "end 10\u00a0June\u00a02027 → 10\u00a0July\u00a02027 (+30\u00a0days) ⚠ end pushed back") in out
    # its end now after the judging date: the 40 contacts are no longer a final result
    assert out.endswith("### Objective statuses changed\n- Salons / Salon de Paris: Off track → Pending\n")


def test_a_link_out_of_the_plan_in_a_revision_is_not_followed(history: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\nbudget: 99\n---\n")
    (history / "content/actions/02-web/03-secret.md").symlink_to(secret)
    (history / "content/actions/02-web/04-passwd.md").symlink_to("/etc/passwd")
    commit(history.parent, "links out")
    out = run(capsys, "c4", "HEAD", "-C", str(history), status=1)  # HEAD: c5's broken YAML too
    assert "Secret" not in out and "passwd" not in out and "99,00" not in out


def test_github_annotations_name_the_file_from_the_repository_root(history: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    # the plan lives in plan/ of the repository: GitHub places annotations by the path from the root
    (history / "content/actions/02-web/05-a,b:c.md").write_text("---\ntitle: X\nbudjet: 5\n---\n")
    capsys.readouterr()
    assert main(["check", str(history), "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert ("::error file=plan/content/actions/01-salons/01-lyon.md,line=3,title=pacsite::liste entre crochets "
            "mal fermée") in out[0]
    assert any(line.startswith("::error file=plan/content/actions/02-web/05-a%2Cb%3Ac.md,line=3,title=pacsite::"
                               "budjet : clé inconnue") for line in out)


def test_a_plan_in_a_folder_with_an_accented_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # git quotes such paths ("Plan d\303\251t\303\251/…") unless asked for -z: the revision must not read as empty
    repo = tmp_path / "repo"
    root = write_plan(repo / "Plan été", BASE)
    git(repo, "init", "-q")
    commit(repo, "the plan")
    git(repo, "tag", "c0")
    lyon = root / "content/actions/01-salons/01-lyon.md"
    lyon.write_text(lyon.read_text().replace("budget: 1000", "budget: 1500"))
    commit(repo, "budget raised")
    assert "Salon de Lyon (Salons)\u00a0: budget 1\u202f000,00\u00a0€ → 1\u202f500,00\u00a0€" in run(
        capsys, "c0", "HEAD", "-C", str(root))
