"""``pacsite init``: write a new plan folder from the classic template.

The plan follows the French *plan d'action commerciale* template: a header
with the 5-year vision, three strategic objective stubs, then the template's
15 action families and their phases. Every value the user has to fill in is
present but empty (YAML null), so the files show what is expected and still
pass ``pacsite check``. It also writes the plan's own repository files
(``.gitignore``, ``README.md``: ``pacsite.repo_files``).

A folder that already holds a plan (``pacsite.yaml``, or any file in
``content/``) is refused whole: adding the template's 80-odd files beside someone's
plan would mix empty families into it. Any other folder is fine (a fresh
``git init``, a README), and an existing file is never overwritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import NamedTuple

import yaml

from pacsite.repo_files import repository_files
from pacsite.settings import SETTINGS_FILE
from pacsite.sources import discover

__all__ = [
    "FAMILIES_EN",
    "FAMILIES_FR",
    "LANGUAGES",
    "Family",
    "Phase",
    "PlanExists",
    "existing_plan",
    "families",
    "init_plan",
    "template_files",
]

LANGUAGES = ("fr", "en")


class Phase(NamedTuple):
    """One bullet of the template: a phase (step) of an action family."""

    slug: str
    title: str
    hint: str = ""  # the template's examples for this step, shown as guidance


class Family(NamedTuple):
    """One row group of the template's table: an action family and its phases."""

    slug: str
    title: str
    stage: str
    phases: tuple[Phase, ...]


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


class PlanExists(FileExistsError):
    """The folder already holds a plan: ``init`` wrote nothing. ``found`` is the file that shows it."""

    def __init__(self, found: Path) -> None:
        super().__init__(f"{found} belongs to a plan already: nothing was written")
        self.found = found


def existing_plan(target: Path) -> Path | None:
    """Return a file showing that ``target`` holds a plan (its settings, a file of ``content/``), or None."""
    settings = target / SETTINGS_FILE
    if settings.exists() or settings.is_symlink():
        return settings
    sources = discover(target)  # the files a build would read: hidden and temporary ones are not a plan
    return sources[0].path if sources else None


def init_plan(target: Path, lang: str = "fr") -> tuple[list[Path], list[Path]]:
    """Write a new plan into target; return (written, skipped). Never overwrite.

    Raises ``PlanExists``, before writing anything, when the folder already
    holds a plan. Otherwise a file that already exists (even a dangling
    symlink: a README, a .gitignore) is skipped, not replaced. Directories
    are created as needed. Raises ``ValueError`` for an unknown language
    (before anything is written) and ``OSError`` when a file cannot be
    created (e.g. a path component is a regular file).
    """
    files = template_files(lang)
    target = Path(target)
    found = existing_plan(target)
    if found is not None:
        raise PlanExists(found)
    written: list[Path] = []
    skipped: list[Path] = []
    for rel, text in files:
        path = target.joinpath(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # "x" creates exclusively: no check-then-write race, no overwrite.
            with path.open("x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except FileExistsError:
            skipped.append(path)
        else:
            written.append(path)
    return written, skipped


def template_files(lang: str = "fr") -> list[tuple[str, str]]:
    """Return the plan as (relative POSIX path, text) pairs, in writing order.

    Kept separate from the writing so the content can be inspected or tested
    without touching the disk.
    """
    texts = _texts(lang)
    files: list[tuple[str, str]] = [
        *repository_files(_check_lang(lang)),
        ("pacsite.yaml", texts.config),
        ("content/_index.md", texts.index),
    ]
    for n, example in enumerate(texts.objective_examples, start=1):
        text = texts.objective.substitute(n=n, example=example)
        files.append((f"content/objectives/{texts.objective_slug}-{n}.md", text))
    for f_num, family in enumerate(families(lang), start=1):
        folder = f"content/actions/{f_num:02d}-{family.slug}"
        text = texts.family.substitute(title=_scalar(family.title), stage=family.stage)
        files.append((f"{folder}/_index.md", text))
        for p_num, phase in enumerate(family.phases, start=1):
            guidance = texts.guidance
            if phase.hint:
                guidance += f"\n\n*{texts.hint_label}{phase.hint}*"
            text = texts.phase.substitute(title=_scalar(phase.title), guidance=guidance)
            files.append((f"{folder}/{p_num:02d}-{phase.slug}.md", text))
    return files


def families(lang: str = "fr") -> tuple[Family, ...]:
    """The template's 15 action families, in the template's order."""
    return {"fr": FAMILIES_FR, "en": FAMILIES_EN}[_check_lang(lang)]


def _check_lang(lang: str) -> str:
    """Normalise a language code; reject anything we have no template for."""
    code = lang.strip().lower() if isinstance(lang, str) else lang
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    return code


_PLAIN_UNSAFE_START = tuple("-?:,[]{}#&*!|>'\"%@`")


def _scalar(text: str) -> str:
    """Render text as a YAML scalar: plain when safe (readable), else double-quoted.

    Plain only when YAML is sure to read it back as the same string; anything
    doubtful (indicators, ``: ``, `` #``, YAML 1.1 booleans, numbers...) gets
    double quotes. JSON string syntax is valid YAML double-quoted syntax.
    """
    if (
        text
        and text == text.strip()
        and not text.startswith(_PLAIN_UNSAFE_START)
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and "\n" not in text
        and "\t" not in text
        and yaml.safe_load(f"k: {text}") == {"k": text}
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


# --------------------------------------------------------------------------
# Texts around the data, per language
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Texts:
    """The fixed texts of one language; ``Template`` fields take ``$name``."""

    config: str
    index: str
    objective_slug: str
    objective: Template  # $n, $example
    objective_examples: tuple[str, str, str]
    family: Template  # $title, $stage
    phase: Template  # $title, $guidance
    guidance: str
    hint_label: str


def _texts(lang: str) -> _Texts:
    """The fixed texts of a language (frozen: nothing at module level is mutable)."""
    return _TEXTS_FR if _check_lang(lang) == "fr" else _TEXTS_EN


_TEXTS_FR = _Texts(
    config="""\
# Réglages du site pacsite. Toutes les clés sont facultatives ;
# décommentez et adaptez celles dont vous avez besoin.
language: fr
# title: Plan d'action commerciale 2026-2030   # par défaut : le titre de content/_index.md
# currency: EUR
# base_url: https://intranet.example.fr/plan-commercial/
# today: 2026-06-30          # date à laquelle le plan est évalué (par défaut : aujourd'hui)
# budget:
#   envelope: 150000         # budget total disponible
# tolerance:
#   warning: 0.05            # écart toléré avant « à surveiller »
#   critical: 0.15           # écart au-delà duquel l'objectif est « hors trajectoire »
# repository:
#   url: https://git.example.fr/commercial/plan
#   branch: main
""",
    index="""\
---
title: Plan d'action commerciale
company: Nom de la société       # à remplacer par le nom de votre entreprise
# Notre vision de l'entreprise à 5 ans, en Markdown. Par exemple :
# « Nous deviendrons sous 5 ans le leader en Rhône-Alpes de la distribution
#   de systèmes de protection et d'alarme pour piscines... »
# Pour plusieurs paragraphes, écrivez « vision: | » puis le texte indenté.
vision: "À compléter : notre vision de l'entreprise à 5 ans."
# Période couverte par le plan : dates au format AAAA-MM-JJ,
# par exemple start: 2026-01-01 et end: 2030-12-31.
period:
  start:
  end:
---

## Note préliminaire

- Le plan d'action commerciale est un document interne à l'entreprise, ayant pour
  objectif de présenter et de rationaliser une démarche globale « marketing et vente »
  ou une démarche plus ciblée sur une action spécifique comme le lancement d'une
  nouvelle gamme de produits.
- Ce plan intègre une phase stratégique (grands objectifs), une phase préparatoire
  (étude de marché éventuelle, mise au point de l'offre commerciale) et une phase plus
  « opérationnelle ». En pratique, certains plans d'action commerciale n'intègrent que
  la phase opérationnelle.
- La trame proposée est purement indicative et la liste des actions non limitative :
  personnalisez-la en fonction de votre propre contexte.

## Comment remplir ce plan

1. **L'en-tête** (ce fichier, `content/_index.md`) : le nom de la société (`company`),
   la vision de l'entreprise à 5 ans (`vision`) et la période du plan (`period`).
2. **Les objectifs stratégiques** : un fichier par objectif dans `content/objectives/`.
   Donnez-lui un titre, et si possible un indicateur chiffré (`metric`, `unit`,
   `baseline`, `target`) pour suivre sa progression. Ajoutez ou supprimez des fichiers
   selon le nombre d'objectifs.
3. **Les familles d'actions** : un dossier par famille dans `content/actions/` ; le
   préfixe `NN-` du nom donne l'ordre. Le fichier `_index.md` du dossier donne son
   titre et sa phase du plan (`stage` : `strategic`, `preparatory` ou `operational`).
   Supprimez les familles qui ne vous concernent pas, ajoutez les vôtres.
4. **Les phases, étapes** : un fichier par phase dans le dossier de sa famille.
   Décrivez brièvement l'action dans le texte, et remplissez les colonnes du tableau :

| Colonne du modèle | Clé | Exemple |
|---|---|---|
| QUI ? | `owner` | `marie-dupont` (voir `people.yaml`) ou `Marie Dupont` |
| BUDGET | `budget` | `12500` ou `"12 500 €"` |
| DATE DÉBUT | `start` | `2026-03-01` |
| DATE FIN | `end` | `2026-04-30` |
| OBJECTIF | `objective` | un texte, ou `{text: …, target: 200, unit: contacts}` |
| RÉSULTAT OBTENU | `result` | un texte, ou `{value: 180, date: 2026-05-15}` |
| ANALYSE ÉCARTS | `analysis` | un texte, ou une section « Analyse des écarts » |

Les noms français des colonnes sont aussi acceptés comme clés (`qui`, `date_debut`,
`objectif`, `resultat_obtenu`…). Une clé laissée vide ne compte pas.

5. **L'équipe** (facultatif) : un fichier `content/people.yaml` qui associe un
   identifiant à chaque personne, par exemple
   `marie-dupont: {name: Marie Dupont, role: Responsable marketing}`.

Vérifiez le plan avec `pacsite check`, prévisualisez-le avec `pacsite serve` et
publiez-le avec `pacsite build`. Remplacez ensuite ce texte par votre propre
présentation du plan.
""",
    objective_slug="objectif",
    objective=Template("""\
---
title: Objectif stratégique $n
owner:                  # responsable : identifiant de people.yaml ou nom
# Exemple d'objectif chiffré : décommentez et adaptez les lignes ci-dessous.
$example
# direction: increase   # increase (à augmenter, par défaut) ou decrease (à réduire)
# measurements:         # mesures successives de l'indicateur
#   - {date: 2026-12-31, value: 0, note: Bilan annuel}
---

Énoncez l'objectif en une phrase : que voulez-vous atteindre, et pour quand ?
"""),
    objective_examples=(
        """\
# « Doubler notre chiffre d'affaires sous 3 ans »
# metric: Chiffre d'affaires
# unit: EUR
# baseline: {value: 1200000, date: 2025-12-31}
# target: {value: 2400000, date: 2028-12-31}""",
        """\
# « Ouvrir 3 nouveaux points de vente d'ici un an »
# metric: Nouveaux points de vente
# unit: points de vente
# baseline: {value: 0, date: 2025-12-31}
# target: {value: 3, date: 2026-12-31}""",
        """\
# « Faire progresser notre marge brute d'au moins 20 % sous 18 mois »
# metric: Marge brute
# unit: EUR
# baseline: {value: 500000, date: 2025-12-31}
# target: {value: 600000, date: 2027-06-30}""",
    ),
    family=Template("""\
---
title: $title
stage: $stage     # phase du plan : strategic, preparatory ou operational
owner:                 # responsable de la famille : identifiant de people.yaml ou nom
budget:                # enveloppe budgétaire de la famille (facultatif), par ex. 20000
summary:               # résumé en une phrase (facultatif)
---

Présentez ici cette famille d'actions : enjeux, périmètre, priorités.

Chaque phase est un fichier de ce dossier ; le préfixe `NN-` du nom donne l'ordre.
La liste du modèle est non limitative : ajoutez, renommez ou supprimez des phases
selon votre contexte.
"""),
    phase=Template("""\
---
title: $title
owner:            # QUI ? Qui réalise l'action : identifiant de people.yaml ou nom
budget:           # BUDGET prévu, par ex. 12500 ou "12 500 €"
start:            # DATE DÉBUT, AAAA-MM-JJ
end:              # DATE FIN, AAAA-MM-JJ (seule, c'est un jalon)
objective:        # OBJECTIF : un texte, ou {text: …, target: 200, unit: contacts}
status: planned   # planned, in_progress, done ou cancelled (prevu, en_cours, termine, annule)
# Au fil de l'action, décommentez et remplissez :
# spent: 0                      # dépense réelle à ce jour
# finished: 2026-04-30          # date de fin réelle
# result:                       # RÉSULTAT OBTENU : un texte, ou {value: 180, date: …}
# analysis:                     # ANALYSE ÉCARTS
# contributes_to: [objectif-1]  # objectifs stratégiques servis
---

$guidance
"""),
    guidance=(
        "Décrivez brièvement l'action et indiquez, selon les cas, les objectifs prévus."
    ),
    hint_label="Pistes : ",
)


_TEXTS_EN = _Texts(
    config="""\
# pacsite site settings. Every key is optional;
# uncomment and adapt the ones you need.
language: en
# title: Commercial action plan 2026-2030   # default: the title of content/_index.md
# currency: EUR
# base_url: https://intranet.example.com/sales-plan/
# today: 2026-06-30          # the date the plan is judged at (default: today)
# budget:
#   envelope: 150000         # total budget available
# tolerance:
#   warning: 0.05            # shortfall tolerated before "watch"
#   critical: 0.15           # shortfall beyond which an objective is "off track"
# repository:
#   url: https://git.example.com/sales/plan
#   branch: main
""",
    index="""\
---
title: Commercial action plan
company: Company name            # replace with your company's name
# Our vision of the company in 5 years, in Markdown. For example:
# "Within 5 years we will be the leading distributor of swimming-pool
#  safety and alarm systems in our region..."
# For several paragraphs, write "vision: |" and indent the text below it.
vision: "To be completed: our vision of the company in 5 years."
# Period covered by the plan: dates as YYYY-MM-DD,
# for example start: 2026-01-01 and end: 2030-12-31.
period:
  start:
  end:
---

## Preliminary note

- The commercial action plan is an internal document. It presents and rationalises
  an overall "marketing and sales" approach, or a more focused one such as the
  launch of a new product range.
- This plan has a strategic stage (main objectives), a preparatory stage (market
  research if needed, finalising the commercial offer) and a more "operational"
  stage. In practice, some commercial action plans only have the operational stage.
- The outline is only indicative and the list of actions is not exhaustive: adapt
  it to your own context.

## How to fill in this plan

1. **The header** (this file, `content/_index.md`): the company name (`company`),
   the 5-year vision (`vision`) and the period of the plan (`period`).
2. **Strategic objectives**: one file per objective in `content/objectives/`. Give
   it a title and, where possible, a measurable indicator (`metric`, `unit`,
   `baseline`, `target`) to track progress. Add or delete files as needed.
3. **Action families**: one folder per family in `content/actions/`; the `NN-`
   prefix of the name gives the order. The folder's `_index.md` gives its title and
   its stage of the plan (`stage`: `strategic`, `preparatory` or `operational`).
   Delete the families that do not apply to you, add your own.
4. **Phases, steps**: one file per phase in its family's folder. Describe the
   action briefly in the text and fill in the columns of the table:

| Template column | Key | Example |
|---|---|---|
| WHO? | `owner` | `jane-smith` (see `people.yaml`) or `Jane Smith` |
| BUDGET | `budget` | `12500` |
| START DATE | `start` | `2026-03-01` |
| END DATE | `end` | `2026-04-30` |
| OBJECTIVE | `objective` | a text, or `{text: …, target: 200, unit: leads}` |
| RESULT | `result` | a text, or `{value: 180, date: 2026-05-15}` |
| VARIANCE ANALYSIS | `analysis` | a text explaining the gap between objective and result |

A key left empty does not count.

5. **The team** (optional): a `content/people.yaml` file giving each person an id,
   for example `jane-smith: {name: Jane Smith, role: Marketing manager}`.

Check the plan with `pacsite check`, preview it with `pacsite serve` and publish it
with `pacsite build`. Then replace this text with your own introduction to the plan.
""",
    objective_slug="objective",
    objective=Template("""\
---
title: Strategic objective $n
owner:                  # accountable: a people.yaml id or a name
# Example of a measurable objective: uncomment and adapt the lines below.
$example
# direction: increase   # increase (the default) or decrease
# measurements:         # successive measurements of the indicator
#   - {date: 2026-12-31, value: 0, note: Annual review}
---

State the objective in one sentence: what do you want to achieve, and by when?
"""),
    objective_examples=(
        """\
# "Double our turnover within 3 years"
# metric: Turnover
# unit: EUR
# baseline: {value: 1200000, date: 2025-12-31}
# target: {value: 2400000, date: 2028-12-31}""",
        """\
# "Open 3 new outlets within a year"
# metric: New outlets
# unit: outlets
# baseline: {value: 0, date: 2025-12-31}
# target: {value: 3, date: 2026-12-31}""",
        """\
# "Increase our gross margin by at least 20% within 18 months"
# metric: Gross margin
# unit: EUR
# baseline: {value: 500000, date: 2025-12-31}
# target: {value: 600000, date: 2027-06-30}""",
    ),
    family=Template("""\
---
title: $title
stage: $stage     # stage of the plan: strategic, preparatory or operational
owner:                 # accountable for the family: a people.yaml id or a name
budget:                # budget envelope of the family (optional), e.g. 20000
summary:               # one-sentence summary (optional)
---

Introduce this action family here: stakes, scope, priorities.

Each phase is a file in this folder; the `NN-` prefix of its name gives the order.
The template's list is not exhaustive: add, rename or delete phases to suit your
context.
"""),
    phase=Template("""\
---
title: $title
owner:            # WHO? Who carries out the action: a people.yaml id or a name
budget:           # planned BUDGET, e.g. 12500
start:            # START DATE, YYYY-MM-DD
end:              # END DATE, YYYY-MM-DD (on its own: a milestone)
objective:        # OBJECTIVE: a text, or {text: …, target: 200, unit: leads}
status: planned   # planned, in_progress, done or cancelled
# As the action progresses, uncomment and fill in:
# spent: 0                       # actual cost so far
# finished: 2026-04-30           # actual end date
# result:                        # RESULT: a text, or {value: 180, date: …}
# analysis:                      # VARIANCE ANALYSIS
# contributes_to: [objective-1]  # strategic objectives served
---

$guidance
"""),
    guidance="Describe the action briefly and, where relevant, state the planned objectives.",
    hint_label="Ideas: ",
)


# --------------------------------------------------------------------------
# The template's action families (seed document, in its order)
# --------------------------------------------------------------------------

_PREP = "preparatory"
_OPER = "operational"

FAMILIES_FR: tuple[Family, ...] = (
    Family("etudes-de-marche", "La réalisation des études de marché préalables", _PREP, (
        Phase("clientele-potentielle",
              "L'étude de la clientèle potentielle et des segments de marché"),
        Phase("concurrence", "L'étude de la concurrence directe et indirecte"),
        Phase("environnement", "L'étude de l'environnement économique, technologique, "
              "réglementaire et normatif"),
        Phase("synthese", "La synthèse des études de marché",
              "diagnostic, analyse des forces/faiblesses et des opportunités/menaces, "
              "préconisations…"),
    )),
    Family("offre-commerciale", "La finalisation de l'offre commerciale", _PREP, (
        Phase("positionnement",
              "La détermination de la stratégie de positionnement de l'offre envisagée",
              "segments de marché retenus, différenciations essentielles par rapport à "
              "la concurrence…"),
        Phase("caracteristiques-techniques",
              "La détermination des caractéristiques techniques de l'offre",
              "sélection des produits/prestations retenus…"),
        Phase("prix", "La détermination de la stratégie de prix et de tarification"),
    )),
    Family("identite-commerciale", "La conception de l'identité commerciale", _OPER, (
        Phase("nom-slogan-marques", "Le nom commercial, le slogan et les marques",
              "recherche, protection…"),
        Phase("logo-charte-graphique", "Le logo et la charte graphique"),
        Phase("design", "Le design"),
        Phase("packaging", "Le packaging"),
    )),
    Family("qualite", 'Le positionnement "Qualité"', _OPER, (
        Phase("agrements", "Les agréments"),
        Phase("labellisations", "Les labellisations"),
        Phase("certifications", "Les certifications"),
        Phase("charte-qualite", "La création d'une charte Qualité"),
        Phase("enquetes-de-satisfaction", "Les enquêtes de satisfaction"),
    )),
    Family("supports-commerciaux", "La création des supports de présentation commerciale",
           _OPER, (
        Phase("plaquettes-depliants", "Les plaquettes, pochettes, dépliants, fiches de "
              "présentation et cartes de visite"),
        Phase("site-internet", "Le site Internet et le blog",
              "conception et référencement dans les moteurs de recherche"),
        Phase("catalogues", "Les catalogues"),
        Phase("press-book", "Le press book"),
        Phase("supports-force-de-vente", "Les supports spécifiques pour la force de vente "
              "et pour le réseau de distribution",
              "argumentaires, présentations PowerPoint, films…"),
    )),
    Family("supports-contractuels", "La conception des supports contractuels", _OPER, (
        Phase("conditions-generales-de-vente", "Les conditions générales de vente"),
        Phase("devis-factures", "Les modèles de devis et de factures"),
        Phase("autres-documents", "Les autres documents liés à la vente"),
    )),
    Family("univers-commercial",
           "La conception de l'univers commercial (sur le lieu de vente)", _OPER, (
        Phase("vitrines", "Les vitrines du local commercial"),
        Phase("amenagement-interieur", "L'aménagement intérieur du local commercial",
              "conception de l'ambiance, éclairage, sonorisation…"),
    )),
    Family("marketing-publicitaire", "La préparation des actions de marketing publicitaire",
           _OPER, (
        Phase("publicite-lieu-de-vente", "La publicité sur le lieu de vente",
              "enseignes, panonceaux, présentoirs…"),
        Phase("publicite-vehicules", "La publicité sur les véhicules"),
        Phase("affichage-exterieur", "L'affichage extérieur",
              "affichage sur le local, guidage, campagnes d'affichage sur panneaux…"),
        Phase("encarts-annuaires", "Les encarts publicitaires en annuaires"),
        Phase("encarts-presse",
              'Les encarts publicitaires "presse" et les publi-reportages'),
        Phase("reportages-gratuits", "Les reportages gratuits"),
        Phase("radio-tv", "La publicité à la radio et à la télévision"),
        Phase("publicite-internet", "La publicité sur Internet",
              "bannières, liens Google…"),
        Phase("objets-publicitaires", "Les objets et cadeaux publicitaires"),
    )),
    Family("marketing-direct", "La préparation des actions de marketing direct", _OPER, (
        Phase("fichiers",
              "La constitution ou l'acquisition de fichiers ou de bases de données"),
        Phase("mailings", "Les actions de mailings adressés ou non adressés"),
        Phase("e-mailings-sms", "Les actions d'e-mailings et de SMS"),
        Phase("teleprospection", "Les actions de téléprospection"),
    )),
    Family("marketing-evenementiel", "La préparation des actions de marketing événementiel",
           _OPER, (
        Phase("portes-ouvertes", 'Les journées "Portes Ouvertes" et les anniversaires'),
        Phase("salons", "La participation à des salons"),
        Phase("colloques", "L'organisation ou la participation à des colloques et "
              "animations diverses"),
        Phase("street-marketing", 'Les opérations de "street marketing"'),
        Phase("sponsoring-mecenat", "Le sponsoring et le mécénat"),
    )),
    Family("marketing-relationnel", 'La préparation des actions de marketing "relationnel"',
           _OPER, (
        Phase("prescripteurs",
              "Les actions auprès des prescripteurs et autres relais d'information"),
        Phase("reseaux-classiques", "La participation à des réseaux sociaux classiques",
              "clubs d'entrepreneurs…"),
        Phase("reseaux-sociaux-virtuels", "La participation à des réseaux sociaux virtuels",
              "LinkedIn, Facebook, Instagram…"),
    )),
    Family("fidelisation", "La préparation des actions spécifiques de marketing "
           '"fidélisation des clients"', _OPER, (
        Phase("operations-promotionnelles",
              'Les opérations promotionnelles "bons clients" et les ventes privées'),
        Phase("cartes-de-fidelite", "Les cartes de fidélité"),
        Phase("parrainage-clubs", "Les actions de parrainage et les clubs d'utilisateurs"),
        Phase("newsletters", "Les newsletters"),
    )),
    Family("organisation-commerciale", "L'organisation du système de commercialisation",
           _OPER, (
        Phase("reseau-de-distribution", "La constitution d'un réseau de points de vente, "
              "d'un réseau de distributeurs ou d'une franchise"),
        Phase("recrutement-force-de-vente", "Le recrutement de la force de vente",
              "salariés, VRP, agents commerciaux…"),
        Phase("formation",
              "Les actions de formation spécifiques du réseau et de la force de vente"),
        Phase("management-force-de-vente", "La définition du mode de management de la "
              "force de vente, des objectifs et de la rétribution des vendeurs"),
    )),
    Family("logistique", "L'organisation de la logistique", _OPER, (
        Phase("stocks", "La constitution et la gestion des stocks"),
        Phase("prises-de-commandes", "La gestion des prises de commandes"),
        Phase("livraison", "Le processus de livraison"),
    )),
    Family("suivi-commercial", "L'informatisation du suivi commercial", _OPER, (
        Phase("indicateurs", "La définition et la gestion des indicateurs de suivi"),
        Phase("actions-correctives", "La gestion des actions correctives"),
        Phase("supports-enregistrement", "La création des supports d'enregistrement"),
        Phase("crm", "La mise en place d'outils informatisés de gestion commerciale "
              'de type "CRM"'),
    )),
)

FAMILIES_EN: tuple[Family, ...] = (
    Family("market-research", "Preliminary market research", _PREP, (
        Phase("potential-customers", "Study of potential customers and market segments"),
        Phase("competition", "Study of direct and indirect competition"),
        Phase("environment", "Study of the economic, technological, regulatory and "
              "standards environment"),
        Phase("summary", "Summary of the market research",
              "diagnosis, analysis of strengths/weaknesses and opportunities/threats, "
              "recommendations…"),
    )),
    Family("commercial-offer", "Finalising the commercial offer", _PREP, (
        Phase("positioning", "Defining the positioning strategy of the planned offer",
              "target market segments, key differences from the competition…"),
        Phase("technical-features", "Defining the technical features of the offer",
              "selection of the products/services offered…"),
        Phase("pricing", "Defining the pricing strategy and price list"),
    )),
    Family("brand-identity", "Designing the brand identity", _OPER, (
        Phase("name-slogan-brands", "Trade name, slogan and brands",
              "search, legal protection…"),
        Phase("logo-graphic-charter", "Logo and graphic charter"),
        Phase("design", "Design"),
        Phase("packaging", "Packaging"),
    )),
    Family("quality", "Quality positioning", _OPER, (
        Phase("approvals", "Approvals"),
        Phase("labels", "Quality labels"),
        Phase("certifications", "Certifications"),
        Phase("quality-charter", "Drawing up a quality charter"),
        Phase("satisfaction-surveys", "Customer satisfaction surveys"),
    )),
    Family("sales-material", "Creating sales presentation material", _OPER, (
        Phase("brochures-leaflets",
              "Brochures, folders, leaflets, product sheets and business cards"),
        Phase("website", "Website and blog", "design and search engine optimisation"),
        Phase("catalogues", "Catalogues"),
        Phase("press-book", "Press book"),
        Phase("sales-force-material",
              "Specific material for the sales force and the distribution network",
              "sales pitches, PowerPoint presentations, videos…"),
    )),
    Family("contract-documents", "Designing the contract documents", _OPER, (
        Phase("terms-of-sale", "General terms and conditions of sale"),
        Phase("quotes-invoices", "Quote and invoice templates"),
        Phase("other-documents", "Other sales documents"),
    )),
    Family("point-of-sale", "Designing the retail environment (at the point of sale)",
           _OPER, (
        Phase("shop-windows", "Shop windows"),
        Phase("interior-layout", "Interior layout of the shop",
              "atmosphere, lighting, sound system…"),
    )),
    Family("advertising", "Preparing advertising campaigns", _OPER, (
        Phase("point-of-sale-advertising", "Point-of-sale advertising",
              "signs, plaques, display stands…"),
        Phase("vehicle-advertising", "Advertising on vehicles"),
        Phase("outdoor-advertising", "Outdoor advertising",
              "signs on the premises, directional signs, billboard campaigns…"),
        Phase("directory-ads", "Advertisements in directories"),
        Phase("press-ads", "Press advertisements and advertorials"),
        Phase("free-coverage", "Free editorial coverage"),
        Phase("radio-tv", "Radio and TV advertising"),
        Phase("online-advertising", "Online advertising", "banners, Google ads…"),
        Phase("promotional-items", "Promotional items and gifts"),
    )),
    Family("direct-marketing", "Preparing direct marketing campaigns", _OPER, (
        Phase("mailing-lists", "Building or acquiring mailing lists and databases"),
        Phase("mailings", "Addressed and unaddressed mailings"),
        Phase("emailings-sms", "E-mail and SMS campaigns"),
        Phase("telemarketing", "Telemarketing"),
    )),
    Family("event-marketing", "Preparing event marketing", _OPER, (
        Phase("open-days", "Open days and anniversaries"),
        Phase("trade-fairs", "Taking part in trade fairs"),
        Phase("conferences", "Organising or taking part in conferences and other events"),
        Phase("street-marketing", "Street marketing operations"),
        Phase("sponsorship", "Sponsorship and patronage"),
    )),
    Family("relationship-marketing", "Preparing relationship marketing", _OPER, (
        Phase("prescribers", "Working with prescribers and other word-of-mouth relays"),
        Phase("business-networks", "Taking part in traditional networks",
              "business clubs…"),
        Phase("social-networks", "Taking part in online social networks",
              "LinkedIn, Facebook, Instagram…"),
    )),
    Family("customer-loyalty", "Preparing customer loyalty marketing", _OPER, (
        Phase("promotions", "Promotions for good customers and private sales"),
        Phase("loyalty-cards", "Loyalty cards"),
        Phase("referral-user-clubs", "Referral schemes and user clubs"),
        Phase("newsletters", "Newsletters"),
    )),
    Family("sales-organisation", "Organising the sales system", _OPER, (
        Phase("distribution-network",
              "Building a network of outlets or distributors, or a franchise"),
        Phase("sales-force-recruitment", "Recruiting the sales force",
              "employees, sales representatives, commercial agents…"),
        Phase("training", "Specific training for the network and the sales force"),
        Phase("sales-force-management",
              "Defining how the sales force is managed, its targets and its pay"),
    )),
    Family("logistics", "Organising logistics", _OPER, (
        Phase("stock", "Building up and managing stock"),
        Phase("order-taking", "Managing order taking"),
        Phase("delivery", "Delivery process"),
    )),
    Family("sales-tracking", "Computerising sales tracking", _OPER, (
        Phase("indicators", "Defining and managing tracking indicators"),
        Phase("corrective-actions", "Managing corrective actions"),
        Phase("record-keeping", "Creating record-keeping forms"),
        Phase("crm", "Setting up computerised sales management (CRM) tools"),
    )),
)
