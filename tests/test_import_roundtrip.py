"""plan.xlsx comes back: the same plan.json from a fresh import, and Excel's edits applied to the plan's files."""

from __future__ import annotations

import difflib
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from pacsite.build import build
from pacsite.cli import main
from pacsite.errors import Diagnostics
from pacsite.load import fields
from pacsite.load.frontmatter import parse_yaml
from pacsite.tools import frontedit
from tests.conftest import EXAMPLE_TODAY, REPO


def _example(root: Path, language: str = "fr") -> Path:
    shutil.copytree(REPO / "content", root / "content")
    settings_text = (REPO / "pacsite.yaml").read_text(encoding="utf-8")
    (root / "pacsite.yaml").write_text(settings_text.replace("language: fr\n", f"language: {language}\n"),
                                       encoding="utf-8")
    return root


def _built(root: Path) -> dict[str, Any]:
    diagnostics = Diagnostics()
    build(root, diagnostics, root / "public", today=EXAMPLE_TODAY)
    assert not diagnostics.has_errors(), diagnostics.render()
    return json.loads((root / "public/plan.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_fresh_import_of_plan_xlsx_gives_the_same_plan_json(tmp_path: Path, language: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    original = _example(tmp_path / "original", language)
    _built(original)
    root = tmp_path / "imported"
    assert main(["import", str(original / "public/plan.xlsx"), str(root)]) == 0
    err = capsys.readouterr().err
    if language == "fr":  # the workbook's headers say the plan's language: its messages speak it
        assert "phases — modifiées : 0, déplacées : 0, ajoutées : 0, supprimées : 0, inchangées : 54" in err
        assert "54 phases écrites sans leur texte" in err
    else:
        assert "phases: 0 changed, 0 moved, 0 added, 0 removed, 54 unchanged" in err
        assert "54 phases written without their text" in err
    _built(root)
    # byte for byte: budget lines, targets, result dates, tags, stages, owners' ids, envelopes, objectives…
    assert (root / "public/plan.json").read_bytes() == (original / "public/plan.json").read_bytes()
    # the files other than phases come back whole, and each phase's front matter as written
    for path in (original / "content").rglob("*"):
        if path.is_file():
            again = (root / path.relative_to(original)).read_text(encoding="utf-8")
            text = path.read_text(encoding="utf-8")
            if "/actions/" in path.as_posix() and path.name != "_index.md":
                front = text.split("\n---\n", 1)[0]
                # the analysis written in the text (not carried) comes into the front matter
                added = again.split("\n---\n", 1)[0].removeprefix(front)
                assert again.startswith(front + "\n")
                assert not added or (added.startswith("\nanalysis: |") and "## " in text.split("\n---\n", 1)[1])
            else:
                assert again == text, path


def _edit(xlsx: Path, out: Path) -> dict[str, int]:
    """Edit the plan sheet as a person would in Excel; return the rows touched, by what was done."""
    wb = load_workbook(xlsx)
    ws = wb.worksheets[0]
    rows = {r[11].value: r for r in ws.iter_rows(min_row=2) if r[11].value}
    a = "content/actions/"
    concurrence = rows[a + "01-etudes-de-marche/02-concurrence.md"]
    concurrence[3].value = 5000  # budget 4500 -> 5000
    concurrence[6].value = "20/03/2027"  # end, typed as text in French
    concurrence[8].value = "24 concurrents analysés 24"  # result: text, then the value
    rows[a + "15-suivi-commercial/02-actions-correctives.md"][10].value = "Terminé"
    rows[a + "01-etudes-de-marche/01-clientele-potentielle.md"][2].value = "Julien Roche"
    quality = rows[a + "04-qualite/01-agrements.md"][0].value
    rows[a + "01-etudes-de-marche/03-environnement.md"][0].value = quality  # moved to another family
    for path, row in rows.items():  # a family renamed on all its rows
        if "/15-suivi-commercial/" in path:
            row[0].value = "Le suivi commercial informatisé"
    deleted = rows[a + "09-marketing-direct/04-teleprospection.md"][0].row
    ws.delete_rows(deleted)
    ws.append([rows[a + "09-marketing-direct/01-fichiers.md"][0].value, "Campagne de relance d'automne",
               "Claire Martin", "1 200,00 €", None, "01/09/2027", "30/09/2027"])
    wb.save(out)
    return {"deleted": deleted}


def test_cells_edited_in_excel_change_only_their_keys_in_the_plan(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    plan = _example(tmp_path / "plan")
    before = _built(plan)
    originals = {p.relative_to(plan).as_posix(): p.read_text(encoding="utf-8")
                 for p in (plan / "content").rglob("*") if p.is_file()}
    _edit(plan / "public/plan.xlsx", tmp_path / "edited.xlsx")
    assert main(["import", str(tmp_path / "edited.xlsx"), str(plan)]) == 2
    assert "(4 fichiers à remplacer, 2 à supprimer) : utilisez --force" in capsys.readouterr().err
    assert {p.relative_to(plan).as_posix(): p.read_text(encoding="utf-8")
            for p in (plan / "content").rglob("*") if p.is_file()} == originals  # nothing touched
    assert main(["import", str(tmp_path / "edited.xlsx"), str(plan), "--force"]) == 0
    err = capsys.readouterr().err
    assert "phases — modifiées : 3, déplacées : 1, ajoutées : 1, supprimées : 1, inchangées : 49" in err
    assert "famille renommée : 15-suivi-commercial s'intitule désormais « Le suivi commercial informatisé »" in err
    assert "pacsite : 6 fichiers écrits, 2 supprimés, dans" in err
    now = {p.relative_to(plan).as_posix(): p.read_text(encoding="utf-8")
           for p in (plan / "content").rglob("*") if p.is_file()}
    a = "content/actions/"

    def changes(path: str, new_path: str | None = None) -> list[str]:
        old, new = originals[path].split("\n"), now[new_path or path].split("\n")
        return [line for line in difflib.unified_diff(old, new, lineterm="", n=0)
                if line[:1] in "+-" and not line.startswith(("+++", "---"))]

    assert changes(a + "01-etudes-de-marche/02-concurrence.md") == [
        "-budget_prevu: 4500", "+budget_prevu: 5000",  # the key as written, the amount as written
        "-date_fin: 2027-03-05", "+date_fin: 2027-03-20",
        "-  text: 23 concurrents analysés", "-  value: 23",
        "+  text: 24 concurrents analysés", "+  value: 24",  # the result's date is kept
    ]
    assert changes(a + "15-suivi-commercial/02-actions-correctives.md") == [
        "-status: in_progress", "+status: Terminé"]
    assert changes(a + "01-etudes-de-marche/01-clientele-potentielle.md") == [
        "-owner: [sophie-berthet, claire-martin]", "+owner: julien-roche"]  # the name, written as its id
    # moved with its text; gone from where it was
    assert now[a + "04-qualite/03-environnement.md"] == originals[a + "01-etudes-de-marche/03-environnement.md"]
    assert a + "01-etudes-de-marche/03-environnement.md" not in now
    assert a + "09-marketing-direct/04-teleprospection.md" not in now
    assert changes(a + "15-suivi-commercial/_index.md") == [
        "-title: L'informatisation du suivi commercial", "+title: Le suivi commercial informatisé"]
    assert now[a + "09-marketing-direct/05-campagne-de-relance-d-automne.md"] == (
        '---\ntitle: "Campagne de relance d\'automne"\nowner: "claire-martin"\nbudget: 1200.00\n'
        "start: 2027-09-01\nend: 2027-09-30\n---\n")
    touched = {a + p for p in (
        "01-etudes-de-marche/02-concurrence.md", "15-suivi-commercial/02-actions-correctives.md",
        "01-etudes-de-marche/01-clientele-potentielle.md", "04-qualite/03-environnement.md",
        "15-suivi-commercial/_index.md", "09-marketing-direct/05-campagne-de-relance-d-automne.md")}
    assert {p: t for p, t in now.items() if p not in touched} == {
        p: t for p, t in originals.items() if p in now and p not in touched}  # every other file as it was

    after = _built(plan)
    phases = {p["source"]: p for f in before["families"] for p in f["phases"]}
    expected = (Decimal(before["totals"]["planned"]) + 500 + 1200
                - Decimal(phases[a + "09-marketing-direct/04-teleprospection.md"]["planned"]))
    assert Decimal(after["totals"]["planned"]) == expected
    titles = [f["title"] for f in after["families"]]
    assert "Le suivi commercial informatisé" in titles and len(titles) == 15


def test_a_second_import_of_the_same_workbook_changes_nothing(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    plan = _example(tmp_path / "plan")
    _built(plan)
    shutil.copy(plan / "public/plan.xlsx", tmp_path / "plan.xlsx")
    texts = {p: p.read_bytes() for p in (plan / "content").rglob("*") if p.is_file()}
    assert main(["import", str(tmp_path / "plan.xlsx"), str(plan)]) == 0  # nothing to write: no --force needed
    assert "pacsite : 0 fichier écrit dans" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in (plan / "content").rglob("*") if p.is_file()} == texts


def test_rows_without_their_file_cell_are_matched_by_title(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    plan = _example(tmp_path / "plan")
    _built(plan)
    wb = load_workbook(plan / "public/plan.xlsx")
    ws = wb.worksheets[0]
    ws.delete_cols(12)  # the Fichier column gone (copied to another workbook, say)
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value.startswith("L'étude de la concurrence"))
    row[3].value = 4600
    wb.save(tmp_path / "edited.xlsx")
    before = (plan / "content/actions/01-etudes-de-marche/02-concurrence.md").read_text(encoding="utf-8")
    assert main(["import", str(tmp_path / "edited.xlsx"), str(plan), "--force"]) == 0
    assert "phases — modifiées : 1, déplacées : 0, ajoutées : 0, supprimées : 0, inchangées : 53" in \
        capsys.readouterr().err
    after = (plan / "content/actions/01-etudes-de-marche/02-concurrence.md").read_text(encoding="utf-8")
    assert after == before.replace("budget_prevu: 4500\n", "budget_prevu: 4600\n")


def test_an_edit_to_a_file_broken_since_the_download_is_refused(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    plan = _example(tmp_path / "plan")
    _built(plan)
    wb = load_workbook(plan / "public/plan.xlsx")
    next(r for r in wb.worksheets[0].iter_rows(min_row=2) if r[11].value.endswith("/02-concurrence.md"))[3].value = 1
    wb.save(tmp_path / "edited.xlsx")
    phase = plan / "content/actions/01-etudes-de-marche/02-concurrence.md"
    phase.write_text(phase.read_text(encoding="utf-8").replace("qui: claire-martin", "qui: [claire"),
                     encoding="utf-8")
    texts = {p: p.read_bytes() for p in (plan / "content").rglob("*") if p.is_file()}
    assert main(["import", str(tmp_path / "edited.xlsx"), str(plan), "--force"]) == 1
    err = capsys.readouterr().err
    assert "ligne 3 : content/actions/01-etudes-de-marche/02-concurrence.md ne peut pas être modifié : ligne 4 :" \
        in err
    assert "Traceback" not in err
    assert {p: p.read_bytes() for p in (plan / "content").rglob("*") if p.is_file()} == texts


@pytest.mark.parametrize("path, kind", [
    ("../../etc/passwd", "file"),
    ("/etc/passwd", "file"),
    ("content/../../x.md", "file"),
    ("content/actions/01-a/_index.md", "phase"),  # a family's file given as a phase
    ("content/actions/01-a/01-b.md", "file"),
    ("content/image.png", "file"),
    ("content\\..\\x.md", "file"),
    ("content/x.md\n", "file"),
])
def test_a_hidden_sheet_that_names_other_files_is_refused(tmp_path: Path, path: str, kind: str, example_site: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    wb = load_workbook(example_site / "plan.xlsx")  # the example's, built once for the session
    wb["pacsite"].append([path, kind, json.dumps([None] * 12), "", "pwned"])
    wb.save(tmp_path / "crafted.xlsx")
    out = tmp_path / "out"
    assert main(["import", str(tmp_path / "crafted.xlsx"), str(out)]) == 1
    err = capsys.readouterr().err
    assert f"crafted.xlsx:{wb['pacsite'].max_row}: erreur : pacsite!A{wb['pacsite'].max_row} : pas un fichier du " \
        "plan : « " in err
    assert not out.exists() and not (tmp_path / "etc").exists()


def test_text_that_xml_cannot_hold_travels_as_json(tmp_path: Path) -> None:
    plan = _example(tmp_path / "plan")
    page = plan / "content/pages/glossaire.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSaut de page : \x0c fin.\n" + "x" * 70_000 + "\n",
                    encoding="utf-8")
    _built(plan)
    wb = load_workbook(plan / "public/plan.xlsx", read_only=True)
    row = next(r for r in wb["pacsite"].iter_rows(values_only=True) if r[0] == "content/pages/glossaire.md")
    assert row[3] == "json" and len(row) >= 7  # 70 000 characters: three cells
    wb.close()
    assert main(["import", str(plan / "public/plan.xlsx"), str(tmp_path / "out")]) == 0
    assert (tmp_path / "out/content/pages/glossaire.md").read_text(encoding="utf-8") == page.read_text(
        encoding="utf-8")


_scalars = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff"), max_size=30)
_keys = st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True)
_trees = st.recursive(
    st.one_of(st.none(), _scalars),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=4)),
    max_leaves=12)


@pytest.mark.slow  # 300 random trees: a fuzzer, run by `make test-all` and CI
@settings(max_examples=300, deadline=None)
@given(tree=st.dictionaries(_keys, _trees, min_size=1, max_size=5))
def test_any_plain_data_is_written_as_yaml_that_reads_back_the_same(tree: dict[str, Any]) -> None:
    text = "\n".join(line for key, value in tree.items() for line in frontedit.dump(key, value))
    assert parse_yaml(text)[0] == tree, text


@settings(max_examples=200, deadline=None)
@given(value=_trees)
def test_setting_a_key_leaves_every_other_line_as_it_was(value: Any) -> None:
    front = ("# le plan\netape: Étude\nqui: claire-martin  # responsable\n\n# budget\nbudget_prevu:\n"
             "  - label: a\n    amount: 3\nfin: 2027-01-01\ntags: [a,\n  b]")
    aliases = fields.alias_table(fields.PHASE_KEYS)
    edited = frontedit.set_key(front, "budget", aliases, value)
    data = parse_yaml(edited)[0]
    assert data.get("budget_prevu", "absent") == (value if value is not None else "absent")
    assert {k: v for k, v in data.items() if k != "budget_prevu"} == {
        "etape": "Étude", "qui": "claire-martin", "fin": "2027-01-01", "tags": ["a", "b"]}
    kept = [line for line in front.split("\n") if not line.startswith(("budget_prevu", "  "))]
    assert [line for line in edited.split("\n") if line in kept] == kept
