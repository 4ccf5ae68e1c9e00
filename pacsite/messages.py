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
from datetime import date
from decimal import Decimal
from typing import Any

Side = str | tuple[str, str]
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


@dataclass(frozen=True)
class Money:
    """An amount in the plan's currency: ``12 500,00 €`` (fr), ``€12,500.00`` (en)."""

    value: Decimal
    currency: str = "EUR"

    def text(self, language: str) -> str:
        amount = number(self.value.quantize(Decimal("0.01")), language)
        symbol = SYMBOLS.get(self.currency, self.currency)
        if language == "fr":
            return f"{amount} {symbol}"
        return f"-{symbol}{amount[1:]}" if amount.startswith("-") else f"{symbol}{amount}"


SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


@dataclass(frozen=True)
class Day:
    """A date as the reader says it: ``30 juin 2027`` (fr), ``30 June 2027`` (en)."""

    value: date

    def text(self, language: str) -> str:
        month = msg(f"month_{self.value.month}").text(language)
        return f"{self.value.day} {month} {self.value.year}"


def _bare(key: str) -> str:
    decomposed = unicodedata.normalize("NFKD", key.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(" ", "_").replace("-", "_")


def words(value: Any, language: str) -> str:
    """Put one argument into words."""
    if isinstance(value, (Msg, Place, Money, Day)):
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
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    thousands, point = (" ", ",") if language == "fr" else (",", ".")
    return sign + thousands.join(groups) + (point + decimals if decimals else "")


def seconds(value: float, language: str, places: int = 2) -> str:
    """A duration for a terminal line: ``0,42`` (fr), ``0.42`` (en)."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if language == "fr" else text


def prefix(language: str) -> str:
    """The program's name before a line of its own: ``pacsite : `` in French, ``pacsite: `` in English."""
    return "pacsite : " if language == "fr" else "pacsite: "


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
    # reading files (frontmatter.py)
    "binary_file": ("fichier binaire (octet NUL) : un texte UTF-8 est attendu",
                    "binary file (NUL byte): expected UTF-8 text"),
    "not_utf8": ("pas en UTF-8 : l'octet {byte} ne se lit pas ; enregistrez le fichier en UTF-8",
                 "not UTF-8: byte {byte} cannot be decoded; save the file as UTF-8"),
    "conflict_marker": ("marqueur de conflit git oublié dans le fichier : terminez la fusion",
                        "git conflict marker left in the file: resolve the merge"),
    "front_matter_unclosed": ("l'en-tête ouvert par « --- » n'est jamais fermé par une ligne « --- »",
                              "front matter opened with '---' is never closed by a '---' line"),
    "front_matter_too_large": ("l'en-tête dépasse {kb} Ko : mettez le texte dans le corps de la page",
                               "front matter is over {kb} KB: move text into the body"),
    "front_matter_not_mapping": ("l'en-tête doit être fait de lignes « clé : valeur » ; trouvé {found}",
                                 "front matter must be 'key: value' lines, found {found}"),
    "people_not_mapping": ("people.yaml doit être fait de lignes « id : {{name, role, team, email}} » "
                           "(une personne par id) ; trouvé {found}",
                           "people.yaml must be 'id: {{name, role, team, email}}' lines "
                           "(one person per id), found {found}"),
    "settings_not_mapping": ("pacsite.yaml doit être fait de lignes « clé : valeur » ; trouvé {found}",
                             "pacsite.yaml must be 'key: value' lines, found {found}"),
    "yaml_tab": ("tabulation utilisée pour l'indentation : YAML demande des espaces",
                 "tab used for indentation: YAML needs spaces"),
    "yaml_unclosed_quote": ("guillemet ouvert ici et jamais refermé", "quote opened here and never closed"),
    "yaml_colon_in_text": ("« : » dans un texte : mettez le texte entre guillemets",
                           "': ' inside a text: put the text in quotes"),
    "yaml_structure": ("YAML illisible (indentation ou « clé : valeur » attendus) : {problem}",
                       "invalid YAML (expected indentation or 'key: value'): {problem}"),
    "yaml_invalid": ("YAML illisible à cet endroit (vérifiez les guillemets, les « : » et l'indentation)",
                     "invalid YAML: {problem}"),
    "yaml_open_bracket": ("liste entre crochets mal fermée : une virgule ou « ] » manque",
                          "a [list] is not closed: a ',' or ']' is missing"),
    "yaml_open_brace": ("{{…}} mal fermé : une virgule ou « }} » manque",
                        "a {{mapping}} is not closed: a ',' or '}}' is missing"),
    "yaml_missing_colon": ("« : » manquant après une clé", "':' missing after a key"),
    "yaml_indentation": ("indentation incohérente : alignez les clés d'un même niveau",
                         "inconsistent indentation: align the keys of one level"),
    "yaml_bad_start": ("caractère qui ne peut pas commencer une valeur (@, `, %…) : mettez le texte entre guillemets",
                       "a value cannot start with this character (@, `, %…): put the text in quotes"),
    "yaml_unexpected_end": ("l'en-tête s'arrête au milieu d'une valeur", "the front matter ends inside a value"),
    "yaml_anchor": ("les ancres YAML (&nom) ne sont pas permises dans l'en-tête : écrivez la valeur",
                    "YAML anchors (&name) are not allowed in front matter; write the value out"),
    "yaml_tag": ("les étiquettes YAML comme {tag} ne sont pas permises", "YAML tags such as {tag} are not allowed"),
    "yaml_alias": ("les alias YAML (*nom) ne sont pas permis dans l'en-tête",
                   "YAML aliases (*name) are not allowed in front matter"),
    "yaml_documents": ("un seul document YAML est permis", "only one YAML document is allowed"),
    "yaml_complex_key": ("une clé doit être un simple mot, pas une liste", "a key must be a plain word, not a list"),
    "duplicate_key": ("clé donnée deux fois (la première à la ligne {first})",
                      "duplicate key (first given at line {first})"),
    "cannot_read": ("impossible de lire le fichier : {reason}", "cannot read the file: {reason}"),
    # keys and documents (loader.py, families.py)
    "unknown_key_suggest": ("clé inconnue : vouliez-vous dire {guess} ?", "unknown key: did you mean {guess}?"),
    "unknown_key_kept": ("clé inconnue (gardée pour les modèles de page, sans effet sur les chiffres)",
                         "unknown key (kept for templates, not a figure)"),
    "unknown_key": ("clé inconnue", "unknown key"),
    "key_twice": ("donnée deux fois (comme {first} et comme {second}) : gardez-en une",
                  "given twice (as {first} and as {second}): keep one"),
    "missing_key": ("clé obligatoire absente", "required key is missing"),
    "expected_text": ("un texte est attendu ; trouvé {found}", "expected text, found {found}"),
    "expected_list": ("une liste est attendue ; trouvé {found}", "expected a list, found {found}"),
    "expected_mapping": ("des lignes « clé : valeur » sont attendues ; trouvé {found}",
                         "expected key: value lines, found {found}"),
    "invalid_value": ("valeur refusée ({problem}) ; trouvé {found}", "invalid value ({problem}), found {found}"),
    "budget_mapping": ("un montant ou une liste de lignes {{label, amount, spent}} est attendu ; "
                       "trouvé des lignes « clé : valeur »",
                       "expected an amount or a list of lines {{label, amount, spent}}, found a mapping"),
    "unknown_person": ("personne inconnue {name} : absente de content/people.yaml",
                       "unknown person {name}: not in content/people.yaml"),
    "unknown_person_suggest": ("personne inconnue {name} : absente de content/people.yaml "
                               "(vouliez-vous dire {guess} ?)",
                               "unknown person {name}: not in content/people.yaml (did you mean {guess}?)"),
    "ambiguous_person": ("{name} peut être {ids} : écrivez l'identifiant de la bonne personne",
                         "{name} could be {ids}: write the right person's id"),
    "people_unchecked": (("{n} responsable n'a pas pu être vérifié tant que ce fichier ne se lit pas",
                          "{n} responsables n'ont pas pu être vérifiés tant que ce fichier ne se lit pas"),
                         ("{n} owner could not be checked while this file cannot be read",
                          "{n} owners could not be checked while this file cannot be read")),
    "person_id": ("un identifiant de personne s'écrit en minuscules, chiffres, « - » ou « _ » (ex. claire-martin)",
                  "a person id is lower case letters, digits, '-' or '_' (e.g. claire-martin)"),
    "expected_stage": ("étape du plan inconnue {found} : écrivez {stages}",
                       "unknown plan stage {found}: write {stages}"),
    "no_content": ("pas de dossier content/ ici : est-ce bien un plan ? « pacsite init » en crée un",
                   "no content/ folder here: is this a plan? 'pacsite init' makes one"),
    "stray_file": ("ne fait pas partie du plan (attendu : content/_index.md, objectives/, actions/ ou pages/)",
                   "not part of the plan (expected content/_index.md, objectives/, actions/ or pages/)"),
    "period_order": ("la période se termine avant de commencer", "the period ends before it starts"),
    "target_before_baseline": ("la date cible est avant la date de référence",
                               "the target date is before the baseline date"),
    "same_url_folder": ("même adresse de page que {other} : renommez l'un des dossiers",
                        "same page URL as {other}: rename one folder"),
    "same_url_file": ("même adresse de page que {other} : renommez l'un des fichiers",
                      "same page URL as {other}: rename one file"),
    "family_without_index": ("dossier de famille sans _index.md : son titre vient du nom du dossier",
                             "family folder without _index.md: its title comes from the folder name"),
    "spent_twice": ("la dépense est donnée sur la phase et sur ses lignes de budget : gardez l'une des deux",
                    "spent is given on the phase and on its budget lines: keep one"),
    "end_before_start": ("la fin ({end}) est avant le début ({start}, clé {start_key})",
                         "end {end} is before start {start} (key {start_key})"),
    "finished_before_start": ("la fin réelle ({finished}) est avant le début ({start}, clé {start_key})",
                              "finished {finished} is before start {start} (key {start_key})"),
    "unknown_objective": ("objectif inconnu {name} : pas de fichier content/objectives/ de ce nom",
                          "unknown objective {name}: no such file in content/objectives/"),
    "unknown_objective_suggest": ("objectif inconnu {name} : vouliez-vous dire {guess} ?",
                                  "unknown objective {name}: did you mean {guess}?"),
    "result_no_number": ("résultat {text} sans nombre : il reste du texte et l'objectif chiffré n'est pas évalué "
                         "(écrivez {{text, value}})",
                         "result {text} has no number: it stays text and the numeric target is not judged "
                         "(write {{text, value}})"),
    "result_unclear_number": ("résultat {text} : son nombre se lit de deux façons, il reste du texte sans valeur "
                              "(écrivez {{text, value}})",
                              "result {text}: its number can be read two ways, it stays text with no value "
                              "(write {{text, value}})"),
    # settings (settings.py)
    "unknown_setting": ("réglage inconnu", "unknown setting"),
    "unknown_setting_suggest": ("réglage inconnu : vouliez-vous dire {guess} ?",
                                "unknown setting: did you mean {guess}?"),
    "expected_language": ("fr ou en est attendu ; trouvé {found}", "expected fr or en, found {found}"),
    "expected_currency": ("un code de devise ISO 4217 comme EUR est attendu ; trouvé {found}",
                          "expected an ISO 4217 code such as EUR, found {found}"),
    "expected_ratio": ("une fraction entre 0 et 1 comme 0.05 (ou 5 %) est attendue ; trouvé {found}",
                       "expected a fraction between 0 and 1 such as 0.05 (or 5%), found {found}"),
    "expected_stages": ("une liste de {{id, title}} est attendue ; trouvé {found}",
                        "expected a list of {{id, title}}, found {found}"),
    "stage_entry": ("chaque étape s'écrit {{id, title}}", "each stage is written {{id, title}}"),
    "tolerance_order": ("tolerance.warning ne doit pas dépasser tolerance.critical",
                        "tolerance.warning must not exceed tolerance.critical"),
    # warnings on the plan's state (checks.py)
    "family_over_envelope": ("les phases prévoient {planned} pour une enveloppe de {envelope} ({over} de trop)",
                             "phases plan {planned} for an envelope of {envelope} ({over} over)"),
    "plan_over_envelope": ("les phases du plan prévoient {planned} pour une enveloppe de {envelope} "
                           "({over} de trop)",
                           "the plan's phases plan {planned} for an envelope of {envelope} ({over} over)"),
    "late_without_analysis": (("en retard de {n} jour et sans analyse des écarts",
                               "en retard de {n} jours et sans analyse des écarts"),
                              ("late by {n} day and no variance analysis",
                               "late by {n} days and no variance analysis")),
    "past_without_result": ("date de fin passée et aucun résultat", "past its end date without a result"),
    "spent_before_start": ("{amount} dépensés avant le début de la phase : comptés au {today}, date "
                           "d'évaluation du plan", "{amount} spent before the phase starts: counted on {today}, "
                           "the date the plan is judged at"),
    # building (build.py, markdown.py, output.py)
    "plan_has_errors": ("le plan contient des erreurs : rien n'a été écrit, le site publié reste tel quel",
                        "the plan has errors: nothing was written, the published site is as it was"),
    "hidden_static": ("caché par une page générée de même adresse", "hidden by a generated page of the same path"),
    "pagefind_missing": ("Pagefind n'est pas installé (pip install 'pagefind[bin]') : la recherche utilise "
                         "l'index compact", "Pagefind is not installed (pip install 'pagefind[bin]'): "
                         "search uses the compact index"),
    "search_not_built": ("index de recherche non construit ({error})", "search index not built ({error})"),
    "missing_link": ("lien vers un fichier absent : {href}", "link to a missing file: {href}"),
    "output_is_plan": ("le dossier de sortie {out} contient le plan lui-même : choisissez-en un autre",
                       "output folder {out} contains the plan itself: choose another"),
    "output_in_plan": ("le dossier de sortie {out} est dans le dossier {name}/ du plan : choisissez-en un autre",
                       "output folder {out} is inside the plan's {name}/: choose another"),
    "output_foreign": ("le dossier de sortie {out} existe et n'a pas été fait par pacsite : "
                       "supprimez-le ou choisissez-en un autre",
                       "output folder {out} exists and was not made by pacsite: remove it or choose another"),
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

# -- hostile names: paths, slugs, links (issue 14) -----------------------------------
PATHS: dict[str, Entry] = {
    "name_no_slug": ("{name} ne donne aucune adresse de page : il faut au moins une lettre ou un chiffre ; "
                     "renommez-le",
                     "{name} gives no page URL: it needs at least a letter or a digit; rename it"),
    "name_control": ("le nom {name} contient un caractère de contrôle (retour à la ligne, tabulation…) : "
                     "renommez-le",
                     "the name {name} holds a control character (line break, tab…): rename it"),
    "name_backslash": ("le nom {name} contient « \\ », qui sépare les dossiers sous Windows : renommez-le",
                       "the name {name} holds '\\', which separates folders on Windows: rename it"),
    "link_outside": ("lien vers {target}, hors du dossier du plan : rien n'est lu au-delà ; "
                     "remplacez le lien par le fichier",
                     "link to {target}, outside the plan folder: nothing is read beyond it; "
                     "replace the link with the file"),
    "link_loop": ("lien qui tourne en rond (vers lui-même ou un dossier qui le contient) : supprimez-le",
                  "link that goes round in circles (to itself or a folder holding it): remove it"),
    "link_broken": ("lien vers un fichier absent", "link to a missing file"),
    "theme_outside": ("le thème {name} est hors du dossier du plan : placez-le dans le dossier du plan",
                      "the theme {name} is outside the plan folder: put it inside the plan folder"),
    "output_path_outside": ("{path} serait écrit hors du dossier de sortie {out} : rien n'est écrit",
                            "{path} would be written outside the output folder {out}: nothing is written"),
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
    "import_ends_before_start": ("finit ({end}) avant de commencer ({start})",
                                 "ends ({end}) before it starts ({start})"),
    "import_not_plan_file": ("pas un fichier du plan : {path}", "not a file of the plan: {path}"),
    "import_carrier_damaged": ("la ligne de la feuille cachée pour {path} est abîmée",
                               "the hidden sheet's row for {path} is damaged"),
    "import_not_spreadsheet": ("pacsite : impossible de lire {name} comme un classeur : {error}",
                               "pacsite: cannot read {name} as a spreadsheet: {error}"),
    "import_binary_csv": ("pacsite : {name} n'est pas un fichier CSV (contenu binaire)",
                          "pacsite: {name} is not a CSV file (binary content)"),
    "import_bad_csv": ("pacsite : impossible de lire {name} comme un CSV : {error}",
                       "pacsite: cannot read {name} as CSV: {error}"),
    "import_wrong_suffix": ("pacsite : un fichier .xlsx ou .csv est attendu ; trouvé {name}",
                            "pacsite: expected a .xlsx or .csv file, found {name}"),
    "import_no_file": ("pacsite : fichier introuvable : {path}", "pacsite: no such file: {path}"),
    "import_exists": ("{path} existe déjà", "{path} exists"),
    "import_would_remove": ("{path} serait supprimé", "{path} would be removed"),
    "import_use_force": ("pacsite : {what} ({replaced} à remplacer, {removed} à supprimer) : utilisez --force",
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

# -- hostile values: limits of amounts, dates, locales (issue 14) --------------------
VALUES: dict[str, Entry] = {
    "date_out_of_range": ("date hors de la plage acceptée ({first}–{last}) : trouvé {found}",
                          "date outside the accepted range ({first}–{last}): found {found}"),
    "too_many_places": ("au plus {places} décimales ; trouvé {found}",
                        "at most {places} decimal places; found {found}"),
    "result_number_too_large": ("résultat {text} : nombre trop grand, il reste du texte sans valeur "
                                "(écrivez {{text, value}})",
                                "result {text}: number too large, it stays text with no value "
                                "(write {{text, value}})"),
    "import_result_too_large": ("{found} : nombre trop grand, gardé comme texte sans valeur",
                                "{found}: number too large, kept as text with no value"),
    "date_far_from_plan": ("le {day} est à plus de {years} ans de la période du plan et du jour où il est "
                           "jugé ({span}) : une faute de frappe ?",
                           "{day} is more than {years} years away from the plan's period and the day it is "
                           "judged at ({span}): a typo?"),
    "unknown_locale": ("locale inconnue : {found} ; par exemple fr_FR, fr_BE, fr_CH ou en_GB",
                       "unknown locale: {found}; for example fr_FR, fr_BE, fr_CH or en_GB"),
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

# -- hostile runs: workers, locks, the server, import's staging (issue 14) ----------
RUNTIME: dict[str, Entry] = {
    "lock_waiting": ("pacsite : une autre construction (processus {pid}) écrit dans {out} ; attente de sa fin",
                     "pacsite: another build (process {pid}) is writing {out}; waiting for it to end"),
    "lock_waiting_unknown": ("pacsite : une autre construction écrit dans {out} ; attente de sa fin",
                             "pacsite: another build is writing {out}; waiting for it to end"),
    "lock_waiting_leftovers": ("pacsite : {out} est verrouillé par les processus {pids}, laissés par une "
                               "construction arrêtée ; attente de leur fin (arrêtez-les avec kill)",
                               "pacsite: {out} is locked by processes {pids}, left by a stopped build; "
                               "waiting for them to end (stop them with kill)"),
    "lock_taken_over": ("pacsite : la construction précédente (processus {pid}) s'est arrêtée avant la fin ; "
                        "son verrou est repris, le site qu'elle remplaçait est resté intact",
                        "pacsite: the previous build (process {pid}) stopped before the end; its lock is "
                        "taken over, the site it was replacing is intact"),
    "serve_null_byte": ("adresse refusée : elle contient un caractère nul (%00)",
                        "address refused: it holds a null character (%00)"),
}

# -- the command line's own lines (cli.py) ----------------------------------------
CLI: dict[str, Entry] = {
    "import_done": ("pacsite : {written} dans {folder} depuis {source} ; ensuite : {next}",
                    "pacsite: wrote {written} in {folder} from {source}; next: {next}"),
    "import_done_removed": ("pacsite : {written}, {removed} supprimés, dans {folder} depuis {source} ; "
                            "ensuite : {next}",
                            "pacsite: wrote {written}, removed {removed}, in {folder} from {source}; next: {next}"),
    "fix_none": ("pacsite : aucune correction sûre à proposer", "pacsite: no sure fix to offer"),
    "fix_ask": (("Écrire cette correction ? [o/N]", "Écrire ces {n} corrections ? [o/N]"),
                ("Write this fix? [y/N]", "Write these {n} fixes? [y/N]")),
    "fix_not_written": (("pacsite : {n} correction proposée, rien n'a été écrit (--fix --yes l'écrit)",
                         "pacsite : {n} corrections proposées, rien n'a été écrit (--fix --yes les écrit)"),
                        ("pacsite: {n} fix shown, nothing was written (--fix --yes writes it)",
                         "pacsite: {n} fixes shown, nothing was written (--fix --yes writes them)")),
    "fix_written": (("pacsite : {n} correction écrite dans {files} ; relancez pacsite check",
                     "pacsite : {n} corrections écrites dans {files} ; relancez pacsite check"),
                    ("pacsite: {n} fix written in {files}; run pacsite check again",
                     "pacsite: {n} fixes written in {files}; run pacsite check again")),
    "check_summary": ("pacsite : {errors}, {warnings}", "pacsite: {errors}, {warnings}"),
    "built": ("pacsite : {pages} et {files} écrits en {seconds} s dans {out}",
              "pacsite: built {pages}, {files} in {seconds} s into {out}"),
    "built_warnings": ("pacsite : {pages} et {files} écrits en {seconds} s dans {out} ({warnings})",
                       "pacsite: built {pages}, {files} in {seconds} s into {out} ({warnings})"),
    "no_such_folder": ("pacsite : dossier introuvable : {path}", "pacsite: no such folder: {path}"),
    "interrupted": ("pacsite : interrompu ; la version précédente du site est intacte",
                    "pacsite: interrupted; the previous output is intact"),
    "template_error": ("{where} : erreur de modèle de page sur {page} : {error}",
                       "{where}: template error on {page}: {error}"),
    "theme_no_templates": ("pacsite.yaml : theme : {name} n'a pas de dossier templates/",
                           "pacsite.yaml: theme: {name} has no templates/ folder"),
    "theme_unknown": ("pacsite.yaml : theme : aucun thème nommé « {name} »",
                      "pacsite.yaml: theme: no theme named '{name}'"),
    "cache_refused": ("cache {folder} non utilisé ({reason}) : tout est construit à neuf",
                      "cache {folder} not used ({reason}): everything is built anew"),
    "cache_link": ("c'est un lien", "it is a link"),
    "cache_not_folder": ("ce n'est pas un dossier", "it is not a folder"),
    "cache_other_user": ("il appartient à un autre utilisateur", "it belongs to another user"),
    "cache_tracked": ("git suit des fichiers qu'il contient : un commit l'a ajouté au dépôt",
                      "git tracks files in it: a commit added it to the repository"),
    "cache_not_ours": ("ce dossier contient déjà autre chose qu'un cache de pacsite",
                       "the folder already holds something else than a pacsite cache"),
    "cache_unwritable": ("impossible d'y écrire : {reason}", "cannot write in it: {reason}"),
    "worker_died": ("un processus de travail s'est arrêté sans un mot (mémoire épuisée ?)",
                    "a worker process stopped without a word (out of memory?)"),
    "serve_failed": (("pacsite : le plan a {n} erreur ; la dernière version correcte reste servie",
                      "pacsite : le plan a {n} erreurs ; la dernière version correcte reste servie"),
                     ("pacsite: build failed ({n} error), still serving the last good build",
                      "pacsite: build failed ({n} errors), still serving the last good build")),
    "serve_internal": ("pacsite : erreur interne pendant la construction : {error}",
                       "pacsite: internal error while building: {error}"),
    "serve_changed": ("{names} modifié : ", "{names} changed: "),
    "serve_more": ("{names} et {n} autres", "{names} and {n} more"),
    "serve_built": ("pacsite : {what}{pages}, {files} en {seconds} s",
                    "pacsite: {what}built {pages}, {files} in {seconds} s"),
    "serve_rebuilt": ("pacsite : {what}{rendered} sur {pages} rendues, {files} en {seconds} s",
                      "pacsite: {what}{rendered} of {pages} rendered, {files} written in {seconds} s"),
    "n_files_written": (("{n} fichier écrit", "{n} fichiers écrits"), ("{n} file", "{n} files")),
    "search_updated": ("pacsite : index de recherche mis à jour en {seconds} s",
                       "pacsite: search index updated in {seconds} s"),
    "search_failed": ("pacsite : {error}", "pacsite: {error}"),
    "watching": ("pacsite : surveille {root} (Ctrl-C pour arrêter)", "pacsite: watching {root} (Ctrl-C to stop)"),
    "serving": ("pacsite : sert {out} à l'adresse {url} (Ctrl-C pour arrêter)",
                "pacsite: serving {out} at {url} (Ctrl-C to stop)"),
    "serving_open": ("pacsite : attention : servi sur {host}, d'autres machines peuvent lire le plan",
                     "pacsite: warning: serving on {host}: other machines can read the plan"),
    "stopping": ("pacsite : arrêt", "pacsite: stopping"),
    "git_missing": ("pacsite : git n'est pas installé : diff lit l'historique du plan avec git",
                    "pacsite: git is not installed: diff reads the plan's history with git"),
    "git_too_long": ("pacsite : git {command} a pris plus de 2 minutes",
                     "pacsite: git {command} took more than 2 minutes"),
    "not_a_repository": ("pacsite : {folder} n'est pas dans un dépôt git : diff compare des versions du plan",
                         "pacsite: {folder} is not in a git repository: diff compares revisions of the plan"),
    "not_a_revision": ("pacsite : pas une version : {revision}", "pacsite: not a revision: {revision}"),
    "unknown_revision": ("pacsite : version git inconnue : {revision}", "pacsite: unknown git revision: {revision}"),
    "revision_unreadable": ("pacsite : impossible de lire {commit} ({reason})",
                            "pacsite: cannot read {commit}: {reason}"),
    "cannot_listen": ("pacsite : impossible d'écouter sur {host}:{port} ({reason}) : essayez --port {next}",
                      "pacsite: cannot listen on {host}:{port} ({reason}): try --port {next}"),
}

# -- downloads (plan.xlsx, budget.csv) ------------------------------------------
EXPORTS: dict[str, Entry] = {
}

# -- hostile output: escaping, downloads, URLs from settings (issue 14) -------------
OUTPUTS: dict[str, Entry] = {
    "url_not_web": ("une adresse commençant par http:// ou https:// est attendue ; trouvé {found}",
                    "expected an address starting with http:// or https://, found {found}"),
    "url_control": ("une adresse ne contient ni espace, ni saut de ligne, ni caractère invisible ; trouvé {found}",
                    "an address holds no space, line break or invisible character, found {found}"),
}

# -- settings: the edit links made from repository.url and repository.branch (issue 15) ---------------
SETTINGS: dict[str, Entry] = {
    "expected_branch": ("un nom de branche git est attendu (sans espace, « .. », ~ ^ : ? * [ ni \\) ; trouvé {found}",
                        "expected a git branch name (no space, '..', ~ ^ : ? * [ or \\), found {found}"),
    "branch_without_url": ("sans repository.url, la branche ne donne aucun lien « Modifier cette page »",
                           "without repository.url, the branch gives no \"Edit this page\" link"),
    "branch_unknown_host": ("{url} n'est pas l'adresse d'un dépôt GitHub ou GitLab : la branche ne donne aucun "
                            "lien « Modifier cette page » ; écrivez repository.edit_url",
                            "{url} is not the address of a GitHub or GitLab repository: the branch gives no "
                            "\"Edit this page\" link; write repository.edit_url"),
}


def _merge(*parts: dict[str, Entry]) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for part in parts:
        for code, entry in part.items():
            if code in out:
                raise KeyError(f"message {code!r} is in two parts of the catalogue")
            out[code] = entry
    return out


CATALOG: dict[str, Entry] = _merge(CORE, PATHS, IMPORT, VALUES, DIFF, COMMANDS, RUNTIME, CLI, EXPORTS, OUTPUTS,
                                   SETTINGS)


# -- names in messages --------------------------------------------------

_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})  # controls, bidi marks, lone surrogates, line breaks


def printable(text: str) -> str:
    """Show a file name on one line: control characters (CR, LF, ESC, bidi marks) as escapes.

    A name is the user's, but a diagnostic is one line of a terminal or a CI
    log: a line feed in a file name must not start a second diagnostic.
    """
    if all(unicodedata.category(c) not in _UNPRINTABLE for c in text):
        return text
    escapes = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return "".join(escapes.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
                   if unicodedata.category(c) in _UNPRINTABLE else c for c in text)


def has_control(text: str) -> bool:
    """Tell whether a name holds a character that ``printable`` would escape."""
    return any(unicodedata.category(c) in _UNPRINTABLE for c in text)
