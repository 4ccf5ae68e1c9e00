"""The files ``pacsite init`` gives the plan's own git repository: ``.gitignore`` and ``README.md``.

A plan lives in git and is edited by people who have never read pacsite's
documentation: the README says, in the plan's language, how to edit a
phase, preview, check and publish it, and how CI checks a pull request. The
``.gitignore`` keeps what pacsite writes beside the plan (the built site, its
lock, an interrupted build's folders) out of the commits. The CI snippet is
the one of pacsite's own README (a test keeps them the same).
"""

from __future__ import annotations

__all__ = ["repository_files"]


def repository_files(lang: str) -> list[tuple[str, str]]:
    """Return the repository's files as (relative path, text) pairs, in ``lang`` (``fr`` or ``en``)."""
    if lang == "fr":
        return [(".gitignore", _GITIGNORE_FR), ("README.md", _README_FR + _CI)]
    return [(".gitignore", _GITIGNORE_EN), ("README.md", _README_EN + _CI)]


# output.py: the site in public/, its lock and staging folders beside it (.public.lock,
# .public.tmp-*, .public.old-*); importer.py: .pacsite-import-*/; reuse.py: .pacsite-cache/. Compiled templates and
# git history go to ~/.cache/pacsite, outside the plan.
_GITIGNORE_FR = """\
# Ce que pacsite écrit à côté du plan : tout se refait à partir du plan, rien ne se versionne.
# Le site construit (pacsite build, pacsite serve). Si vous changez « output » dans
# pacsite.yaml, changez aussi ce nom et ceux de dessous.
/public/
# Le verrou d'une construction en cours, et les dossiers d'une construction interrompue.
/.public.lock
/.public.tmp-*
/.public.old-*
# Le dossier de travail d'un « pacsite import » interrompu.
/.pacsite-import-*/
# Ce que la dernière construction a fait, pour que la suivante ne refasse que ce qui a changé.
/.pacsite-cache/
"""

_GITIGNORE_EN = """\
# What pacsite writes beside the plan: all of it is made again from the plan, none of it is committed.
# The built site (pacsite build, pacsite serve). If you change "output" in pacsite.yaml,
# change this name and the ones below too.
/public/
# The lock of a running build, and the folders of an interrupted one.
/.public.lock
/.public.tmp-*
/.public.old-*
# The working folder of an interrupted "pacsite import".
/.pacsite-import-*/
# What the last build made, so that the next one makes only what changed.
/.pacsite-cache/
"""

_README_FR = """\
# Plan d'action commerciale

Ce dépôt contient notre plan d'action commerciale, publié sous forme de site
par pacsite. Chaque fichier est un court en-tête YAML entre deux lignes `---`,
suivi de texte libre en Markdown. On le modifie comme n'importe quel document
dans git (sur GitHub ou GitLab : « Modifier », puis « Proposer les
modifications »), et le site est reconstruit à partir des fichiers.

```
pacsite.yaml                 réglages du site (tous facultatifs)
content/_index.md            l'en-tête du plan : société, vision à 5 ans, période
content/objectives/          un fichier par objectif stratégique
content/actions/NN-famille/  un dossier par famille d'actions (NN donne l'ordre)
  _index.md                  la famille : titre, phase du plan (stage)
  NN-phase.md                une phase (étape) de la famille
```

Pour installer pacsite sur votre poste : `pipx install pacsite`, ou
`pipx install` suivi du fichier `.whl` que fournit votre équipe. La commande
`pacsite` est alors disponible dans tous vos terminaux ; lancez-la depuis le
dossier de ce dépôt.

## Modifier une phase

Ouvrez le fichier de la phase dans `content/actions/…/` et remplissez les
colonnes du tableau dans son en-tête :

```markdown
---
title: L'étude de la concurrence directe et indirecte
owner: Claire Martin          # QUI : un nom, un identifiant de people.yaml, ou une liste
budget: 12500                 # BUDGET prévu, en euros ("12 500 €" convient aussi)
spent: 9800                   # dépensé à ce jour
start: 2027-02-01             # DATE DÉBUT (AAAA-MM-JJ)
end: 2027-03-31               # DATE FIN
status: done                  # planned, in_progress, done ou cancelled
finished: 2027-04-05          # date de fin réelle
objective: {text: Cartographier les concurrents, target: 25}   # OBJECTIF
result: {text: concurrents analysés, value: 23, date: 2027-04-05}   # RÉSULTAT OBTENU
analysis: Deux concurrents n'ont pas pu être joints.   # ANALYSE ÉCARTS
---
Texte libre en Markdown : ce qui est fait, comment, les livrables.
```

Une clé laissée vide ne compte pas. Les noms de colonnes en français
fonctionnent aussi, avec ou sans accents : `qui`, `debut`, `fin`, `statut`
(`prévu`, `en cours`, `terminé`, `annulé`), `objectif`, `resultat`,
`analyse`, `depense`, `fin_reelle`. Une phase qui n'a qu'une date de début
est un jalon.

## Prévisualiser : `pacsite serve`

```sh
pacsite serve
```

puis ouvrez <http://localhost:8000/>. Le site se reconstruit à chaque
enregistrement et le navigateur se recharge tout seul ; une erreur s'affiche
par-dessus la page, et la dernière version correcte reste servie.

## Vérifier : `pacsite check`

```sh
pacsite check
```

liste d'un coup toutes les erreurs et tous les avertissements du plan, chacun
sur une ligne avec le fichier, la ligne et la clé (par exemple `budjet` :
vouliez-vous dire `budget` ?). Le code de sortie vaut 1 s'il y a une erreur.

## Publier : `pacsite build`

```sh
pacsite build
```

construit le site dans le dossier `public/` (il n'est pas versionné : voir
`.gitignore`). Copiez ce dossier sur n'importe quel hébergement statique :
le serveur web de l'intranet, un partage de fichiers, GitHub Pages ou GitLab
Pages. Tous les liens sont relatifs : le site fonctionne aussi dans un
sous-dossier, ou ouvert directement depuis le disque (`public/index.html`).
Une construction qui trouve une erreur n'écrit rien et laisse le site
précédent intact.

## Relire une modification : l'intégration continue

`pacsite diff main` dit ce que votre branche change au plan (budget par
famille, dates déplacées, phases ajoutées ou retirées, statuts). Avec GitHub
Actions, enregistrez ceci dans `.github/workflows/plan.yml` : chaque
demande de fusion (pull request) reçoit les erreurs sur les lignes concernées, le site est
construit, et le résumé des changements est posté en commentaire.

"""

_README_EN = """\
# Commercial action plan

This repository holds our commercial action plan, published as a site by
pacsite. Each file is a short YAML header between two `---` lines, then free
text in Markdown. You edit it like any document in git (on GitHub or GitLab:
"Edit", then "Propose changes"), and the site is rebuilt from the files.

```
pacsite.yaml                 site settings (all optional)
content/_index.md            the plan's header: company, 5-year vision, period
content/objectives/          one file per strategic objective
content/actions/NN-family/   one folder per action family (NN gives the order)
  _index.md                  the family: title, stage of the plan
  NN-phase.md                one phase (step) of the family
```

To install pacsite on your computer: `pipx install pacsite`, or `pipx
install` followed by the `.whl` file your team provides. The `pacsite`
command then works in every terminal; run it from this repository's folder.

## Edit a phase

Open the phase's file in `content/actions/…/` and fill in the columns of the
table in its header:

```markdown
---
title: Study of direct and indirect competition
owner: Jane Smith             # WHO: a name, a people.yaml id, or a list
budget: 12500                 # planned BUDGET ("12,500 €" works too)
spent: 9800                   # spent so far
start: 2027-02-01             # START DATE (YYYY-MM-DD)
end: 2027-03-31               # END DATE
status: done                  # planned, in_progress, done or cancelled
finished: 2027-04-05          # actual end date
objective: {text: Map the competitors, target: 25}   # OBJECTIVE
result: {text: competitors analysed, value: 23, date: 2027-04-05}   # RESULT
analysis: Two competitors could not be reached.   # VARIANCE ANALYSIS
---
Free text in Markdown: what is done, how, the deliverables.
```

A key left empty does not count. A phase with only a start date is a
milestone.

## Preview: `pacsite serve`

```sh
pacsite serve
```

then open <http://localhost:8000/>. The site is rebuilt on every save and
the browser reloads by itself; an error shows over the page while the last
good version stays served.

## Check: `pacsite check`

```sh
pacsite check
```

lists every error and warning of the plan at once, each on one line with the
file, the line and the key (`budjet`: did you mean `budget`?). It exits with
status 1 when there is an error.

## Publish: `pacsite build`

```sh
pacsite build
```

builds the site into the `public/` folder (not committed: see `.gitignore`).
Copy that folder to any static host: the intranet's web server, a file
share, GitHub Pages or GitLab Pages. Every link is relative: the site also
works under a sub-path, or opened straight from disk (`public/index.html`).
A build that finds an error writes nothing and leaves the previous site
intact.

## Reviewing a change: continuous integration

`pacsite diff main` tells what your branch does to the plan (budget by
family, dates moved, phases added or removed, statuses). With GitHub Actions,
save this as `.github/workflows/plan.yml`: each pull request gets the errors
on the lines concerned, the site is built, and the summary of the change is
posted as a comment.

"""

# pacsite's own README, "Reviewing a change" (tests/test_scaffold.py checks they match)
_CI = """\
```yaml
name: plan
on: [push, pull_request]
jobs:
  plan:
    runs-on: ubuntu-latest
    permissions: { contents: read, pull-requests: write }
    steps:
      - uses: actions/checkout@v4
        with: { fetch-depth: 0 }          # diff reads the base branch from git
      - uses: actions/setup-python@v5
        with: { python-version: "3.12" }
      - run: pip install pacsite          # or your team's wheel
      - uses: actions/cache@v4            # warm builds: the pages the last build made
        with: { path: .pacsite-cache, key: "pacsite-${{ github.sha }}", restore-keys: pacsite- }
      - run: pacsite check --format github
      - run: pacsite build --strict
      - name: what the change does to the plan
        if: always() && github.event_name == 'pull_request'
        run: |
          status=0
          pacsite diff origin/${{ github.base_ref }} HEAD --format markdown > plan-diff.md || status=$?
          gh pr comment ${{ github.event.pull_request.number }} --body-file plan-diff.md
          exit $status                    # 1: the branch's plan does not build
        env: { GH_TOKEN: "${{ github.token }}" }
```
"""
