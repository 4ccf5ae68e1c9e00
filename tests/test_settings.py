"""pacsite.yaml: each setting declared once, in pacsite/settings.py; the keys, the reading, the defaults
and the README's table all come from that declaration."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pacsite import settings as settings_module
from pacsite.errors import Diagnostics
from pacsite.settings import DEFAULTS, OPTIONS, REGENERATE, Settings, Stage, load_settings, readme_with_table

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
        f"README.md's table of ### pacsite.yaml differs from pacsite/settings.py: run `{REGENERATE}`")
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
