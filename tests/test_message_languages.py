"""Every message in the plan's language: no English word in a French message, no French in an English one.

Two nets: the catalogue itself (every entry, both sides, placeholders alike),
and every bad input of the test suite checked through the real CLI in a
French plan and in an English one.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from pacsite import messages
from pacsite.cli import main
from tests.conftest import MakePlan
from tests.test_cli import BAD_INPUTS
from tests.test_cli import PHASE as CLI_PHASE

REPO = Path(__file__).resolve().parent.parent

# words only English uses (never French words, nor the names of keys and commands users type)
ENGLISH_ONLY = {
    "error", "errors", "warning", "warnings", "expected", "found", "unknown", "did", "you", "mean", "the", "is",
    "not", "and", "with", "file", "line", "missing", "write", "before", "after", "amount", "must", "can", "read",
    "two", "ways", "person", "quotes", "real", "has", "days", "given", "twice", "keep", "one", "should", "cannot",
    "allowed", "only", "spent", "over", "late", "without", "inside", "written", "built", "into", "files",
    "no", "of", "to", "from", "are", "its", "it", "this", "here", "never", "closed", "save", "whole", "number",
}
# words only French uses
FRENCH_ONLY = {
    "erreur", "erreurs", "avertissement", "avertissements", "attendu", "attendue", "trouvé", "inconnue", "inconnu",
    "clé", "vouliez", "est", "pas", "fichier", "fichiers", "ligne", "avant", "après", "écrivez", "montant", "nombre",
    "doit", "être", "façons", "personne", "guillemets", "réelle", "jours", "dans", "sur", "une", "des", "les", "du",
    "sans", "écrits", "écrit", "donnée", "deux", "fois", "gardez", "absente", "absent", "retard", "au", "aucun",
    "aucune", "lignes", "valeur", "texte", "rien", "été", "sont", "ici", "jamais", "mettez", "entre", "pour",
}
CURLY = re.compile(r"\{[^{}]*\}")
# messages whose English side quotes a library's own (English) words, which the French side leaves out
ENGLISH_DETAIL = {"yaml_invalid"}


def words(text: str, language: str) -> set[str]:
    """The words of a message, without what the user wrote (quoted), paths, keys to type and placeholders."""
    text = re.sub(r"«[^»]*»", " ", text)
    text = re.sub(r'"[^"]*"', " ", text)
    if language == "en":
        text = re.sub(r"(?<![A-Za-z])'[^']*'", " ", text)
    text = CURLY.sub(" ", text)
    text = re.sub(r"\b\w+\.\w+\b", " ", text)  # dotted setting names: tolerance.warning
    text = re.sub(r"\S*[/\\]\S*|\S+\.(md|yaml|yml|xlsx|csv)\b|--\w+|\bpacsite \w+", " ", text)
    return {w.lower() for w in re.findall(r"[^\W\d_]+", text)}


def foreign(text: str, language: str) -> set[str]:
    """The words of the other language found in ``text``."""
    banned = ENGLISH_ONLY if language == "fr" else FRENCH_ONLY
    return words(text, language) & banned


# -- the catalogue ----------------------------------------------------------------------------------

def sides(entry: messages.Entry, index: int) -> list[str]:
    side = entry[index]
    return list(side) if isinstance(side, tuple) else [side]


@pytest.mark.parametrize("code", sorted(messages.CATALOG))
def test_every_catalogue_entry_speaks_one_language_per_side(code: str) -> None:
    entry = messages.CATALOG[code]
    for text in sides(entry, 0):
        assert not foreign(text, "fr"), (code, text, foreign(text, "fr"))
    for text in sides(entry, 1):
        assert not foreign(text, "en"), (code, text, foreign(text, "en"))
    def named(index: int) -> set[str]:  # a singular may leave out its count ("cette correction")
        return {name for t in sides(entry, index) for _, name, _, _ in string.Formatter().parse(t) if name}

    if code not in ENGLISH_DETAIL:
        assert named(0) == named(1), (code, named(0), named(1))  # both languages say the same things


def test_every_message_used_is_in_the_catalogue() -> None:
    used = set()
    for path in (REPO / "pacsite").rglob("*.py"):
        used |= set(re.findall(r"\bmsg\(\s*\"([a-z0-9_]+)\"", path.read_text()))
    assert used, "no message found: the scan is broken"
    assert used - set(messages.CATALOG) == set()


# -- every bad input, through the CLI, in both languages ----------------------------------------------

PHASE = "content/actions/01-etudes/01-clients.md"
PEOPLE = "sophie-garnier: {name: Sophie Garnier}\ntbihan: {name: Thomas Bihan}\n"
CASES: dict[str, dict[str, str | bytes]] = {
    **{f"cli: {name}": {CLI_PHASE: data} for name, (data, _, _) in BAD_INPUTS.items()},
    "ambiguous amount": {PHASE: "---\ntitle: C\nbudget: 12.500\nspent: '1,200'\n---\n"},
    "result without number": {PHASE: "---\ntitle: C\nobjective: {target: 3}\nresult: [objectif atteint, 12.500 vues]\n"
                                      "---\n"},
    "owners": {"content/people.yaml": PEOPLE,
               PHASE: "---\ntitle: C\nqui: [sophie-garnier, jdupont]\ncorrective_actions:\n"
                      "  - {title: R, owner: [tbihan, sguilou]}\n---\n"},
    "typos and nested": {PHASE: "---\ntitle: C\ndébu: 2027-01-01\nbudget:\n  - {label: S, amout: 5}\n"
                                "  - {label: T, amount: douze}\n---\n"},
    "statuses": {PHASE: "---\ntitle: C\nstatus: en retard\n---\n",
                 "content/actions/01-etudes/02-b.md": "---\ntitle: B\nstatus: bof\n---\n"},
    "dates": {PHASE: "---\ntitle: C\nstart: 15 mars 2027\nend: 31/02/2027\nfinished: 2027-13-01\n---\n",
              "content/actions/01-etudes/02-b.md": "---\ntitle: B\nstart: 2027-05-01\nend: 2027-04-01\n---\n"},
    "broken people": {"content/people.yaml": "a: {name: A\n",
                      PHASE: "---\ntitle: C\nowner: someone-else\n---\n"},
    "people list": {"content/people.yaml": "- A\n- B\n"},
    "unclosed quote": {PHASE: '---\ntitle: C\nowner: "Claire\nstart: 2027-01-01\n---\n'},
    "settings": {"pacsite.yaml": "langage: fr\ncurrency: euro\ntolerance:\n  warnig: 0.1\n  critical: 2\n"},
    "missing and unknown": {PHASE: "---\ncouleur: bleu\nbudget: {a: 1}\ncontributes_to: [ca]\n---\n[x](absent.md)\n"},
    "envelope and late": {"content/actions/01-etudes/_index.md": "---\ntitle: Études\nbudget: 10\n---\n"},
}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_every_bad_input_is_said_in_the_plans_language(
    name: str, language: str, make_plan: MakePlan, capsys: pytest.CaptureFixture[str]
) -> None:
    files = dict(CASES[name])
    settings = files.pop("pacsite.yaml", b"")
    settings = settings.decode() if isinstance(settings, bytes) else settings
    root = make_plan({**files, "pacsite.yaml": f"language: {language}\n{settings}"})
    capsys.readouterr()
    main(["check", str(root), "--today", "2027-06-30", "--format", "json"])
    said = capsys.readouterr()
    found = json.loads(said.out)
    assert found, f"{name}: no message at all"
    for item in found:
        assert not foreign(item["message"], language), (name, language, item)
    keys = sorted({item["key"] for item in found if item["key"]}, key=len, reverse=True)
    main(["build", str(root), "--today", "2027-06-30"])
    for line in capsys.readouterr().err.splitlines():
        shown = line.split(": ", 1)[1] if line.startswith("content/") or line.startswith("pacsite.yaml") else line
        for key in keys:  # the keys as the user wrote them, in whatever language
            shown = shown.replace(f" {key} :", " ").replace(f" {key}:", " ")
        assert not foreign(shown, language), (name, language, line)
