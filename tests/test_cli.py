"""The commands as users run them: exit codes, one-line errors, output kept intact on failure."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pacsite.cli import main
from tests.conftest import MakePlan

PHASE = "content/actions/01-etudes/01-clients.md"
BOMB = "\n".join(
    ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
)

BAD_INPUTS = {
    "not UTF-8": (b"---\ntitle: Clients\n---\n\xe9t\xe9\n", 4, "pas en UTF-8"),
    "unclosed front matter": (b"---\ntitle: Clients\nbudget: 5\n", 1, "jamais fermé"),
    "tab indentation": (b"---\ntitle: Clients\nbudget:\n\t- 5\n---\n", 4, "tabulation"),
    "conflict markers": (b"---\ntitle: Clients\n<<<<<<< HEAD\nbudget: 5\n=======\nbudget: 6\n>>>>>>> x\n---\n", 3,
                         "marqueur de conflit"),
    "python tag": (b"---\ntitle: !!python/object/apply:os.system [echo]\n---\n", 2, "étiquettes YAML"),
    "alias bomb": (("---\ntitle: x\n" + BOMB + "\n---\n").encode(), 3, "ancres"),
    "typo": (b"---\ntitle: Clients\nbudjet: 5000\n---\n", 3, "vouliez-vous dire « budget »"),
    "bad date": (b"---\ntitle: Clients\nstart: 2027-02-30\n---\n", 3, "pas une date réelle"),
    "wrong type": (b"---\ntitle: [a, b]\n---\n", 2, "un texte est attendu"),
    "duplicate key": (b"---\ntitle: a\ntitle: b\n---\n", 3, "clé donnée deux fois"),
    "dates in wrong order": (b"---\ntitle: a\nstart: 2027-05-01\nend: 2027-04-01\n---\n", 4, "est avant le début"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", 3, "binaire"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_clean_line_and_keeps_the_previous_output(
    name: str, make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_plan({})
    assert main(["build", str(root), "--today", "2027-06-30"]) == 0
    before = {p: p.read_bytes() for p in (root / "public").rglob("*") if p.is_file()}
    data, line, words = BAD_INPUTS[name]
    (root / PHASE).write_bytes(data)
    capsys.readouterr()
    started = time.perf_counter()
    assert main(["check", str(root)]) == 1
    elapsed = time.perf_counter() - started
    err = capsys.readouterr().err
    errors = [x for x in err.splitlines() if ": erreur :" in x]
    assert errors and errors[0].startswith(f"{PHASE}:{line}: erreur :"), err
    assert words in errors[0], err
    assert "Traceback" not in err
    assert elapsed < 1
    assert main(["build", str(root)]) == 1
    after = {p: p.read_bytes() for p in (root / "public").rglob("*") if p.is_file()}
    assert after == before
    assert not list(root.glob(".public.tmp-*"))


@pytest.mark.slow  # a 5 MB build, timed
def test_a_5_mb_phase_builds_within_seconds(make_plan: MakePlan) -> None:
    paragraph = "La piscine est sécurisée par une alarme conforme à la norme NF P90-307. " * 12
    body = "\n\n".join(f"## Section {i}\n\n{paragraph}" for i in range(6000))
    root = make_plan({PHASE: "---\ntitle: Gros fichier\nbudget: 10\n---\n" + body})
    assert (root / PHASE).stat().st_size > 5_000_000
    started = time.perf_counter()
    assert main(["build", str(root), "--today", "2027-06-30"]) == 0
    assert time.perf_counter() - started < 30


def test_check_lists_every_error_and_warning(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({
        "content/actions/01-etudes/02-a.md": "---\ntitle: A\nbudjet: 1\n---\n",
        "content/actions/01-etudes/03-b.md": "---\ntitle: B\nend: 2027-01-01\nstatus: en cours\n---\n",
        "content/actions/01-etudes/04-c.md": "---\ntitle: C\ncouleur: bleu\n---\n[lien](absent.md)\n",
    })
    assert main(["check", str(root), "--format", "json", "--today", "2027-06-30"]) == 1
    found = json.loads(capsys.readouterr().out)
    summary = [(d["severity"], d["path"].rsplit("/", 1)[-1], d["line"], d["key"]) for d in found]
    assert summary == [
        ("error", "02-a.md", 3, "budjet"), ("error", "04-c.md", 5, None),  # every error, then warnings
        ("warning", "01-clients.md", 5, "analyse"), ("warning", "01-clients.md", 5, "resultat"),
        ("warning", "03-b.md", 3, "analyse"), ("warning", "03-b.md", 3, "resultat"),
        ("warning", "04-c.md", 3, "couleur"),
    ]
    assert main(["check", str(root), "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert "::error file=content/actions/01-etudes/02-a.md,line=3,title=pacsite::budjet : clé inconnue" in out


def test_strict_turns_warnings_into_errors(make_plan: MakePlan) -> None:
    root = make_plan({"content/actions/01-etudes/02-a.md": "---\ntitle: A\ncouleur: bleu\n---\n"})
    assert main(["check", str(root)]) == 0
    assert main(["check", str(root), "--strict"]) == 1
    assert main(["build", str(root), "--strict"]) == 1
    assert not (root / "public").exists()


def test_a_folder_without_content_is_not_built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tmp_path)]) == 1
    assert "pas de dossier content/" in capsys.readouterr().err
    assert not (tmp_path / "public").exists()


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tmp_path / "nope")]) == 2
    assert main(["build", "--today", "30/06/2027"]) == 2
    assert "write 2027-06-30" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2


@pytest.mark.parametrize("lang, page", [("fr", "calendrier/index.html"), ("en", "timeline/index.html")])
def test_init_then_build(tmp_path: Path, lang: str, page: str) -> None:
    root = tmp_path / "nouveau"
    assert main(["init", str(root), "--lang", lang]) == 0
    assert main(["build", str(root), "--today", "2027-06-30"]) == 0
    assert (root / "public" / page).is_file()
    data = json.loads((root / "public" / "plan.json").read_text())
    assert len(data["families"]) == 15 and sum(len(f["phases"]) for f in data["families"]) >= 40
    html = (root / "public" / "index.html").read_text()
    assert f'<html lang="{lang}">' in html


def test_output_refuses_to_swallow_the_plan_or_foreign_folders(make_plan: MakePlan) -> None:
    root = make_plan({})
    assert main(["build", str(root), "-o", str(root)]) == 1
    assert main(["build", str(root), "-o", str(root / "content" / "x")]) == 1
    foreign = root / "mes-documents"
    foreign.mkdir()
    (foreign / "précieux.txt").write_text("ne pas perdre")
    assert main(["build", str(root), "-o", str(foreign)]) == 1
    assert (foreign / "précieux.txt").read_text() == "ne pas perdre"
    assert (root / "content" / "_index.md").is_file()


def test_real_process_has_no_traceback_and_prints_a_summary(make_plan: MakePlan) -> None:
    root = make_plan({})
    ok = subprocess.run([sys.executable, "-m", "pacsite", "build", str(root)], capture_output=True, text=True)
    assert ok.returncode == 0 and "écrits en" in ok.stderr and "pages" in ok.stderr
    (root / PHASE).write_bytes(b"---\ntitle: !!python/object:os.system x\n---\n")
    bad = subprocess.run([sys.executable, "-m", "pacsite", "build", str(root)], capture_output=True, text=True)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    version = subprocess.run([sys.executable, "-m", "pacsite", "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("pacsite ")


def test_build_shows_thirty_warnings_and_counts_the_rest() -> None:
    from pacsite.cli import WARNINGS_SHOWN
    from pacsite.errors import Diagnostics

    diagnostics = Diagnostics()
    diagnostics.error("content/a.md", 3, "budget", "not an amount")
    for n in range(WARNINGS_SHOWN + 12):
        diagnostics.warning(f"content/p{n:03d}.md", 7, "analysis", "late and no variance analysis")
    lines = diagnostics.render("text", warning_limit=WARNINGS_SHOWN).splitlines()
    assert lines[0].startswith("content/a.md:3: erreur : budget :")  # errors first, never hidden
    assert len(lines) == 1 + WARNINGS_SHOWN + 1
    assert lines[-1] == "… et 12 autres avertissements : pacsite check les donne tous"
    diagnostics.language = "en"
    assert diagnostics.render("text", warning_limit=WARNINGS_SHOWN).splitlines()[-1] == (
        "… and 12 more warnings: pacsite check lists them all")
    assert len(diagnostics.render("text").splitlines()) == 1 + WARNINGS_SHOWN + 12
