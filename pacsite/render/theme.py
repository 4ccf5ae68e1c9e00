"""The Jinja environment: project templates shadow the theme's; filters format figures.

Built once per build. Autoescape and ``StrictUndefined`` are on: a typo in a
template is an error, never an empty string.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from pacsite import __version__
from pacsite.errors import PacsiteError
from pacsite.format import Formatter
from pacsite.i18n import ICONS, OBJECTIVE_LABELS, STATUS_LABELS, french_spaces, translator
from pacsite.load.settings import Settings
from pacsite.messages import msg, quote

if TYPE_CHECKING:  # Jinja is imported when an environment is made: `pacsite check` never needs it
    from jinja2 import BytecodeCache, Environment


def theme_dir(name: str, root: Path) -> Path:
    """Find a theme: a path, a bundled theme in the checkout, or in the installed wheel."""
    candidate = root / name
    if "/" in name or candidate.is_dir() and (candidate / "templates").is_dir():
        if not candidate.resolve().is_relative_to(root.resolve()):  # its templates are read, its files published
            raise PacsiteError(msg("theme_outside", name=quote(name)))
        if not (candidate / "templates").is_dir():
            raise PacsiteError(msg("theme_no_templates", name=name))
        return candidate
    package = Path(__file__).resolve().parent.parent  # pacsite/, this module being pacsite/render/theme.py
    # in the wheel the themes sit inside the package; in a checkout, beside it
    for bundled in (package / "themes" / name, package.parent / "themes" / name):
        if (bundled / "templates").is_dir():
            return bundled
    raise PacsiteError(msg("theme_unknown", name=name))


SEEN_MAX = 100_000  # texts a French finalize remembers (~10 MB at most) before it starts again


def french_finalize() -> Callable[[Any], Any]:
    """Apply French spacing to every plain text printed by a template (not to HTML).

    A page prints ~270 values, most of them printed before on another page
    (labels, amounts, dates, titles): each text is spaced once and looked up
    after (80 ns instead of 470), in a memory of this environment's own.
    """
    seen: dict[str, str] = {}

    def finalize(value: Any) -> Any:
        if type(value) is str:
            spaced = seen.get(value)
            if spaced is None:
                if len(seen) >= SEEN_MAX:
                    seen.clear()
                spaced = seen[value] = french_spaces(value)
            return spaced
        if isinstance(value, str) and not isinstance(value, Markup):
            return french_spaces(value)
        return value

    return finalize


# the environment's options that change the compiled code, declared once: the cache's key is made from them
OPTIONS: dict[str, Any] = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True,
                           "autoescape": ("default", True, "default_for_string", True), "undefined": "StrictUndefined"}


def cache_key(variant: str, options: dict[str, Any]) -> str:
    """Name a cache folder by everything that changes compiled code.

    Jinja's, Python's and pacsite's versions, the ``finalize`` variant and
    every environment option: changing ``trim_blocks`` once served pages
    compiled with the old one.
    """
    import jinja2  # lazy: `pacsite check` imports this module and never Jinja

    described = repr((jinja2.__version__, __version__, sorted(options.items())))
    digest = hashlib.sha256(described.encode("utf-8")).hexdigest()[:12]
    return f"jinja-{sys.version_info[0]}.{sys.version_info[1]}-{variant}-{digest}"


def bytecode_cache(variant: str, options: dict[str, Any] = OPTIONS) -> BytecodeCache | None:
    """Jinja's compiled templates, kept in the user's cache folder between builds.

    Compiling the theme costs ~0.2 s, as much as rendering 50 pages. A
    template's entry is keyed by its name and path and checked against its
    source, so an edited template is compiled again. The folder is the
    user's own (0700); no cache when it cannot be made. ``variant`` names the
    ``finalize`` function (or none) and ``options`` the others: each set has
    its own folder, or a French build's code would be run by an English
    environment.
    """
    from jinja2 import FileSystemBytecodeCache  # lazy: as above

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "pacsite" / cache_key(variant, options)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


def make_environment(settings: Settings, reload: bool = True) -> Environment:
    """Build the Jinja environment of a build.

    ``reload``: each template is looked at on disk whenever a page asks for
    it, and compiled again if it changed (the live preview keeps its
    environment while the user edits templates). A build's templates do not
    change while it runs: without it, 1 500 pages spare ~4 600 ``stat``.
    """
    # lazy: as above
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, select_autoescape

    from pacsite.render.environment import ThemeEnvironment

    theme = theme_dir(settings.theme, settings.root)
    theme_loader = FileSystemLoader(str(theme / "templates"))
    loaders: list[Any] = []
    project_templates = settings.root / "templates"
    if project_templates.is_dir():
        loaders.append(FileSystemLoader(str(project_templates)))
    loaders += [PrefixLoader({"theme": theme_loader}), theme_loader]
    env = ThemeEnvironment(
        loader=ChoiceLoader(loaders),
        finalize=french_finalize() if settings.language == "fr" else None,
        autoescape=select_autoescape(default=OPTIONS["autoescape"][1], default_for_string=OPTIONS["autoescape"][3]),
        undefined=StrictUndefined,
        trim_blocks=OPTIONS["trim_blocks"],
        lstrip_blocks=OPTIONS["lstrip_blocks"],
        keep_trailing_newline=OPTIONS["keep_trailing_newline"],
        bytecode_cache=bytecode_cache("finalize" if settings.language == "fr" else "plain"),
        auto_reload=reload,
    )
    fmt = Formatter(settings)
    statuses = STATUS_LABELS[settings.language]
    objective_statuses = OBJECTIVE_LABELS[settings.language]
    env.filters.update(
        money=fmt.money, money_signed=fmt.money_signed, money_round=fmt.money_round,
        pct=fmt.pct, number=fmt.number, date=fmt.date, date_short=fmt.date_short,
        month=fmt.month, css_pct=fmt.css_pct, gap=fmt.gap, schedule=fmt.schedule, value_unit=fmt.value_unit,
        status_label=lambda s: statuses.get(s, s),
        objective_label=lambda s: objective_statuses.get(s, s),
        icon=lambda s: ICONS.get(s, ""),
        css_string=css_string,
    )
    env.globals.update(t=translator(settings.language), lang=settings.language)
    return env


_CSS_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?()-_'/+")


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string (a print margin's content): every character but letters, digits and
    plain punctuation as a six-digit escape and the space that ends it, so that no title can end the string
    or the ``<style>``."""
    return Markup('"' + "".join(c if c in _CSS_PLAIN else f"\\{ord(c):06x} " for c in str(text)) + '"')
