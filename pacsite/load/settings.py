"""pacsite.yaml -> frozen Settings. Every option is declared once, with its default.

A setting is one field of ``Settings``: its type, its default, and (through
``option``) its key in pacsite.yaml, the function that reads it and a line
saying what it does, in French and English. The keys allowed, the reading
and the defaults all come from those fields, and so does the README's table
(``python -m pacsite.load.settings --readme`` writes it; a test compares).

Unknown keys are errors (a typo in a setting must not be silently ignored),
each reported at its line with the nearest known key.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pacsite.errors import Diagnostics
from pacsite.load import fields
from pacsite.load.frontmatter import SourceError, decode, parse_yaml
from pacsite.load.git_host import branch_name, edit_link, plan_folder, visible
from pacsite.load.sources import link_problem
from pacsite.messages import Msg, Problem, msg, quote

SETTINGS_FILE = "pacsite.yaml"
LOCALES = {"fr": "fr_FR", "en": "en_GB"}
DEFAULT_STAGES = {
    "fr": (
        ("strategic", "Phase stratégique"),
        ("preparatory", "Phase préparatoire"),
        ("operational", "Phase opérationnelle"),
    ),
    "en": (
        ("strategic", "Strategic phase"),
        ("preparatory", "Preparatory phase"),
        ("operational", "Operational phase"),
    ),
}
STAGE_ALIASES = {
    "strategique": "strategic", "phase_strategique": "strategic",
    "preparatoire": "preparatory", "phase_preparatoire": "preparatory",
    "operationnel": "operational", "operationnelle": "operational",
    "phase_operationnelle": "operational",
}


@dataclass(frozen=True)
class Stage:
    """One stage of the plan (strategic, preparatory, operational by default)."""

    id: str
    title: str


class Partial(Problem):
    """Some entries of a list setting cannot be read: each one's message, and what the others give."""

    def __init__(self, value: Any, problems: list[tuple[int, Msg]]) -> None:
        super().__init__(problems[0][1])
        self.value = value
        self.problems = problems


# -- readers: raw YAML value (text, mapping, list) -> the setting's value, or Problem ------------------

def text(raw: Any) -> str:
    """Accept text as written."""
    if not isinstance(raw, str):
        raise Problem(msg("expected_text", found=fields.describe(raw)))
    return raw


def web_url(raw: Any) -> str:
    """Accept an absolute http(s) address, whole: URL settings become links on every page and lines of plan.ics.

    A pull request can set ``repository.edit_url: "javascript:alert(1)//"``
    (a link that runs script on every page) or put a line break into
    ``base_url`` (a property of its own in plan.ics): neither gets past here.
    """
    if not isinstance(raw, str):
        raise Problem(msg("expected_text", found=fields.describe(raw)))
    if any(c.isspace() or unicodedata.category(c).startswith("C") for c in raw):
        raise Problem(msg("url_control", found=fields.describe(visible(raw))))
    try:
        parts = urlsplit(raw)
    except ValueError:  # "http://[::1": a bracket never closed
        parts = urlsplit("")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in raw for c in '"<>\\^`{|}'):
        raise Problem(msg("url_not_web", found=fields.describe(raw)))
    return raw


def folder_url(raw: Any) -> str:
    """Accept a web address that paths are appended to: it ends with ``/``."""
    url = web_url(raw)
    return url if url.endswith("/") else url + "/"


def _language(raw: Any) -> str:
    if not isinstance(raw, str) or raw not in LOCALES:  # [fr] is no language (and no dict key)
        raise Problem(msg("expected_language", found=fields.describe(raw)))
    return str(raw)


def _currency(raw: Any) -> str:
    if not isinstance(raw, str) or len(raw) != 3 or not raw.isalpha():
        raise Problem(msg("expected_currency", found=fields.describe(raw)))
    return raw.upper()


def _locale(raw: Any) -> str:
    """A locale Babel knows (``fr_CH``): checked here, so that no page fails to format its first amount."""
    from babel import Locale, UnknownLocaleError

    if not isinstance(raw, str):
        raise Problem(msg("expected_text", found=fields.describe(raw)))
    try:
        return str(Locale.parse(raw.strip()))
    except (UnknownLocaleError, ValueError, TypeError):
        raise Problem(msg("unknown_locale", found=fields.describe(raw))) from None


def _ratio(raw: Any) -> Decimal:
    value = fields.parse_number(raw)
    if isinstance(raw, str) and raw.strip().endswith("%"):
        value /= 100
    if not 0 <= value <= 1:
        raise Problem(msg("expected_ratio", found=fields.describe(raw)))
    return value


def _stages(raw: Any) -> tuple[Stage, ...] | None:
    """Read ``[{id, title}]``; None (the defaults) when no entry can be read."""
    if not isinstance(raw, list):
        raise Problem(msg("expected_stages", found=fields.describe(raw)))
    stages: list[Stage] = []
    problems: list[tuple[int, Msg]] = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            problems.append((index, msg("stage_entry")))
            continue
        title = item["title"] if isinstance(item.get("title"), str) else item["id"]
        stages.append(Stage(item["id"], title))
    if problems:
        raise Partial(tuple(stages) or None, problems)
    return tuple(stages) or None


# -- the declaration -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    """How a field of ``Settings`` is written in pacsite.yaml and explained to its reader."""

    key: tuple[str, ...]  # where it sits: ("repository", "url") is url under repository
    read: Callable[[Any], Any]  # the YAML value (never None) -> the value, or raises Problem
    about: tuple[str, str]  # what it does, in one line: (French, English)
    shown: tuple[str, str] | None = None  # the default in words, when the field's own is not what users get
    by_language: Callable[[str], Any] | None = None  # the default for a plan in this language


def option(default: Any, key: str, read: Callable[[Any], Any], fr: str, en: str, *,
           shown: tuple[str, str] | None = None, by_language: Callable[[str], Any] | None = None,
           factory: Callable[[], Any] | None = None) -> Any:
    """Declare a setting: a ``Settings`` field whose default is ``default`` and key ``key`` (``a.b`` nests)."""
    meta = {"option": Option(tuple(key.split(".")), read, (fr, en), shown, by_language)}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


def _default_stages(language: str) -> tuple[Stage, ...]:
    return tuple(Stage(i, t) for i, t in DEFAULT_STAGES[language])


@dataclass(frozen=True)
class Settings:
    """Site settings; every key has a default (SPEC §2, pacsite.yaml). Each field is declared once, here."""

    root: Path
    title: str | None = option(
        None, "title", text, "titre du site", "site title",
        shown=("le `title` de `content/_index.md`", "`title` of `content/_index.md`"))
    language: str = option(
        "fr", "language", _language,
        "`fr` ou `en` : textes de l'interface, format des nombres et des dates",
        "`fr` or `en`: interface strings, number and date formats")
    locale: str = option(
        "fr_FR", "locale", _locale,
        "locale Babel des montants, nombres et dates (`fr_CH`, `fr_BE`…)",
        "Babel locale for money, numbers, dates (`fr_CH`, `fr_BE`…)",
        shown=("selon la langue (`fr_FR`, `en_GB`)", "from `language` (`fr_FR`, `en_GB`)"),
        by_language=LOCALES.__getitem__)
    currency: str = option("EUR", "currency", _currency, "code de devise ISO 4217", "ISO 4217 currency code")
    base_url: str | None = option(
        None, "base_url", folder_url,
        "adresse absolue du site, seulement où il en faut une (plan du site, calendrier, liens canoniques) ; "
        "les liens internes restent relatifs",
        "absolute address of the site, used only where one is required (sitemap, calendar, canonical links); "
        "links inside the site are always relative")
    output: str = option("public", "output", text, "dossier où le site est écrit", "output folder")
    theme: str = option("default", "theme", text, "un thème fourni ou un chemin", "a bundled theme name or a path")
    today: date | None = option(
        None, "today", fields.parse_date,
        "date à laquelle le plan est évalué (retards, avancement) ; `--today` la remplace",
        "the date the plan is judged at (late phases, progress); `--today` overrides it",
        shown=("la vraie date du jour", "the real date"))
    envelope: Decimal | None = option(
        None, "budget.envelope", fields.parse_money,
        "budget total disponible : le site compare le prévu à l'enveloppe",
        "total budget available; the site shows planned vs envelope")
    tolerance_warning: Decimal = option(
        Decimal("0.05"), "tolerance.warning", _ratio,
        "écart relatif toléré avant « à surveiller » (`0.05` ou `5 %`)",
        "relative shortfall tolerated before \"watch\" (`0.05` or `5 %`)")
    tolerance_critical: Decimal = option(
        Decimal("0.15"), "tolerance.critical", _ratio,
        "écart relatif au-delà duquel c'est « hors tolérance »",
        "relative shortfall beyond which it is \"off track\"")
    stages: tuple[Stage, ...] = option(
        None, "stages", _stages, "les étapes du plan : une liste de `{id, title}`",
        "the plan's stages: a list of `{id, title}`",
        shown=("`strategic`, `preparatory`, `operational`", "`strategic`, `preparatory`, `operational`"),
        by_language=_default_stages, factory=lambda: _default_stages("fr"))
    repository_url: str | None = option(
        None, "repository.url", web_url,
        "adresse du dépôt git du plan : liens vers les commits de l'historique",
        "address of the plan's git repository: links to the commits of the history")
    repository_branch: str | None = option(
        None, "repository.branch", branch_name,
        "branche publiée : avec un `url` GitHub ou GitLab, donne les liens « Modifier cette page »",
        "branch the site is built from: with a GitHub or GitLab `url`, gives the \"Edit this page\" links")
    repository_edit_url: str | None = option(
        None, "repository.edit_url", folder_url,
        "début des liens « Modifier cette page » ; le chemin du fichier depuis le dossier du plan s'y ajoute",
        "start of the \"Edit this page\" links; the file's path from the plan folder is appended",
        shown=("tiré de `url` et `branch` (GitHub, GitLab)", "made from `url` and `branch` (GitHub, GitLab)"))
    markdown_html: bool = option(
        False, "markdown.html", fields.parse_bool,
        "accepter le HTML brut dans le Markdown (sinon il est montré échappé)",
        "allow raw HTML in Markdown (off: it is shown escaped)")
    search: bool = option(True, "search", fields.parse_bool, "construire l'index de recherche hors ligne",
                          "build the offline search index")

    @property
    def output_dir(self) -> Path:
        """Return the output folder (relative to the plan folder unless absolute)."""
        return (self.root / self.output).resolve()

    def stage_table(self) -> dict[str, str]:
        """Map normalised stage ids, titles and French aliases to stage ids."""
        table = {fields.normalize_key(s.id): s.id for s in self.stages}
        table.update({fields.normalize_key(s.title): s.id for s in self.stages})
        ids = {s.id for s in self.stages}
        table.update({k: v for k, v in STAGE_ALIASES.items() if v in ids})
        return table

    def with_overrides(self, **changes: Any) -> Settings:
        """Return a copy with command-line overrides applied (None means keep)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


OPTIONS: dict[str, Option] = {f.name: f.metadata["option"] for f in dataclass_fields(Settings)
                              if "option" in f.metadata}
DEFAULTS: dict[str, Any] = {f.name: f.default_factory() if callable(f.default_factory) else f.default
                            for f in dataclass_fields(Settings) if f.name in OPTIONS}
# the keys pacsite.yaml may hold: top-level ones, and those of each section (budget: {envelope})
_KEYS = {o.key[0] for o in OPTIONS.values()}
_NESTED = {o.key[0]: {p.key[1] for p in OPTIONS.values() if p.key[0] == o.key[0]}
           for o in OPTIONS.values() if len(o.key) == 2}


# -- reading pacsite.yaml ------------------------------------------------------------------------------

def load_settings(root: Path, diagnostics: Diagnostics) -> Settings:
    """Read ``pacsite.yaml`` if present; report every bad key into ``diagnostics``."""
    path = root / SETTINGS_FILE
    base = Settings(root=root)
    if not path.is_file():
        return base
    if path.is_symlink() and (problem := link_problem(path, root.resolve())) is not None:
        diagnostics.error(SETTINGS_FILE, None, None, problem)  # never read a runner's file as settings
        return base
    try:
        data, lines = parse_yaml(decode(path.read_bytes()), 1, "settings_not_mapping")
    except SourceError as exc:
        diagnostics.error(SETTINGS_FILE, exc.line, exc.key, exc.message)
        return base

    def bad(key_path: tuple[Any, ...], message: Msg) -> None:
        diagnostics.error(SETTINGS_FILE, lines.get(key_path), ".".join(map(str, key_path)), message)

    _unknown_keys(data, bad)
    values: dict[str, Any] = {}
    for name, opt in OPTIONS.items():
        section = data.get(opt.key[0]) if len(opt.key) == 2 else data
        raw = section.get(opt.key[-1]) if isinstance(section, dict) else None
        if raw is None:
            continue
        try:
            value = opt.read(raw)
        except Partial as exc:
            for index, message in exc.problems:
                bad((*opt.key, index), message)
            value = exc.value
        except Problem as exc:
            bad(opt.key, exc.msg)
            continue
        if value is not None:
            values[name] = value
    language = values.get("language", DEFAULTS["language"])
    diagnostics.language = language  # every message of this plan, recorded or to come, is worded in it
    for name, opt in OPTIONS.items():
        if opt.by_language is not None and name not in values:
            values[name] = opt.by_language(language)
    settings = replace(base, **values)
    if settings.tolerance_warning > settings.tolerance_critical:
        bad(("tolerance", "warning"), msg("tolerance_order"))
    if settings.repository_branch is not None and settings.repository_edit_url is None:
        settings = _with_edit_link(settings, settings.repository_branch, lambda message: diagnostics.warning(
            SETTINGS_FILE, lines.get(("repository", "branch")), "repository.branch", message))
    return settings


def _unknown_keys(data: dict[str, Any], bad: Callable[[tuple[Any, ...], Msg], None]) -> None:
    """Report each key no option declares, with the nearest one that is."""
    table = {k: k for k in _KEYS}
    for key, raw in data.items():
        if key not in _KEYS:
            guess = fields.nearest(key, table)
            bad((key,), msg("unknown_setting_suggest", guess=quote(guess)) if guess else msg("unknown_setting"))
            continue
        if key in _NESTED:
            if raw is None:
                continue
            if not isinstance(raw, dict):
                bad((key,), msg("expected_mapping", found=fields.describe(raw)))
                continue
            for sub in raw:
                if sub not in _NESTED[key]:
                    guess = fields.nearest(sub, {k: k for k in _NESTED[key]})
                    bad((key, sub), msg("unknown_setting_suggest", guess=quote(f"{key}.{guess}")) if guess
                        else msg("unknown_setting"))


# -- "Edit this page" from the repository's address and branch -----------------------------------------

def _with_edit_link(settings: Settings, branch: str, warn: Callable[[Msg], None]) -> Settings:
    """Make the edit links from ``repository.url`` and ``branch``; warn when the branch gives none.

    A warning, not an error: the site is right without the links, and
    ``--strict`` (CI) still stops a branch that does nothing.
    """
    if settings.repository_url is None:
        warn(msg("branch_without_url"))
        return settings
    link = edit_link(settings.repository_url, branch, plan_folder(settings.root))
    if link is None:
        warn(msg("branch_unknown_host", url=quote(settings.repository_url)))
        return settings
    return replace(settings, repository_edit_url=link)


# -- the README's table --------------------------------------------------------------------------------

HEADERS = {"fr": "| clé | par défaut | rôle |", "en": "| key | default | what it does |"}
NONE = {"fr": "aucun", "en": "none"}


def _shown(value: Any, language: str) -> str:
    if value is None:
        return NONE[language]
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    return f"`{value}`"


def table(language: str = "en") -> str:
    """The settings as a Markdown table (key, default, what it does), one row an option."""
    side = 0 if language == "fr" else 1
    rows = [HEADERS[language], "|---|---|---|"]
    for name, opt in OPTIONS.items():
        default = opt.shown[side] if opt.shown else _shown(DEFAULTS[name], language)
        rows.append(f"| `{'.'.join(opt.key)}` | {default} | {opt.about[side]} |")
    return "\n".join(rows) + "\n"


README_SECTION = "### pacsite.yaml\n"
REGENERATE = "python -m pacsite.load.settings --readme"


def readme_with_table(readme: str) -> str:
    """Return the README with the table of its ``### pacsite.yaml`` section made from the declaration."""
    start = readme.index(README_SECTION)
    end = readme.find("\n#", start + len(README_SECTION))
    section = readme[start:len(readme) if end < 0 else end]
    lines = section.splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("|"))
    last = next((i for i in range(first, len(lines)) if not lines[i].startswith("|")), len(lines))
    new = "".join(lines[:first]) + table("en") + "".join(lines[last:])
    return readme[:start] + new + readme[start + len(section):]


def main(argv: list[str]) -> int:
    """``python -m pacsite.load.settings [--fr]``: print the table; ``--readme``: write it into ./README.md."""
    if argv == ["--readme"]:
        readme = Path("README.md")
        readme.write_text(readme_with_table(readme.read_text("utf-8")), "utf-8")
        print(f"{readme}: the table of {README_SECTION.strip()} is made from pacsite/load/settings.py")
        return 0
    if argv in ([], ["--fr"]):
        sys.stdout.write(table("fr" if argv else "en"))
        return 0
    print("usage: python -m pacsite.load.settings [--fr | --readme]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
