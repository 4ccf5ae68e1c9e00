"""Golden test: the example plan, built by the real `pacsite build`, equals the accepted copy byte for byte.

The accepted copy is checked in, so that every change of the output shows in code review:
``tests/golden/example/`` mirrors the built site's text files (HTML, CSS, JS, JSON, CSV, ICS, XML);
``tests/golden/example.sha256`` holds the hashes of its binary files (``plan.xlsx``), in ``sha256sum`` format.
Two things are left out: the ``pagefind/`` folder (Pagefind's own files and binary index: a Pagefind
release would change them, and tests/test_search.py checks what it finds), and pacsite's version
number, written ``{VERSION}`` in the copy so that a release does not rewrite every page.

When the output changes on purpose, accept it and review the diff of ``tests/golden/``::

    pytest tests/test_golden.py --accept-golden      # or PACSITE_ACCEPT_GOLDEN=1 make test
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from pacsite import __version__
from pacsite.cli import main
from pacsite.output import search
from tests.conftest import EXAMPLE_TODAY, REPO

GOLDEN = Path(__file__).resolve().parent / "golden"
MIRROR = GOLDEN / "example"
SUMS = GOLDEN / "example.sha256"
LEFT_OUT = ("pagefind/",)
VERSION = re.compile(r"(pacsite\W{1,4})" + re.escape(__version__) + r"(?![\w.])")
MAX_DIFF_LINES = 80  # a file's diff is cut after this many lines
MAX_DIFFS = 12  # files shown with a diff; the others are only listed
LONG = 200  # lines longer than this are split for the diff (see _diff_lines), and shown cut


@dataclass(frozen=True)
class Binary:
    sha256: str


Snapshot = dict[str, "str | Binary"]


def _normalise(text: str) -> str:
    return VERSION.sub(r"\g<1>{VERSION}", text)


def _read(data: bytes) -> str | Binary:
    """A text file's content (version left out), or a binary file's hash."""
    if b"\0" not in data:
        try:
            return _normalise(data.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    return Binary(hashlib.sha256(data).hexdigest())


def snapshot(site: Path) -> Snapshot:
    """Every file of a built site but the left-out folders: text by content, binaries by hash."""
    files = {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}
    return {rel: _read(path.read_bytes()) for rel, path in sorted(files.items()) if not rel.startswith(LEFT_OUT)}


def golden_snapshot(mirror: Path = MIRROR, sums: Path = SUMS) -> Snapshot:
    """The accepted copy: the mirror's text files and the listed binaries' hashes."""
    found: Snapshot = {}
    if mirror.is_dir():
        found.update({p.relative_to(mirror).as_posix(): p.read_bytes().decode("utf-8")
                      for p in mirror.rglob("*") if p.is_file()})
    if sums.is_file():
        for line in sums.read_text(encoding="utf-8").splitlines():
            digest, rel = line.split(maxsplit=1)
            found[rel.lstrip("*")] = Binary(digest)
    return dict(sorted(found.items()))


def accept(site: Path, mirror: Path = MIRROR, sums: Path = SUMS) -> None:
    """Replace the accepted copy with the built ``site``."""
    shot = snapshot(site)
    shutil.rmtree(mirror, ignore_errors=True)
    for rel, value in shot.items():
        if isinstance(value, str):
            (mirror / rel).parent.mkdir(parents=True, exist_ok=True)
            (mirror / rel).write_bytes(value.encode("utf-8"))
    sums.write_text("".join(f"{v.sha256}  {rel}\n" for rel, v in shot.items() if isinstance(v, Binary)),
                    encoding="utf-8")


def _diff_lines(text: str) -> list[str]:
    """The text's lines for the diff: a long line (an SVG chart, the search index) is split after each > , or ;
    and what is still long (a list of words) after each space, so that the diff shows the pieces that changed."""
    lines: list[str] = []
    for line in text.splitlines():
        for piece in re.split(r"(?<=[>,;])", line) if len(line) > LONG else [line]:
            lines.extend(re.split(r"(?<= )", piece) if len(piece) > LONG else [piece])
    return [line for line in lines if line] or [""]


def _cut(line: str) -> str:
    return line if len(line) <= LONG else line[:LONG] + f"… ({len(line) - LONG} more characters)"


def compare(expected: Snapshot, actual: Snapshot, names: tuple[str, str] = ("golden", "built")) -> str:
    """A readable report of what differs ("" when nothing does): files added, removed, changed, with diffs."""
    added = [rel for rel in actual if rel not in expected]
    removed = [rel for rel in expected if rel not in actual]
    changed = [rel for rel in expected if rel in actual and expected[rel] != actual[rel]]
    if not (added or removed or changed):
        return ""
    out = [f"{len(added)} added, {len(removed)} removed, {len(changed)} changed"]
    out += [f"added:   {rel}" for rel in added]
    out += [f"removed: {rel}" for rel in removed]
    out += [f"changed: {rel}" for rel in changed]
    for shown, rel in enumerate(changed):
        before, after = expected[rel], actual[rel]
        if isinstance(before, Binary) or isinstance(after, Binary):
            old = before.sha256[:12] if isinstance(before, Binary) else "text"
            new = after.sha256[:12] if isinstance(after, Binary) else "text"
            out.append(f"\n{rel}: binary, sha256 {old}… → {new}…")
            continue
        if shown >= MAX_DIFFS:
            out.append(f"\n({len(changed) - MAX_DIFFS} more changed files: diffs not shown)")
            break
        diff = list(difflib.unified_diff(_diff_lines(before), _diff_lines(after),
                                         f"{names[0]}/{rel}", f"{names[1]}/{rel}", n=2, lineterm=""))
        more = len(diff) - MAX_DIFF_LINES
        out.append("")
        out += [_cut(line) for line in diff[:MAX_DIFF_LINES]]
        if more > 0:
            out.append(f"… {more} more diff lines")
    return "\n".join(out)


def build_example(root: Path, edit: tuple[str, str, str] | None = None) -> Path:
    """Copy the repository's example plan to ``root`` (not a git repository) and build it with the CLI.

    ``edit`` is ``(file, old, new)``: a change to make in the copy first.
    """
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    if edit is not None:
        file, old, new = edit
        text = (root / file).read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} once in {file}"
        (root / file).write_text(text.replace(old, new), encoding="utf-8")
    out = root / "public"
    with pytest.MonkeyPatch.context() as patch:
        # no git repository above the copy either: the history must not make the output vary
        patch.setenv("GIT_CEILING_DIRECTORIES", str(root.parent))
        assert main(["build", str(root), "--today", EXAMPLE_TODAY.isoformat(), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example(tmp_path_factory.mktemp("golden") / "plan")


@pytest.fixture
def accepting(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--accept-golden")) or os.environ.get("PACSITE_ACCEPT_GOLDEN") == "1"


def test_example_site_equals_the_golden_copy(built: Path, accepting: bool) -> None:
    if accepting:
        accept(built)
    report = compare(golden_snapshot(), snapshot(built))
    if report:
        pytest.fail(f"The built example differs from the accepted copy in {GOLDEN.relative_to(REPO)}/ "
                    f"(the built site is in {built}).\n{report}\n\nIf the change is wanted: "
                    "pytest tests/test_golden.py --accept-golden, and review the diff of tests/golden/.", pytrace=False)


def test_build_is_byte_reproducible(built: Path, tmp_path: Path) -> None:
    """A second build, from another folder, writes the same bytes: Pagefind's files and the marker included."""
    again = build_example(tmp_path / "elsewhere" / "again")
    first = {p.relative_to(built): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [rel for rel in first if first[rel] != second[rel]] == []
    assert any(rel.parts[0] == "pagefind" for rel in first) or not search.pagefind_available()


def test_comparison_reports_a_changed_page_with_a_readable_diff(built: Path, tmp_path: Path) -> None:
    phase = "content/actions/01-etudes-de-marche/01-clientele-potentielle.md"
    edited = build_example(tmp_path / "plan", edit=(phase, "menés par Sophie Berthet", "menés par Jeanne Test"))
    report = compare(snapshot(built), snapshot(edited))
    lines = report.splitlines()
    page = "actions/etudes-de-marche/clientele-potentielle/index.html"
    assert f"changed: {page}" in lines
    assert not any(line.startswith(("added:", "removed:")) for line in lines)
    diff = report[report.index(f"--- golden/{page}"):].splitlines()
    assert diff[1] == f"+++ built/{page}"
    changes = [line for line in diff if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))]
    assert any(line.startswith("-") and "Sophie Berthet" in line for line in changes)
    assert any(line.startswith("+") and "Jeanne Test" in line for line in changes)
    index = report[report.index("--- golden/search-index.js"):].splitlines()  # one long line, shown word by word
    assert "+jeanne " in index and "+test " in index
    assert all(len(line) <= LONG + 40 for line in lines), "long lines are cut"


def test_comparison_reports_added_removed_and_binary_files(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    for site in (before, after):
        (site / "pagefind").mkdir(parents=True)
        (site / "index.html").write_text("<h1>Plan</h1>\n<p>" + "x, " * 300 + "</p>\n", encoding="utf-8")
    (before / "gone.html").write_text("old\n", encoding="utf-8")
    (after / "new.css").write_text("body {}\n", encoding="utf-8")
    (before / "plan.xlsx").write_bytes(b"PK\0\1")
    (after / "plan.xlsx").write_bytes(b"PK\0\2")
    (after / "pagefind" / "index.pf").write_bytes(b"\0left out")
    (after / "index.html").write_text("<h1>Plan</h1>\n<p>" + "x, " * 150 + "y, " + "x, " * 149 + "</p>\n",
                                      encoding="utf-8")
    report = compare(snapshot(before), snapshot(after))
    lines = report.splitlines()
    assert lines[0] == "1 added, 1 removed, 2 changed"
    assert {"added:   new.css", "removed: gone.html", "changed: index.html", "changed: plan.xlsx"} <= set(lines)
    assert "pagefind" not in report
    assert [line for line in lines if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))] == \
        ["- x,", "+ y,"]  # the long line is split: only the changed piece shows
    assert any(line.startswith("plan.xlsx: binary, sha256") for line in lines)
    assert compare(snapshot(before), snapshot(before)) == ""


def test_accepting_makes_the_comparison_pass(built: Path, tmp_path: Path) -> None:
    mirror, sums = tmp_path / "golden" / "example", tmp_path / "golden" / "example.sha256"
    (tmp_path / "golden").mkdir()
    assert compare(golden_snapshot(mirror, sums), snapshot(built)).startswith(f"{len(snapshot(built))} added")
    accept(built, mirror, sums)
    assert compare(golden_snapshot(mirror, sums), snapshot(built)) == ""
    assert "{VERSION}" in (mirror / "index.html").read_text(encoding="utf-8")
    assert "plan.xlsx" in sums.read_text(encoding="utf-8") and not (mirror / "plan.xlsx").exists()
