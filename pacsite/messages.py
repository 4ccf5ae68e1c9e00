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
    # values (fields.py)
    "not_a_number": ("pas un nombre", "not a number"),
    "bad_grouping": ("pas un nombre", "not a number"),
    "ambiguous_number": ("{text} se lit de deux façons : {thousands} ou {fraction} ? "
                         "Écrivez {thousands_plain} ou {fraction_plain}",
                         "{text} can be read two ways: {thousands} or {fraction}? "
                         "Write {thousands_plain} or {fraction_plain}"),
    "expected_amount": ("un montant est attendu, comme 12500 ou « 12 500,50 € » ; trouvé {found}",
                        "expected an amount such as 12500 or \"12,500.50\", found {found}"),
    "negative_amount": ("un montant de 0 ou plus est attendu ; trouvé {found}",
                        "expected an amount of 0 or more, found {found}"),
    "too_many_decimals": ("au plus 2 décimales (les centimes) ; trouvé {found}",
                          "expected at most 2 decimals (cents), found {found}"),
    "amount_too_large": ("montant trop grand (plus de mille milliards) : {found}",
                         "amount too large (over a thousand billion): {found}"),
    "expected_number": ("un nombre est attendu ; trouvé {found}", "expected a number, found {found}"),
    "number_too_large": ("nombre trop grand : {found}", "number too large: {found}"),
    "expected_date": ("une date est attendue, écrite AAAA-MM-JJ (2027-06-30) ; trouvé {found}",
                      "expected a date written YYYY-MM-DD (2027-06-30), found {found}"),
    "expected_date_suggest": ("une date s'écrit AAAA-MM-JJ : écrivez {iso} (trouvé {found})",
                              "a date is written YYYY-MM-DD: write {iso} (found {found})"),
    "not_a_real_day": ("{found} n'est pas une date réelle : {month} {year} a {days} jours",
                       "{found} is not a real date: {month} {year} has {days} days"),
    "not_a_real_date": ("{found} n'est pas une date réelle (mois de 1 à 12)",
                        "{found} is not a real date (months are 1 to 12)"),
    "expected_whole_number": ("un nombre entier est attendu ; trouvé {found}",
                              "expected a whole number, found {found}"),
    "expected_bool": ("oui ou non est attendu (true, false) ; trouvé {found}",
                      "expected yes or no (true, false), found {found}"),
    "expected_status": ("statut inconnu {found} : écrivez prévu, en cours, terminé ou annulé "
                        "(reporté et en attente se lisent prévu)",
                        "unknown status {found}: write planned, in_progress, done or cancelled "
                        "(postponed and on hold read as planned)"),
    "late_not_a_status": ("{found} n'est pas un statut : le retard se calcule à partir de la date de fin. "
                          "Écrivez en cours (ou prévu) et gardez la fin prévue",
                          "{found} is not a status: lateness is computed from the end date. "
                          "Write in_progress (or planned) and keep the planned end"),
    "expected_direction": ("sens inconnu {found} : écrivez hausse ou baisse",
                           "unknown direction {found}: write increase or decrease"),
    "month_1": ("janvier", "January"), "month_2": ("février", "February"), "month_3": ("mars", "March"),
    "month_4": ("avril", "April"), "month_5": ("mai", "May"), "month_6": ("juin", "June"),
    "month_7": ("juillet", "July"), "month_8": ("août", "August"), "month_9": ("septembre", "September"),
    "month_10": ("octobre", "October"), "month_11": ("novembre", "November"),
    "month_12": ("décembre", "December"),
    "more_warnings": (("… et {n} autre avertissement : pacsite check les donne tous",
                       "… et {n} autres avertissements : pacsite check les donne tous"),
                      ("… and {n} more warning: pacsite check lists them all",
                       "… and {n} more warnings: pacsite check lists them all")),
}

# -- pacsite import ------------------------------------------------------------
IMPORT: dict[str, Entry] = {
    "import_no_cells": ("aucune cellule remplie dans les 20 premières lignes : ce n'est pas le tableau du plan",
                        "no filled cell in the first 20 rows: this is not the plan's table"),
    "import_no_header": ("aucune ligne d'en-têtes dans les 20 premières lignes ; la plus proche (ligne {row}) "
                         "se lit {cells} ; il manque {missing}",
                         "no header row in the first 20 rows; the nearest (row {row}) reads {cells}; "
                         "missing: {missing}"),
    "import_column": ("la colonne {name}", "the {name} column"),
    "import_columns": ("les colonnes {names}", "the columns {names}"),
    "import_before_family": ("une phase avant toute famille : remplissez sa cellule ACTIONS",
                             "a phase before any family: fill in its ACTIONS cell"),
    "import_list_cell": (("la cellule contient une liste : lue comme {n} phase, une par ligne",
                          "la cellule contient une liste : lue comme {n} phases, une par ligne"),
                         ("the cell holds a list: read as {n} phase, one per line",
                          "the cell holds a list: read as {n} phases, one per line")),
    "import_list_cell_filled": ("la cellule contient une liste de {n} phases, mais {columns} valent pour toute "
                                "la ligne et ne se partagent pas : donnez à chaque phase sa propre ligne",
                                "the cell holds a list of {n} phases, but {columns} are for the whole row and "
                                "cannot be split: give each phase its own row"),
    "import_total_differs": ("la ligne {label} indique {total} mais les phases au-dessus font {sum} "
                             "(écart {gap})",
                             "the {label} row says {total} but the phases above add up to {sum} (difference {gap})"),
    "import_result_unclear_number": ("{found} : nombre peu clair, gardé comme texte sans valeur ; "
                                     "écrivez le nombre sans ambiguïté (12500 ou 12,5)",
                                     "{found}: unclear number, kept as text with no value; "
                                     "write the number unambiguously (12500 or 12.5)"),
    "import_result_no_number": ("{found} : aucun nombre, gardé comme texte sans valeur",
                                "{found}: no number, kept as text with no value"),
    "import_ends_before_start": ("finit ({end}) avant de commencer ({start})", "ends ({end}) before it starts ({start})"),
    "import_not_plan_file": ("pas un fichier du plan : {path}", "not a file of the plan: {path}"),
    "import_carrier_damaged": ("la ligne de la feuille cachée pour {path} est abîmée",
                               "the hidden sheet's row for {path} is damaged"),
    "import_not_spreadsheet": ("pacsite: impossible de lire {name} comme un classeur : {error}",
                               "pacsite: cannot read {name} as a spreadsheet: {error}"),
    "import_binary_csv": ("pacsite: {name} n'est pas un fichier CSV (contenu binaire)",
                          "pacsite: {name} is not a CSV file (binary content)"),
    "import_bad_csv": ("pacsite: impossible de lire {name} comme un CSV : {error}",
                       "pacsite: cannot read {name} as CSV: {error}"),
    "import_wrong_suffix": ("pacsite: un fichier .xlsx ou .csv est attendu ; trouvé {name}",
                            "pacsite: expected a .xlsx or .csv file, found {name}"),
    "import_no_file": ("pacsite: fichier introuvable : {path}", "pacsite: no such file: {path}"),
    "import_exists": ("{path} existe déjà", "{path} exists"),
    "import_would_remove": ("{path} serait supprimé", "{path} would be removed"),
    "import_use_force": ("pacsite: {what} ({replaced} à remplacer, {removed} à supprimer) : utilisez --force",
                         "pacsite: {what} ({replaced} would be replaced, {removed} removed): use --force"),
    "import_file_unreadable": ("{path} ne peut pas être lu ({error}) : corrigez-le, puis importez à nouveau",
                               "{path} cannot be read ({error}): fix it, then import again"),
    "import_cannot_edit": ("ligne {row} : {path} ne peut pas être modifié : ligne {line} : {error} ; "
                           "corrigez-le (pacsite check), puis importez à nouveau",
                           "row {row}: {path} cannot be edited: line {line}: {error}; "
                           "fix it (pacsite check), then import again"),
    "import_family_renamed": ("famille renommée : {folder} s'intitule désormais « {title} »",
                              "family renamed: {folder} is now titled \"{title}\""),
    "import_budget_lines_replaced": ("ligne {row} ({path}) : ses lignes de budget sont remplacées par le seul "
                                     "montant {amount}",
                                     "row {row} ({path}): its budget lines are replaced by the one amount {amount}"),
    "import_summary": ("phases — modifiées : {changed}, déplacées : {moved}, ajoutées : {added}, "
                       "supprimées : {deleted}, inchangées : {unchanged}{strangers}",
                       "phases: {changed} changed, {moved} moved, {added} added, {deleted} removed, "
                       "{unchanged} unchanged{strangers}"),
    "import_strangers": ((" ({n} ligne nomme un fichier que le classeur ne contient pas : nouvelle phase)",
                          " ({n} lignes nomment un fichier que le classeur ne contient pas : nouvelles phases)"),
                         (" ({n} row names a file the spreadsheet does not carry: a new phase)",
                          " ({n} rows name a file the spreadsheet does not carry: new phases)")),
    "import_bare": (("{n} phase écrite sans son texte : le classeur porte ses champs, le texte reste dans les "
                     "fichiers du plan (importez dans le dossier du plan lui-même pour le garder)",
                     "{n} phases écrites sans leur texte : le classeur porte leurs champs, le texte reste dans les "
                     "fichiers du plan (importez dans le dossier du plan lui-même pour le garder)"),
                    ("{n} phase written without its text: the spreadsheet carries its fields, the text stays in "
                     "the plan's files (import into the plan's own folder to keep it)",
                     "{n} phases written without their text: the spreadsheet carries their fields, the text stays "
                     "in the plan's files (import into the plan's own folder to keep it)")),
    "import_no_phase": ("aucune phase sous la ligne d'en-têtes", "no phase below the header row"),
    "import_not_written": (("{n} erreur : rien n'a été écrit", "{n} erreurs : rien n'a été écrit"),
                           ("{n} error: nothing was written", "{n} errors: nothing was written")),
}

# -- pacsite diff --------------------------------------------------------------
DIFF: dict[str, Entry] = {
}

# -- pacsite init, serve and the command line ----------------------------------
COMMANDS: dict[str, Entry] = {
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
