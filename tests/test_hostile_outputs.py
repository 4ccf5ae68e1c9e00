"""Hostile plans (issue 14): names, titles and settings from a pull request never become markup,
formulas, links that run script, or properties of a calendar.

Every test builds through the real command line, then reads what was written.
"""

from __future__ import annotations

import csv
import re
import tempfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from pacsite.cli import main
from tests.conftest import MINIMAL, MakePlan, write_plan

TODAY = "2027-06-30"
ONLOAD = 'x"onload="alert(1)"x='  # the name that ran script in Chromium from a phase file


class _Attributes(HTMLParser):
    """Collect every attribute that would run script: an ``on…`` handler or a ``javascript:`` value."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            # browsers drop controls and spaces before a scheme: "\tjava\nscript:" runs too
            bare = "".join(c for c in (value or "") if c > " ").lower()
            if name.lower().startswith("on") or bare.startswith("javascript:"):
                self.bad.append((tag, name, value))

    handle_startendtag = handle_starttag


def script_attributes(site: Path) -> dict[str, list[tuple[str, str, str | None]]]:
    """Every HTML and SVG file of a built site, with the attributes in it that would run script."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".svg"):
            parser = _Attributes()
            parser.feed(path.read_text("utf-8"))
            if parser.bad:
                found[str(path.relative_to(site))] = parser.bad
    return found


def raw_in(site: Path, text: str) -> list[str]:
    """The HTML and SVG files of a site where ``text`` appears as written (not escaped)."""
    return [str(p.relative_to(site)) for p in sorted(site.rglob("*"))
            if p.suffix in (".html", ".svg") and text in p.read_text("utf-8")]


def yaml_string(text: str) -> str:
    """Write ``text`` as a YAML double-quoted string: every character outside printable ASCII escaped.

    Not ``json.dumps``: JSON writes a character beyond U+FFFF as two
    surrogate escapes, which YAML does not join.
    """
    def one(c: str) -> str:
        if c in '"\\':
            return "\\" + c
        if " " <= c <= "~":
            return c
        return f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
    return '"' + "".join(one(c) for c in text) + '"'


def hostile_files(name: str) -> dict[str, str | bytes]:
    """A plan whose family folder, phase file, objective file, titles, owner's name, unit and tag are all ``name``.

    A person's id in people.yaml is checked (lower case, digits, ``-``, ``_``)
    before anything is drawn, so the hostile text goes into the person's name.
    Results and measurements make both progress charts, whose ids come from
    the objective's file and the phase's folder and file.
    """
    text = yaml_string(name)
    family = f"content/actions/02-{name}"
    return {
        f"{family}/_index.md": f"---\ntitle: {text}\n---\n",
        f"{family}/05-{name}.md": (
            f"---\ntitle: {text}\nowner: bob\nbudget: 10\nstart: 2027-01-01\nend: 2027-02-01\n"
            f"objective: {{text: {text}, target: 10, unit: {text}}}\n"
            "result: [{date: 2027-01-05, value: 1}, {date: 2027-01-20, value: 3}]\n"
            f"tags: [{text}]\ncontributes_to: [{text}]\n---\nTexte.\n"),
        f"content/objectives/{name}.md": (
            f"---\ntitle: {text}\nunit: {text}\nbaseline: {{value: 0, date: 2027-01-01}}\n"
            "target: {value: 10, date: 2027-12-01}\nmeasurements: [{date: 2027-03-01, value: 2}]\n---\n"),
        "content/people.yaml": f"bob: {{name: {text}}}\n",
    }


def test_names_from_files_never_become_attributes(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan(hostile_files(ONLOAD))
    assert main(["build", str(root), "--today", TODAY]) == 0, capsys.readouterr().err
    site = root / "public"
    assert (site / "objectifs" / "index.html").is_file()
    assert script_attributes(site) == {}
    assert raw_in(site, ONLOAD) == []
    # the charts whose ids came from the names are drawn, with ids an aria-labelledby list can hold
    objectives = (site / "objectifs" / "index.html").read_text("utf-8")
    assert 'aria-labelledby="p-x-onload-alert-1-x-' in objectives


PIECES = st.sampled_from(['"', "<", ">", "'", "&", "=", " onload=", "javascript:", "<svg ", "&amp;"])
CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters="/\0")
NAMES = st.lists(st.one_of(PIECES, CHARACTERS), min_size=1, max_size=10).map("".join)


@pytest.mark.slow  # many generated builds
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES)
def test_any_name_stays_text(name: str) -> None:
    name = "Zq" + name  # never hidden (".x", "_x"), never "." or "..", and a text found nowhere else
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "plan"
        try:
            write_plan(root, {**MINIMAL, **hostile_files(name)})
        except (OSError, UnicodeEncodeError):
            assume(False)  # a name the file system refuses cannot reach a build
        out = Path(folder) / "site"
        assert main(["build", str(root), "--today", TODAY, "-o", str(out)]) in (0, 1)
        assume(out.is_dir())
        assert script_attributes(out) == {}
        if '"' in name or "<" in name:
            assert raw_in(out, name) == []


HYPERLINK = '=HYPERLINK("http://evil.example/","Click")'


def _csv_rows(site: Path) -> list[list[str]]:
    with (site / "budget.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


@pytest.mark.parametrize("title", [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
                                   "\t=1+1", "\r=1+1"])
def test_budget_csv_never_holds_a_formula(make_plan: MakePlan, capsys: pytest.CaptureFixture[str],
                                          title: str) -> None:
    root = make_plan({"content/actions/01-etudes/02-salon.md": (
        f"---\ntitle: {yaml_string(title)}\nbudget: 500\nspent: 200\nstart: 2027-01-01\nend: 2027-12-31\n---\n")})
    assert main(["build", str(root), "--today", TODAY]) == 0, capsys.readouterr().err
    rows = _csv_rows(root / "public")
    assert [r[1] for r in rows if r[1:2] == ["'" + title]] == ["'" + title]
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for r in rows for c in r)
    # amounts are numbers, not text: a negative one written by pacsite keeps its sign, unquoted
    negatives = [c for r in rows for c in r if c.startswith("-")]
    assert negatives and all(re.fullmatch(r"-\d+,\d\d", c) for c in negatives)


def test_plan_xlsx_has_no_formula_cell(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({"content/actions/01-etudes/02-salon.md": (
        f"---\ntitle: {yaml_string(HYPERLINK)}\nbudget: 500\nstart: 2027-01-01\nend: 2027-12-31\n---\n")})
    assert main(["build", str(root), "--today", TODAY]) == 0, capsys.readouterr().err
    with zipfile.ZipFile(root / "public" / "plan.xlsx") as book:
        sheets = {n: book.read(n).decode("utf-8") for n in book.namelist() if n.startswith("xl/worksheets/")}
    assert sheets
    for name, xml in sheets.items():
        assert not re.search(r"<(\w+:)?f[\s>/]", xml), name  # no formula element anywhere
    escaped = HYPERLINK.replace("&", "&amp;").replace('"', "&quot;")
    plan_sheet = sheets["xl/worksheets/sheet1.xml"]
    # the phase's title (row 3, column B): an inline string, shown as typed, never run
    cell = re.search(r'<c r="B3"[^>]* t="(\w+)"><is><t[^>]*>([^<]*)</t>', plan_sheet)
    assert cell and cell.group(1) == "inlineStr" and cell.group(2) in (HYPERLINK, escaped)


@pytest.mark.parametrize(("yaml", "line", "key", "shown"), [
    ('title: Plan\nrepository:\n  edit_url: "javascript:alert(1)//"\n', 3, "repository.edit_url", "javascript:"),
    ('title: Plan\nrepository:\n  url: "data:text/html,<script>alert(1)</script>"\n', 3, "repository.url", "data:"),
    ('title: Plan\nbase_url: "https://intra.example/\\r\\nATTACH:http://evil.example/x"\n', 2, "base_url",
     "\\r\\nATTACH"),
    ('base_url: "//evil.example/"\n', 1, "base_url", "//evil.example/"),
])
def test_url_settings_are_http_only(make_plan: MakePlan, capsys: pytest.CaptureFixture[str],
                                    yaml: str, line: int, key: str, shown: str) -> None:
    root = make_plan({"pacsite.yaml": yaml})
    assert main(["build", str(root), "--today", TODAY]) == 1
    err = capsys.readouterr().err
    assert f"pacsite.yaml:{line}: erreur : {key} : une adresse " in err, err
    assert shown in err and "\r" not in err
    assert not (root / "public").exists()


def test_base_url_on_the_command_line_is_http_only(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({})
    assert main(["build", str(root), "--base-url", "javascript:alert(1)//"]) == 2
    assert "--base-url: expected an address starting with http:// or https://" in capsys.readouterr().err
    assert not (root / "public").exists()


def test_an_http_edit_url_still_links_every_page(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({"pacsite.yaml": "repository:\n  edit_url: https://git.example/pac/edit/main\n"})
    assert main(["build", str(root), "--today", TODAY]) == 0, capsys.readouterr().err
    page = (root / "public" / "actions" / "etudes" / "clients" / "index.html").read_text("utf-8")
    assert 'href="https://git.example/pac/edit/main/content/actions/01-etudes/01-clients.md"' in page
    assert script_attributes(root / "public") == {}


BREAK = "\r\nATTACH:mailto:evil@example.com\r\nX-EVIL:1"  # what each name and title tries to add to its event


def test_line_breaks_in_names_never_become_calendar_properties(make_plan: MakePlan,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    # (a line break in a file or folder name is refused before any export: tests/test_hostile_paths.py)
    family = "content/actions/02-salons"
    root = make_plan({
        "pacsite.yaml": "base_url: https://intra.example/pac/\n",
        f"{family}/_index.md": f"---\ntitle: {yaml_string('Salons' + BREAK)}\n---\n",
        f"{family}/01-lyon.md": (f"---\ntitle: {yaml_string('Lyon' + BREAK)}\n"
                                 f"owner: {yaml_string('Ana' + BREAK)}\n"
                                 "start: 2027-03-01\nend: 2027-03-02\n---\n"),
        f"{family}/02-paris.md": (f"---\ntitle: {yaml_string(chr(10) + chr(13) + 'X-EVIL:2' + chr(11))}\n"
                                  "start: 2027-04-01\nend: 2027-04-02\n---\n"),
    })
    assert main(["build", str(root), "--today", TODAY]) == 0, capsys.readouterr().err
    data = (root / "public" / "plan.ics").read_bytes()
    body = data.replace(b"\r\n ", b"")  # unfolded
    lines = body.split(b"\r\n")
    assert lines[-1] == b"" and not any(b"\r" in line or b"\n" in line for line in lines)
    names = [line.split(b":")[0].split(b";")[0] for line in lines if line]
    assert b"ATTACH" not in names and b"X-EVIL" not in names
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    expected = {"SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "UID", "CATEGORIES", "DESCRIPTION", "STATUS", "URL"}
    assert [set(e.keys()) for e in events] == [expected] * 3
    assert set(calendar.keys()) == {"VERSION", "PRODID", "X-WR-CALNAME"}
    lyon = next(e for e in events if str(e["summary"]).startswith("Lyon"))
    assert str(lyon["summary"]).startswith("Lyon\nATTACH:mailto:evil@example.com\nX-EVIL:1 (Salons\n")
    url = str(lyon["url"])
    assert url == "https://intra.example/pac/actions/salons/lyon/"
