"""pacsite.yaml -> frozen Settings. Every option is declared once, with its default.

Unknown keys are errors (a typo in a setting must not be silently ignored),
each reported at its line with the nearest known key.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pacsite import fields
from pacsite.errors import Diagnostics
from pacsite.frontmatter import SourceError, decode, parse_yaml
from pacsite.messages import Msg, Problem, msg, quote
from pacsite.sources import link_problem

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


@dataclass(frozen=True)
class Settings:
    """Site settings; every key has a default (SPEC §2, pacsite.yaml)."""

    root: Path
    title: str | None = None
    language: str = "fr"
    locale: str = "fr_FR"
    currency: str = "EUR"
    base_url: str | None = None
    output: str = "public"
    theme: str = "default"
    today: date | None = None
    envelope: Decimal | None = None
    tolerance_warning: Decimal = Decimal("0.05")
    tolerance_critical: Decimal = Decimal("0.15")
    stages: tuple[Stage, ...] = field(
        default_factory=lambda: tuple(Stage(i, t) for i, t in DEFAULT_STAGES["fr"])
    )
    repository_url: str | None = None
    repository_branch: str | None = None
    repository_edit_url: str | None = None
    markdown_html: bool = False
    search: bool = True

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


_KEYS = {
    "title", "language", "locale", "currency", "base_url", "output", "theme", "today",
    "budget", "tolerance", "stages", "repository", "markdown", "search",
}
_NESTED = {
    "budget": {"envelope"},
    "tolerance": {"warning", "critical"},
    "repository": {"url", "branch", "edit_url"},
    "markdown": {"html"},
}


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
    values: dict[str, Any] = {}

    def bad(key_path: tuple[str, ...], message: Msg) -> None:
        diagnostics.error(SETTINGS_FILE, lines.get(key_path), ".".join(map(str, key_path)), message)

    def parse(key_path: tuple[str, ...], parser: Any, target: str, raw: Any) -> None:
        if raw is None:
            return
        try:
            values[target] = parser(raw)
        except Problem as exc:
            bad(key_path, exc.msg)

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
    language = data.get("language") or "fr"
    if language not in LOCALES:
        bad(("language",), msg("expected_language", found=fields.describe(language)))
        language = "fr"
    values["language"] = language
    values["locale"] = LOCALES[language]
    diagnostics.language = language  # every message of this plan, recorded or to come, is worded in it

    def text(raw: Any) -> str:
        if not isinstance(raw, str):
            raise Problem(msg("expected_text", found=fields.describe(raw)))
        return raw

    for key in ("title", "output", "theme"):
        parse((key,), text, key, data.get(key))
    parse(("base_url",), web_url, "base_url", data.get("base_url"))
    parse(("locale",), _locale, "locale", data.get("locale"))
    parse(("currency",), _currency, "currency", data.get("currency"))
    parse(("today",), fields.parse_date, "today", data.get("today"))
    parse(("search",), fields.parse_bool, "search", data.get("search"))
    def section(name: str) -> dict[str, Any]:
        value = data.get(name)
        return value if isinstance(value, dict) else {}

    budget = section("budget")
    parse(("budget", "envelope"), fields.parse_money, "envelope", budget.get("envelope"))
    tolerance = section("tolerance")
    parse(("tolerance", "warning"), _ratio, "tolerance_warning", tolerance.get("warning"))
    parse(("tolerance", "critical"), _ratio, "tolerance_critical", tolerance.get("critical"))
    repo = section("repository")
    parse(("repository", "url"), web_url, "repository_url", repo.get("url"))
    parse(("repository", "branch"), text, "repository_branch", repo.get("branch"))
    parse(("repository", "edit_url"), web_url, "repository_edit_url", repo.get("edit_url"))
    markdown = section("markdown")
    parse(("markdown", "html"), fields.parse_bool, "markdown_html", markdown.get("html"))
    values["stages"] = tuple(Stage(i, t) for i, t in DEFAULT_STAGES[language])
    if data.get("stages") is not None:
        stages = _stages(data["stages"], lines, bad)
        if stages:
            values["stages"] = stages
    if "base_url" in values and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    settings = replace(base, **values)
    if settings.tolerance_warning > settings.tolerance_critical:
        bad(("tolerance", "warning"), msg("tolerance_order"))
    return settings


def web_url(raw: Any) -> str:
    """Accept an absolute http(s) address, whole: URL settings become links on every page and lines of plan.ics.

    A pull request can set ``repository.edit_url: "javascript:alert(1)//"``
    (a link that runs script on every page) or put a line break into
    ``base_url`` (a property of its own in plan.ics): neither gets past here.
    """
    if not isinstance(raw, str):
        raise Problem(msg("expected_text", found=fields.describe(raw)))
    if any(c.isspace() or unicodedata.category(c).startswith("C") for c in raw):
        raise Problem(msg("url_control", found=fields.describe(_visible(raw))))
    try:
        parts = urlsplit(raw)
    except ValueError:  # "http://[::1": a bracket never closed
        parts = urlsplit("")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in raw for c in '"<>\\^`{|}'):
        raise Problem(msg("url_not_web", found=fields.describe(raw)))
    return raw


def _visible(text: str) -> str:
    """Show line breaks, tabs and other invisible characters as escapes (``\\n``) in a message."""
    return "".join(c if c == " " or not (c.isspace() or unicodedata.category(c).startswith("C"))
                   else repr(c)[1:-1] for c in text)


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


def _stages(raw: Any, lines: dict[Any, int], bad: Any) -> tuple[Stage, ...]:
    if not isinstance(raw, list):
        bad(("stages",), msg("expected_stages", found=fields.describe(raw)))
        return ()
    stages: list[Stage] = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            bad(("stages", index), msg("stage_entry"))
            continue
        title = item["title"] if isinstance(item.get("title"), str) else item["id"]
        stages.append(Stage(item["id"], title))
    return tuple(stages)
