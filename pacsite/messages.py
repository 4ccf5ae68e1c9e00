"""Every message pacsite says to a user, in French and in English.

Why a catalogue and not f-strings: a message is recorded before the plan's
language is known (``pacsite.yaml`` itself can be wrong), and the same
diagnostic is shown in a terminal, a browser overlay, JSON and a pull-request
annotation. Call sites build a ``Msg`` (a code and its arguments); it is put
into words only when shown, in the plan's language.

Each entry is a pair ``(French, English)``; a side may itself be a pair
``(one, many)`` chosen by the argument ``n`` (French takes the singular for
0 and 1: « 0 erreur, 1 phase », English only for 1). Arguments that are
``Msg``, ``Place`` or lists are put into words in the same language.

The catalogue is split by the part of pacsite that speaks (core, import,
diff, init and serve, exports) so each can grow on its own.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Union

Side = Union[str, tuple[str, str]]
Entry = tuple[Side, Side]
LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Msg:
    """A message not yet put into words: its catalogue code and arguments."""

    code: str
    args: tuple[tuple[str, Any], ...] = ()

    def text(self, language: str) -> str:
        """Put the message into words in ``language`` (``fr`` or ``en``)."""
        entry = CATALOG[self.code]
        side: Side = entry[0] if language == "fr" else entry[1]
        values = {key: words(value, language) for key, value in self.args}
        if isinstance(side, tuple):
            count = dict(self.args).get("n", 0)
            one = count <= 1 if language == "fr" else count == 1
            side = side[0] if one else side[1]
        return side.format(**values)

    def __str__(self) -> str:
        return self.text("en")


def msg(code: str, **args: Any) -> Msg:
    """Make a message; its code must be in the catalogue (a test checks every call)."""
    if code not in CATALOG:
        raise KeyError(f"no message {code!r} in the catalogue")
    return Msg(code, tuple(args.items()))


class Problem(ValueError):
    """A value the user wrote cannot be read: carries the message to show.

    A ``ValueError`` so that pydantic's validators collect it like any other.
    """

    def __init__(self, message: Msg) -> None:
        super().__init__(str(message))
        self.msg = message


@dataclass(frozen=True)
class Place:
    """Where in a file a value sits: the key as written, then list entries and nested keys.

    ``Place(("budget", 1, "amount"))`` reads « budget, ligne 2, montant » in
    French and "budget, line 2, amount" in English: users never see
    ``budget.1.amount``.
    """

    parts: tuple[str | int, ...]

    def text(self, language: str) -> str:
        out: list[str] = []
        parent = ""
        for index, part in enumerate(self.parts):
            if isinstance(part, int):
                noun = ITEM_NOUNS.get(_bare(parent), ("élément", "item"))
                out.append(f"{noun[0] if language == 'fr' else noun[1]} {part + 1}")
            elif index == 0:
                out.append(part)
                parent = part
            else:
                name = NESTED_NOUNS.get(part)
                out.append(name[0] if name and language == "fr" else part)
                parent = part
        return ", ".join(out)

    def __str__(self) -> str:
        return self.text("en")


def _bare(key: str) -> str:
    decomposed = unicodedata.normalize("NFKD", key.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(" ", "_").replace("-", "_")


def words(value: Any, language: str) -> str:
    """Put one argument into words."""
    if isinstance(value, (Msg, Place)):
        return value.text(language)
    if isinstance(value, (list, tuple)):
        return ", ".join(words(v, language) for v in value)
    if isinstance(value, Decimal):
        return number(value, language)
    return str(value)


def number(value: Decimal, language: str) -> str:
    """Write a number as the reader writes it: ``12 500,5`` (fr), ``12,500.5`` (en); plain spaces for a terminal."""
    sign = "-" if value < 0 else ""
    text = format(abs(value), "f")
    whole, _, decimals = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    thousands, point = (" ", ",") if language == "fr" else (",", ".")
    return sign + thousands.join(groups) + (point + decimals if decimals else "")


def quote(text: Any) -> Msg:
    """Quote what the user wrote: « texte » in French, 'text' in English."""
    return msg("quoted", text=text)


def plain_list(items: list[Any], language: str) -> str:
    """``a, b et c`` / ``a, b and c``."""
    shown = [words(i, language) for i in items]
    if len(shown) <= 1:
        return "".join(shown)
    last = " et " if language == "fr" else " and "
    return ", ".join(shown[:-1]) + last + shown[-1]


# names of list entries, by the key that holds the list
ITEM_NOUNS: dict[str, tuple[str, str]] = {
    "budget": ("ligne", "line"), "budget_prevu": ("ligne", "line"),
    "owner": ("personne", "person"), "qui": ("personne", "person"), "responsable": ("personne", "person"),
    "result": ("résultat", "result"), "resultat": ("résultat", "result"),
    "resultat_obtenu": ("résultat", "result"),
    "corrective_actions": ("action", "action"), "actions_correctives": ("action", "action"),
    "measurements": ("mesure", "measurement"), "mesures": ("mesure", "measurement"),
    "contributes_to": ("objectif", "objective"), "contribue_a": ("objectif", "objective"),
    "tags": ("étiquette", "tag"), "etiquettes": ("étiquette", "tag"),
    "stages": ("étape", "stage"),
}
# nested keys are English in the files; a French reader is told them in French
NESTED_NOUNS: dict[str, tuple[str, str]] = {
    "amount": ("montant", "amount"), "label": ("libellé", "label"), "spent": ("dépensé", "spent"),
    "text": ("texte", "text"), "target": ("cible", "target"), "unit": ("unité", "unit"),
    "direction": ("sens", "direction"), "value": ("valeur", "value"), "date": ("date", "date"),
    "note": ("note", "note"), "title": ("titre", "title"), "owner": ("responsable", "owner"),
    "due": ("échéance", "due"), "status": ("statut", "status"), "name": ("nom", "name"),
    "role": ("rôle", "role"), "team": ("équipe", "team"), "email": ("e-mail", "email"),
    "start": ("début", "start"), "end": ("fin", "end"), "envelope": ("enveloppe", "envelope"),
    "warning": ("avertissement", "warning"), "critical": ("critique", "critical"),
    "url": ("url", "url"), "branch": ("branche", "branch"), "edit_url": ("edit_url", "edit_url"),
    "html": ("html", "html"), "id": ("id", "id"),
}

# -- core: reading, checking and building a plan ------------------------------
CORE: dict[str, Entry] = {
    "quoted": ("« {text} »", "'{text}'"),
    "error": ("erreur", "error"),
    "warning": ("avertissement", "warning"),
    "nothing": ("rien", "nothing"),
    "a_mapping": ("des lignes « clé : valeur »", "a mapping (key: value lines)"),
    "a_list": ("une liste", "a list"),
    "summary_counts": ("{errors} et {warnings}", "{errors} and {warnings}"),
    "n_errors": (("{n} erreur", "{n} erreurs"), ("{n} error", "{n} errors")),
    "n_warnings": (("{n} avertissement", "{n} avertissements"), ("{n} warning", "{n} warnings")),
    "n_phases": (("{n} phase", "{n} phases"), ("{n} phase", "{n} phases")),
    "n_late": (("{n} phase en retard", "{n} phases en retard"), ("{n} late phase", "{n} late phases")),
    "n_pages": (("{n} page", "{n} pages"), ("{n} page", "{n} pages")),
    "n_files": (("{n} fichier", "{n} fichiers"), ("{n} file", "{n} files")),
    "n_days": (("{n} jour", "{n} jours"), ("{n} day", "{n} days")),
    "more_warnings": (("… et {n} autre avertissement : pacsite check les donne tous",
                       "… et {n} autres avertissements : pacsite check les donne tous"),
                      ("… and {n} more warning: pacsite check lists them all",
                       "… and {n} more warnings: pacsite check lists them all")),
}

# -- pacsite import ------------------------------------------------------------
IMPORT: dict[str, Entry] = {
}

# -- pacsite diff --------------------------------------------------------------
DIFF: dict[str, Entry] = {
}

# -- pacsite init, serve and the command line ----------------------------------
COMMANDS: dict[str, Entry] = {
    "init_wrote": (("pacsite : {n} fichier écrit dans {folder} ; ensuite : {next}",
                    "pacsite : {n} fichiers écrits dans {folder} ; ensuite : {next}"),
                   ("pacsite: wrote {n} file in {folder}; next: {next}",
                    "pacsite: wrote {n} files in {folder}; next: {next}")),
    "init_kept": ("pacsite : {path} existe déjà, gardé tel quel",
                  "pacsite: kept existing {path}"),
    "init_kept_gitignore": ("pacsite : {path} existe déjà, gardé tel quel : ajoutez-y /public/ et /.public.* "
                            "pour ne pas versionner le site construit",
                            "pacsite: kept existing {path}: add /public/ and /.public.* to it so that the built "
                            "site is not committed"),
    "init_refused": ("pacsite : {folder} contient déjà un plan ({found}) ; rien n'a été écrit",
                     "pacsite: {folder} already holds a plan ({found}); nothing was written"),
}

# -- downloads (plan.xlsx, budget.csv) ------------------------------------------
EXPORTS: dict[str, Entry] = {
}


def _merge(*parts: dict[str, Entry]) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for part in parts:
        for code, entry in part.items():
            if code in out:
                raise KeyError(f"message {code!r} is in two parts of the catalogue")
            out[code] = entry
    return out


CATALOG: dict[str, Entry] = _merge(CORE, IMPORT, DIFF, COMMANDS, EXPORTS)
