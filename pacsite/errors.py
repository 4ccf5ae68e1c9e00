"""Diagnostics with a place: every user mistake names its file, line and key.

A ``Diagnostics`` collector is passed explicitly through loading so that
``pacsite check`` can list every error of the plan at once (never global).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal

from pacsite.messages import Msg, Place, msg, printable, words

Severity = Literal["error", "warning"]
Text = str | Msg  # a message: put into words in the plan's language when shown
Key = str | Place | None

WARNINGS_SHOWN = 30  # warnings a build or the live preview prints; `pacsite check` prints them all


@dataclass(frozen=True)
class Fix:
    """Replace ``old`` by ``new`` on ``line`` of ``path``: a key (at the start of the line) or a value."""

    path: str
    line: int
    old: str
    new: str
    kind: str  # "key" or "value"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the plan, located as precisely as we know."""

    path: str
    line: int | None
    key: Key
    message: Text
    severity: Severity = "error"
    language: str = "fr"

    def text(self) -> str:
        """The message in words."""
        return words(self.message, self.language)

    def key_text(self) -> str | None:
        """The place in words (« budget, ligne 2, montant »), or None."""
        return words(self.key, self.language) if self.key is not None and self.key != "" else None

    def _sep(self) -> str:
        return " : " if self.language == "fr" else ": "  # French puts a space before the colon

    def keyed_text(self) -> str:
        """``key: message`` (``clé : message``), or the message alone."""
        key = self.key_text()
        return (key + self._sep() if key else "") + self.text()

    def format_text(self) -> str:
        """Return the one-line form: ``path:line: error: key: message`` (``erreur : clé : message``).

        A file name or a key may hold a line break (``02-a\\r\\nb.md``): shown
        escaped, so that one diagnostic stays one line of a terminal or a log.
        """
        where = printable(self.path) + (f":{self.line}" if self.line else "")
        key = self.key_text()
        said = (printable(key) + self._sep() if key else "") + self.text()
        return f"{where}: {msg(self.severity).text(self.language)}{self._sep()}{said}"

    def format_github(self, prefix: str = "") -> str:
        """Return a GitHub Actions workflow annotation.

        ``prefix``: the plan folder's path in the repository ('' or 'plan/'):
        GitHub places an annotation by its path from the repository's root.
        Values are escaped as the Actions toolkit does (``%``, line breaks,
        and ``:`` ``,`` in properties), so a file name cannot end the command.
        """
        kind = "error" if self.severity == "error" else "warning"
        path = _escape_property(prefix + self.path)
        line = f",line={self.line}" if self.line else ""
        text = self.keyed_text().replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} file={path}{line},title=pacsite::{text}"

    def as_dict(self) -> dict[str, object]:
        """Return the JSON form used by ``check --format json``."""
        return {
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "key": self.key_text(),
            "code": self.message.code if isinstance(self.message, Msg) else None,
            "message": self.text(),
        }


@dataclass
class Diagnostics:
    """Collect errors and warnings; nothing is raised until the caller decides."""

    items: list[Diagnostic] = field(default_factory=list)
    language: str = "fr"  # the plan's: set once pacsite.yaml is read; messages are worded when shown
    fixes: list[Fix] = field(default_factory=list)  # what `check --fix` may rewrite, found on the way

    def error(self, path: str, line: int | None, key: Key, message: Text) -> None:
        """Record an error."""
        self.items.append(Diagnostic(path, line, key, message, "error"))

    def warning(self, path: str, line: int | None, key: Key, message: Text) -> None:
        """Record a warning."""
        self.items.append(Diagnostic(path, line, key, message, "warning"))

    def _sorted(self, severity: Severity) -> list[Diagnostic]:
        # by file, then line; a file's first-reported problem first on the same line (the cause)
        chosen = [(d.path, d.line or 0, n, d) for n, d in enumerate(self.items) if d.severity == severity]
        chosen.sort(key=lambda t: t[:3])
        return [d if d.language == self.language else _worded(d, self.language) for *_, d in chosen]

    @property
    def errors(self) -> list[Diagnostic]:
        """Return the errors, in file and line order, worded in the plan's language."""
        return self._sorted("error")

    @property
    def warnings(self) -> list[Diagnostic]:
        """Return the warnings, in file and line order, worded in the plan's language."""
        return self._sorted("warning")

    def say(self, message: Text) -> str:
        """Put a message into the plan's language."""
        return words(message, self.language)

    def has_errors(self) -> bool:
        """Tell whether any error was recorded."""
        return any(d.severity == "error" for d in self.items)

    def render(self, fmt: str = "text", warning_limit: int | None = None, prefix: str = "") -> str:
        """Render errors then warnings in ``text``, ``json`` or ``github`` form.

        ``warning_limit`` (text only) shows that many warnings and counts the
        rest: a build of a large plan should not scroll a thousand of them
        past the line that says whether it worked. Errors are always all shown.
        """
        warnings = self.warnings
        if fmt == "text" and warning_limit is not None and len(warnings) > warning_limit:
            hidden = len(warnings) - warning_limit
            lines = [d.format_text() for d in self.errors + warnings[:warning_limit]]
            return "\n".join([*lines, self.say(msg("more_warnings", n=hidden))])
        ordered = self.errors + warnings
        if fmt == "json":
            return json.dumps([d.as_dict() for d in ordered], ensure_ascii=False, indent=2)
        if fmt == "github":
            return "\n".join(d.format_github(prefix) for d in ordered)
        return "\n".join(d.format_text() for d in ordered)


def _worded(d: Diagnostic, language: str) -> Diagnostic:
    return Diagnostic(d.path, d.line, d.key, d.message, d.severity, language)


def _escape_property(value: str) -> str:
    return (value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


class PacsiteError(Exception):
    """A user mistake that stops the command (exit status 1)."""

    def __init__(self, message: Text, diagnostics: Diagnostics | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.diagnostics = diagnostics

    def text(self, language: str) -> str:
        """The message in ``language``."""
        return words(self.message, language)


class UsageError(PacsiteError):
    """A command line mistake (exit status 2)."""
