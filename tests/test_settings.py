"""pacsite.yaml: each setting declared once, in pacsite/load/settings.py; the keys, the reading, the defaults
and the README's table all come from that declaration."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pacsite.cli import main
from pacsite.errors import Diagnostics
from pacsite.load import settings as settings_module
from pacsite.load.git_host import edit_link, plan_folder
from pacsite.load.settings import (
    DEFAULTS,
    OPTIONS,
    REGENERATE,
    Settings,
    Stage,
    load_settings,
    readme_with_table,
)
from tests.conftest import MINIMAL, MakePlan, write_plan

REPO = Path(__file__).resolve().parent.parent

# a value for every setting, as written in pacsite.yaml, and what it reads as (a new setting needs one here)
SAMPLES: dict[str, tuple[str, object]] = {
    "title": ("Plan 2027", "Plan 2027"),
    "language": ("en", "en"),
    "locale": ("fr_CH", "fr_CH"),
    "currency": ("chf", "CHF"),
    "base_url": ("https://intranet.example/plan", "https://intranet.example/plan/"),
    "output": ("site", "site"),
    "theme": ("sobre", "sobre"),
    "today": ("2027-06-30", date(2027, 6, 30)),
    "envelope": ("150000", Decimal("150000")),
    "tolerance_warning": ("10 %", Decimal("0.1")),
    "tolerance_critical": ("0.2", Decimal("0.2")),
    "stages": ("[{id: lancement, title: Lancement}]", (Stage("lancement", "Lancement"),)),
    "repository_url": ("https://git.example/pac", "https://git.example/pac"),
    "repository_branch": ("main", "main"),
    "repository_edit_url": ("https://git.example/pac/_edit/main", "https://git.example/pac/_edit/main/"),
    "markdown_html": ("oui", True),
    "search": ("non", False),
}


def yaml_of(values: dict[str, str]) -> str:
    """Write ``{name: raw}`` as pacsite.yaml, each under its declared key."""
    top: list[str] = []
    sections: dict[str, list[str]] = {}
    for name, raw in values.items():
        key = OPTIONS[name].key
        if len(key) == 1:
            top.append(f"{key[0]}: {raw}\n")
        else:
            sections.setdefault(key[0], []).append(f"  {key[1]}: {raw}\n")
    return "".join(top) + "".join(f"{k}:\n{''.join(v)}" for k, v in sections.items())


def load(tmp_path: Path, text: str | None) -> tuple[Settings, Diagnostics]:
    if text is not None:
        (tmp_path / "pacsite.yaml").write_text(text, "utf-8")
    diagnostics = Diagnostics()
    return load_settings(tmp_path, diagnostics), diagnostics


def test_every_field_but_the_root_is_a_declared_setting() -> None:
    assert [f.name for f in fields(Settings)] == ["root", *OPTIONS]
    assert set(SAMPLES) == set(OPTIONS), "give each new setting a sample value in SAMPLES"
    assert len({o.key for o in OPTIONS.values()}) == len(OPTIONS)


def test_every_declared_key_is_read_from_its_place(tmp_path: Path) -> None:
    got, diagnostics = load(tmp_path, yaml_of({name: raw for name, (raw, _) in SAMPLES.items()}))
    assert diagnostics.items == []
    assert {name: getattr(got, name) for name in OPTIONS} == {name: value for name, (_, value) in SAMPLES.items()}
    assert all(value != DEFAULTS[name] for name, (_, value) in SAMPLES.items())


def test_the_defaults_are_the_declared_ones_in_the_plans_language(tmp_path: Path) -> None:
    assert load(tmp_path, None)[0] == Settings(root=tmp_path)
    assert {name: getattr(Settings(root=tmp_path), name) for name in OPTIONS} == DEFAULTS
    english, diagnostics = load(tmp_path, "language: en\n")
    assert diagnostics.items == []
    assert english.locale == "en_GB"
    assert [s.title for s in english.stages] == ["Strategic phase", "Preparatory phase", "Operational phase"]
    french = load(tmp_path, "language: fr\n")[0]
    assert (french.locale, french.stages) == ("fr_FR", Settings(root=tmp_path).stages)


@pytest.mark.parametrize(("written", "line", "key", "message"), [
    ("titel: Plan\n", 1, "titel", "unknown setting: did you mean 'title'?"),
    ("budget:\n  enveloppe: 10\n", 2, "budget.enveloppe", "unknown setting: did you mean 'budget.envelope'?"),
    ("repository:\n  brnch: main\n", 2, "repository.brnch", "unknown setting: did you mean 'repository.branch'?"),
    ("repository:\n  edit-url: https://a.example/\n", 2, "repository.edit-url",
     "unknown setting: did you mean 'repository.edit_url'?"),
    ("couleur: bleu\n", 1, "couleur", "unknown setting"),
    ("markdown: oui\n", 1, "markdown", "expected key: value lines, found 'oui'"),
    ("stages:\n  - {id: a}\n  - oops\n", 3, "stages.1", "each stage is written {id, title}"),
])
def test_a_bad_key_is_named_at_its_line(tmp_path: Path, written: str, line: int, key: str, message: str) -> None:
    diagnostics = load(tmp_path, "language: en\n" + written)[1]
    assert [(d.line, d.key, d.message.text("en")) for d in diagnostics.errors] == [(line + 1, key, message)]


def test_a_list_with_one_bad_stage_keeps_the_good_ones(tmp_path: Path) -> None:
    got = load(tmp_path, "stages:\n  - {id: a, title: A}\n  - oops\n")[0]
    assert got.stages == (Stage("a", "A"),)


def test_the_readme_table_is_made_from_the_declaration() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert readme_with_table(readme) == readme, (
        f"README.md's table of ### pacsite.yaml differs from pacsite/load/settings.py: run `{REGENERATE}`")
    for option in OPTIONS.values():
        assert f"| `{'.'.join(option.key)}` |" in readme


def test_the_table_is_regenerated_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    stale = "# p\n\n### pacsite.yaml\n\nIntro.\n\n| key | default |\n|---|---|\n| `old` | x |\n\nAfter.\n\n## Next\n"
    (tmp_path / "README.md").write_text(stale, "utf-8")
    monkeypatch.chdir(tmp_path)
    assert settings_module.main(["--readme"]) == 0
    written = (tmp_path / "README.md").read_text("utf-8")
    assert written == stale.replace("| key | default |\n|---|---|\n| `old` | x |\n", settings_module.table("en"))
    assert readme_with_table(written) == written
    assert capsys.readouterr().out.startswith("README.md: ")
    assert settings_module.main(["--fr"]) == 0
    assert capsys.readouterr().out == settings_module.table("fr")
    assert settings_module.main(["--nope"]) == 2


def test_the_french_table_says_every_setting_in_french() -> None:
    french = settings_module.table("fr")
    assert french.startswith("| clé | par défaut | rôle |\n")
    assert "| `search` | `true` | construire l'index de recherche hors ligne |" in french
    assert "| `base_url` | aucun |" in french


def test_a_language_written_as_a_list_is_an_error_not_a_crash(tmp_path: Path) -> None:
    got, diagnostics = load(tmp_path, "language: [en]\n")
    assert got.language == "fr"
    assert [(d.line, d.key, d.message.text("en")) for d in diagnostics.errors] == [
        (1, "language", "expected fr or en, found a list")]


# -- "Edit this page" made from repository.url and repository.branch -------------------------------------

PHASE_SOURCE = "content/actions/01-etudes/01-clients.md"


def built_edit_links(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[set[str], str]:
    """Build the plan; return the edit links of its phase page, and what the build said."""
    assert main(["build", str(root), "--today", "2027-06-30"]) == 0, capsys.readouterr().err
    page = next((root / "public").glob("actions/*/*/index.html")).read_text("utf-8")
    return set(re.findall(r'<a class="noprint" href="([^"]*)">✎', page)), capsys.readouterr().err


def test_a_github_plan_links_each_page_to_githubs_editor(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    root = make_plan({"pacsite.yaml": "repository:\n  url: https://github.com/acme/plan-commercial\n"
                                      "  branch: main\n"})
    (root / ".git").mkdir()  # the plan is its repository's root
    links, said = built_edit_links(root, capsys)
    assert links == {f"https://github.com/acme/plan-commercial/edit/main/{PHASE_SOURCE}"}
    assert "repository" not in said


def test_a_gitlab_plan_in_a_sub_folder_links_to_gitlabs_editor(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    # an English plan in "plans/2027 Lyon/" of a self-hosted GitLab's checkout (a worktree: .git is a file)
    (tmp_path / "checkout").mkdir()
    (tmp_path / "checkout" / ".git").write_text("gitdir: /elsewhere/.git/worktrees/checkout\n")
    root = write_plan(tmp_path / "checkout" / "plans" / "2027 Lyon", {
        **MINIMAL, "pacsite.yaml": "language: en\nrepository:\n  url: https://gitlab.acme.example/sales/plans/pac.git\n"
                                   "  branch: plan/2027\n"})
    links, _ = built_edit_links(root, capsys)
    assert links == {"https://gitlab.acme.example/sales/plans/pac/-/edit/plan/2027/plans/2027%20Lyon/"
                     + PHASE_SOURCE}


def test_a_branch_git_allows_is_url_quoted_in_the_link(make_plan: MakePlan,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    # quotes, #, <, & and % are allowed in a git branch name: none may end the attribute or the path
    root = make_plan({"pacsite.yaml": "repository:\n  url: https://gitlab.com/acme/pac\n"
                                      "  branch: 'o''neil\"s#1<b>&%'\n"})
    (root / ".git").mkdir()
    links, _ = built_edit_links(root, capsys)
    assert links == {f"https://gitlab.com/acme/pac/-/edit/o%27neil%22s%231%3Cb%3E%26%25/{PHASE_SOURCE}"}


@pytest.mark.parametrize("written", [
    "../../evil", "feature..x", "main branch", "-f", "x:y", "javascript:alert(1)", "'.hidden'", "x.lock",
    "'@'", "'a@{1}'", "'a~1'", "'a^'", "'a?'", "'a*'", "'[a'", "'a\\b'", "'a/'", "'a//b'", "'a/.b'", "\"a\\tb\"",
    "''",
])
def test_a_branch_git_refuses_is_an_error_at_its_line(tmp_path: Path, written: str) -> None:
    got, diagnostics = load(tmp_path, f"repository:\n  url: https://github.com/acme/pac\n  branch: {written}\n")
    assert got.repository_branch is None and got.repository_edit_url is None
    [error] = diagnostics.errors
    assert (error.line, error.key) == (3, "repository.branch")
    assert error.message.text("en").startswith("expected a git branch name (no space, '..', ~ ^ : ? * [ or \\), "
                                               "found '")
    assert error.message.text("fr").startswith("un nom de branche git est attendu")


def test_without_a_branch_there_is_no_edit_link_and_no_word(make_plan: MakePlan,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    # never guess main or master; repository.url alone still links the history's commits
    root = make_plan({"pacsite.yaml": "repository:\n  url: https://github.com/acme/pac\n"})
    links, said = built_edit_links(root, capsys)
    assert links == set() and "pacsite.yaml" not in said


@pytest.mark.parametrize(("language", "written", "expected"), [
    ("fr", "repository:\n  branch: main\n",
     "pacsite.yaml:3: avertissement : repository.branch : sans repository.url, la branche ne donne aucun lien "
     "« Modifier cette page »"),
    ("en", "repository:\n  branch: main\n",
     "pacsite.yaml:3: warning: repository.branch: without repository.url, the branch gives no \"Edit this page\" "
     "link"),
    ("fr", "repository:\n  url: https://git.example.fr/pac\n  branch: main\n",
     "pacsite.yaml:4: avertissement : repository.branch : « https://git.example.fr/pac » n'est pas l'adresse d'un "
     "dépôt GitHub ou GitLab : la branche ne donne aucun lien « Modifier cette page » ; écrivez "
     "repository.edit_url"),
    ("en", "repository:\n  url: https://github.com/acme/pac/tree/main\n  branch: main\n",
     "pacsite.yaml:4: warning: repository.branch: 'https://github.com/acme/pac/tree/main' is not the address of a "
     "GitHub or GitLab repository: the branch gives no \"Edit this page\" link; write repository.edit_url"),
])
def test_a_branch_that_gives_no_link_is_a_warning(tmp_path: Path, language: str, written: str, expected: str) -> None:
    got, diagnostics = load(tmp_path, f"language: {language}\n{written}")
    assert got.repository_edit_url is None and not diagnostics.errors
    assert diagnostics.render() == expected


def test_a_written_edit_url_wins_over_the_branch(tmp_path: Path) -> None:
    got, diagnostics = load(tmp_path, "repository:\n  url: https://github.com/acme/pac\n  branch: main\n"
                                      "  edit_url: https://github.com/acme/pac/edit/main/plan\n")
    assert got.repository_edit_url == "https://github.com/acme/pac/edit/main/plan/"
    assert diagnostics.items == []


@pytest.mark.parametrize(("url", "expected"), [
    ("https://github.com/acme/pac", "https://github.com/acme/pac/edit/b/"),
    ("https://github.com/acme/pac/", "https://github.com/acme/pac/edit/b/"),
    ("https://www.github.com/acme/pac.git", "https://www.github.com/acme/pac/edit/b/"),
    ("http://GitHub.com/acme/pac", "http://github.com/acme/pac/edit/b/"),
    ("https://ci:s3cret@github.com/acme/pac", "https://github.com/acme/pac/edit/b/"),  # never a password in a link
    ("https://gitlab.com/acme/ventes/pac", "https://gitlab.com/acme/ventes/pac/-/edit/b/"),
    ("https://gitlab.acme.example:8443/pac/plan", "https://gitlab.acme.example:8443/pac/plan/-/edit/b/"),
    ("https://github.com/acme", None),
    ("https://github.com/acme/pac/tree/main", None),
    ("https://gitlab.com/acme/pac/-/tree/main", None),
    ("https://github.com/acme/pac?tab=readme", None),
    ("https://github.com/acme/pac#readme", None),
    ("https://bitbucket.org/acme/pac", None),
    ("https://git.example/acme/pac", None),
])
def test_edit_links_come_from_a_repositorys_own_address(url: str, expected: str | None) -> None:
    assert edit_link(url, "b") == expected


def test_the_plan_folder_is_found_from_the_nearest_git(tmp_path: Path) -> None:
    (tmp_path / "a" / "b c" / "plan").mkdir(parents=True)
    (tmp_path / "a" / ".git").mkdir()
    assert plan_folder(tmp_path / "a" / "b c" / "plan") == "b%20c/plan/"
    assert plan_folder(tmp_path / "a") == ""

