"""Issue 14: a hostile plan writes, reads and deletes nothing outside where it belongs.

Plans are built from pull requests on runners holding secrets: every file
name is hostile. Each test goes through the real command line (or the live
preview's builder) with the exact input of the report.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pacsite.cli import main
from pacsite.serve.live import Builder, LiveState
from tests.conftest import EXAMPLE_TODAY, MINIMAL, MakePlan, write_plan
from tests.test_hostile_outputs import script_attributes

PAGE = "---\ntitle: Victime\n---\nTexte.\n"
FAMILY = "---\ntitle: Famille\n---\n"
PHASE = "---\ntitle: Phase\nbudget: 10\nstart: 2027-01-01\nend: 2027-01-02\n---\n"


def build(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run ``pacsite build`` on ``root``; return the exit status and what it said."""
    code = main(["build", str(root), "--today", "2027-06-30", *args])
    out, err = capsys.readouterr()
    return code, out + err


# -- point 1: writing and deleting outside the output -------------------------------------------------

def test_a_page_folder_named_dot_dot_writes_nothing_outside_the_plan(
        make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({"content/pages/01-../01-../01-../victim/index.md": PAGE})
    victim = root.parent / "victim" / "index.html"
    victim.parent.mkdir()
    victim.write_text("précieux")
    code, said = build(root, capsys)
    assert code == 1, said
    assert victim.read_text() == "précieux"
    assert "content/pages/01-../01-../01-../victim/index.md" in said
    assert "« 01-.. » ne donne aucune adresse" in said  # worded in the plan's language (French by default)
    assert not (root / "public").exists()


def test_a_family_folder_named_dot_dot_does_not_replace_the_home_page(
        make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({"content/actions/99-../_index.md": FAMILY, "content/actions/99-../01-x.md": PHASE})
    code, said = build(root, capsys)
    assert code == 1, said
    assert "content/actions/99-.." in said
    assert not (root / "public").exists()


def test_the_live_preview_never_deletes_a_file_outside_its_output(make_plan: MakePlan) -> None:
    """`serve` built the page outside, then deleted it there when its .md was deleted."""
    page = "content/pages/01-../01-../01-../victim/index.md"
    root = make_plan({page: PAGE})
    victim = root.parent / "victim" / "index.html"
    victim.parent.mkdir()
    victim.write_text("précieux")
    builder = Builder(root, root / "public", LiveState(), EXAMPLE_TODAY)
    builder.build_once()
    assert builder.state.errors and "01-.." in builder.state.errors[0]
    (root / page).unlink()
    builder.mark(str(root / page))
    builder.build_once()
    assert not builder.state.errors
    assert victim.read_text() == "précieux"
    assert (root / "public" / "index.html").is_file()


def test_the_writer_refuses_a_path_out_of_the_output_even_if_a_name_slipped_through(tmp_path: Path) -> None:
    """Defence in depth: the one module that writes and deletes checks every path itself."""
    from pacsite.errors import PacsiteError
    from pacsite.output.write import update_site, write_site

    out = tmp_path / "public"
    write_site(out, {"index.html": b"home"}, {})
    victim = tmp_path / "victim" / "index.html"
    victim.parent.mkdir()
    victim.write_text("précieux")
    for files, written in (({"../victim/index.html": b"x"}, {}),  # written by serve
                           ({}, {"../victim/index.html": b"x"})):  # deleted by serve: its .md is gone
        with pytest.raises(PacsiteError):
            update_site(out, files, {}, dict(written))
    with pytest.raises(PacsiteError):
        write_site(out, {"actions/../../victim/index.html": b"x"}, {})
    assert victim.read_text() == "précieux"
    assert (out / "index.html").read_bytes() == b"home"


# -- point 3: publishing the runner's files -------------------------------------------------------------

SECRET = Path("/etc/passwd")


def published(root: Path) -> str:
    """Every byte of the output folder, as text (empty when nothing was written)."""
    out = root / "public"
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(out.rglob("*")) if p.is_file()) \
        if out.is_dir() else ""


@pytest.mark.parametrize("link", ["content/pages/passwd.md", "static/passwd.txt", "content/passwd.txt",
                                  "templates/page.html", "pacsite.yaml"])
def test_a_link_out_of_the_plan_is_an_error_naming_it_and_nothing_is_published(
        make_plan: MakePlan, capsys: pytest.CaptureFixture[str], link: str) -> None:
    root = make_plan({"content/pages/methode.md": PAGE})
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(SECRET)
    code, said = build(root, capsys)
    assert code == 1, said
    assert f"{link}: erreur : lien vers « /etc/passwd », hors du dossier du plan" in said
    assert "root:x:0:0" not in said + published(root)
    assert not (root / "public").exists()


def test_a_static_folder_linked_out_of_the_plan_is_not_walked(
        make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({})
    (root / "static").symlink_to("/etc")
    code, said = build(root, capsys)
    assert code == 1, said
    assert "static: erreur : lien vers « /etc »" in said


def test_a_theme_path_out_of_the_plan_is_refused(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({"pacsite.yaml": "theme: ../theme-ailleurs\n"})
    (root.parent / "theme-ailleurs" / "templates").mkdir(parents=True)
    code, said = build(root, capsys)
    assert code == 1, said
    assert "le thème « ../theme-ailleurs » est hors du dossier du plan" in said


@pytest.mark.parametrize("loop", ["content/pages/boucle", "content/pages/moi.md"])
def test_a_link_loop_is_an_error_not_a_traceback(make_plan: MakePlan, capsys: pytest.CaptureFixture[str],
                                                 loop: str) -> None:
    root = make_plan({"content/pages/methode.md": PAGE})
    (root / loop).symlink_to("." if loop.endswith("boucle") else "moi.md")
    code, said = build(root, capsys)
    assert code == 1, said
    assert f"{loop}: erreur : lien qui tourne en rond" in said


def test_a_link_that_stays_inside_the_plan_is_followed(make_plan: MakePlan,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({"partage/methode.md": PAGE, "partage/logo.txt": "logo"})
    (root / "content/pages").mkdir(parents=True)
    (root / "content/pages/methode.md").symlink_to("../../partage/methode.md")
    (root / "static").mkdir()
    (root / "static/logo.txt").symlink_to("../partage/logo.txt")
    code, said = build(root, capsys)
    assert code == 0, said
    assert (root / "public/pages/methode/index.html").is_file()
    assert (root / "public/logo.txt").read_text() == "logo"


# -- point 10: URLs that collide elsewhere ---------------------------------------------------------------

NFC, NFD = "\u00e9tude", "e\u0301tude"


@pytest.mark.parametrize("names", [("06-Étude.md", "06-etude.md"), ("06-etude.md", "07-Etude.md"),
                                   (f"06-{NFC}.md", f"07-{NFD}.md")])
def test_phases_whose_names_differ_only_by_case_or_accents_are_an_error_naming_both(
        make_plan: MakePlan, capsys: pytest.CaptureFixture[str], names: tuple[str, str]) -> None:
    root = make_plan({f"content/actions/01-etudes/{n}": PHASE for n in names})
    code, said = build(root, capsys)
    assert code == 1, said
    assert "même adresse de page que content/actions/01-etudes/" in said


def test_families_and_pages_in_nfc_and_nfd_are_an_error(make_plan: MakePlan,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({f"content/actions/02-{NFC}/_index.md": FAMILY, f"content/actions/03-{NFD}/_index.md": FAMILY,
                      f"content/pages/{NFC}.md": PAGE, f"content/pages/{NFD.upper()}.md": PAGE})
    code, said = build(root, capsys)
    assert code == 1, said
    assert f"content/actions/03-{NFD}: erreur : même adresse de page que content/actions/02-{NFC}" in said
    assert "même adresse de page que content/pages/" in said


def test_names_with_hash_question_mark_or_percent_give_working_links(
        make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({"content/pages/a#b/index.md": PAGE, "content/pages/c?d.md": PAGE,
                      "content/pages/100%.md": PAGE, "content/actions/02-Offre & Prix/01-x.md": PHASE})
    code, said = build(root, capsys)
    assert code == 0, said
    out = root / "public"
    for page in ("pages/a-b", "pages/c-d", "pages/100", "actions/offre-prix"):
        assert (out / page / "index.html").is_file(), page
    assert not [p for p in out.rglob("*") if set("#?% &") & set(p.name)]
    assert "<h1>Offre &amp; Prix" in (out / "actions/offre-prix/index.html").read_text()  # its title: its name


def test_a_line_break_in_a_file_name_stays_on_one_line_of_check(
        make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({"content/actions/01-etudes/02-a\r\nb.md": PHASE, "content/notes\n.md": "x"})
    code = main(["check", str(root)])
    said = capsys.readouterr()
    assert code == 1, said
    lines = (said.out + said.err).splitlines()
    assert "content/actions/01-etudes/02-a\\r\\nb.md: erreur : le nom « 02-a\\r\\nb » contient un caractère " \
           "de contrôle" in lines[0]
    assert any(line.startswith("content/notes\\n.md: avertissement") for line in lines)
    assert all(line.startswith(("content/", "pacsite")) for line in lines), lines


# -- fuzz: any name, anywhere ---------------------------------------------------------------------------

HOSTILE = [".", "..", "/", "\\", '"', "<", "\r", "\n", "\r\n", "01-..", "99-..", "a/../..", "..\\..", "%2e%2e",
           "CON", "a\u202eb", "\x1b[31m"]
name_text = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), min_size=1, max_size=12)
names = st.one_of(st.sampled_from(HOSTILE), name_text,
                  st.tuples(st.sampled_from(["01-", "2_", ""]), st.one_of(st.sampled_from(HOSTILE), name_text),
                            st.sampled_from(["", ".", ".md", "/index"])).map("".join))


def _place(folder: Path, parts: list[str], text: str) -> bool:
    """Write ``text`` at ``folder/parts…`` if the OS takes each part as one name; tell whether it did."""
    path = folder
    for part in parts:
        if part in (".", "..") or "/" in part or "\0" in part:
            return False  # not one name: the OS would read it as a path
        path = path / part
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except (OSError, UnicodeEncodeError, ValueError):
        return False  # too long, a lone surrogate the file system cannot hold, a file where a folder is
    return True


def _everything(folder: Path, skip: Path) -> set[str]:
    return {os.fsdecode(os.path.join(d, n)) for d, dirs, files in os.walk(folder) if not Path(d).is_relative_to(skip)
            for n in dirs + files}


@pytest.mark.slow  # fifty plans built: a fuzzer, run by `make test-all` and CI
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(family=names, phase=names, page=st.lists(names, min_size=1, max_size=5))
def test_no_file_name_makes_the_build_raise_or_write_outside(family: str, phase: str, page: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        root = write_plan(base / "parent" / "plan", MINIMAL)
        placed = [_place(root / "content/actions", [family, "_index.md"], FAMILY),
                  _place(root / "content/actions", [family, phase + ".md"], PHASE),
                  _place(root / "content/actions/01-etudes", [phase + ".md"], PHASE),
                  _place(root / "content/pages", [*page[:-1], page[-1] + ".md"], PAGE)]
        assume(any(placed))
        before = _everything(base, root)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["build", str(root), "--today", "2027-06-30"])
        said = out.getvalue() + err.getvalue()
        assert code in (0, 1), said
        said.encode("utf-8")  # a terminal can show it: no lone surrogate from a file name
        assert _everything(base, root) == before
        public = (root / "public").resolve()
        for path in public.rglob("*") if public.is_dir() else ():
            assert path.resolve().is_relative_to(public), path
        if code == 0:  # each page its own file: none replaced another (`99-..` was the home page)
            pages = int(re.search(r"(\d+) pages", said).group(1))  # type: ignore[union-attr]
            assert len(list(public.rglob("*.html"))) == pages, said
            assert script_attributes(public) == {}  # and every name stayed text: no event handler, no javascript:


def test_the_live_preview_does_not_show_a_phase_turned_into_a_link_out_of_the_plan(make_plan: MakePlan) -> None:
    """A phase turned into a link out of the plan: the build refuses it, and no page shows the file it points to.

    (Its fast path once wrote the one changed phase's page before the whole build could refuse the link.)"""
    root = make_plan({})
    outside = root.parent / "ailleurs.md"
    outside.write_text(PHASE.replace("title: Phase", "title: Clients") + "Texte secret du runner.\n")
    builder = Builder(root, root / "public", LiveState(), EXAMPLE_TODAY)
    builder.build_once()
    assert not builder.state.errors
    phase = root / "content/actions/01-etudes/01-clients.md"
    phase.unlink()
    phase.symlink_to(outside)
    builder.mark(str(phase), complete=True)
    builder.build_once()
    assert builder.state.errors and "lien vers" in builder.state.errors[0]
    assert "secret" not in (root / "public/actions/etudes/clients/index.html").read_text()
