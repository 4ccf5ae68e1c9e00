"""``pacsite init``: write a new plan folder from the classic template.

The plan follows the French *plan d'action commerciale* template: a header
with the 5-year vision, three strategic objective stubs, then the template's
15 action families and their phases. Every value the user has to fill in is
present but empty (YAML null), so the files show what is expected and still
pass ``pacsite check --strict``. It also writes the plan's own repository files
(``.gitignore``, ``README.md``: ``pacsite.tools.repo_files``).

The starter plans are package data, one real plan folder per language
(``pacsite/starters/fr/``, ``pacsite/starters/en/``: ``pacsite.yaml`` and
``content/``), copied as they are: edit them as any plan, and check them
with ``pacsite check --strict pacsite/starters/fr``.

A folder that already holds a plan (``pacsite.yaml``, or any file in
``content/``) is refused whole: adding the template's 80-odd files beside someone's
plan would mix empty families into it. Any other folder is fine (a fresh
``git init``, a README), and an existing file is never overwritten.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from pacsite.load.settings import SETTINGS_FILE
from pacsite.load.sources import discover, ignored
from pacsite.tools.repo_files import repository_files

__all__ = [
    "LANGUAGES",
    "PlanExists",
    "existing_plan",
    "init_plan",
    "starter",
    "template_files",
]

LANGUAGES = ("fr", "en")


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
    code = _check_lang(lang)
    plan = sorted(_files(starter(code)), key=lambda f: (f[0] != SETTINGS_FILE, f[0]))  # the settings first
    return [*repository_files(code), *plan]


def starter(lang: str = "fr") -> Traversable:
    """Return the starter plan folder of a language (package data: a folder on disk, or inside a zip)."""
    return resources.files("pacsite").joinpath("starters", _check_lang(lang))


def _files(folder: Traversable, prefix: str = "") -> list[tuple[str, str]]:
    """Return the files under a folder as (relative POSIX path, text) pairs.

    Hidden and temporary names (an editor's backup, ``.DS_Store``) are left
    behind, as a build would ignore them.
    """
    files: list[tuple[str, str]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if ignored(entry.name):
            continue
        rel = prefix + entry.name
        if entry.is_dir():
            files += _files(entry, rel + "/")
        else:
            # text mode reads CRLF (a Windows checkout) as LF; init_plan writes LF
            files.append((rel, entry.read_text(encoding="utf-8")))
    return files


def _check_lang(lang: str) -> str:
    """Normalise a language code; reject anything we have no template for."""
    code = lang.strip().lower() if isinstance(lang, str) else lang
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    return code


