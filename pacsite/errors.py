"""Diagnostics with a place: every user mistake names its file, line and key.

A ``Diagnostics`` collector is passed explicitly through loading so that
``pacsite check`` can list every error of the plan at once (never global).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the plan, located as precisely as we know."""

    path: str
    line: int | None
    key: str | None
    message: str
    severity: Severity = "error"

    def format_text(self) -> str:
        """Return the one-line form: ``path:line: error: [key] message``."""
        where = self.path + (f":{self.line}" if self.line else "")
        key = f" {self.key}:" if self.key else ""
        return f"{where}: {self.severity}:{key} {self.message}"

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
        msg = (f"{self.key}: " if self.key else "") + self.message
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} file={path}{line},title=pacsite::{msg}"

    def as_dict(self) -> dict[str, object]:
        """Return the JSON form used by ``check --format json``."""
        return {
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "key": self.key,
            "message": self.message,
        }


@dataclass
class Diagnostics:
    """Collect errors and warnings; nothing is raised until the caller decides."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, line: int | None, key: str | None, message: str) -> None:
        """Record an error."""
        self.items.append(Diagnostic(path, line, key, message, "error"))

    def warning(self, path: str, line: int | None, key: str | None, message: str) -> None:
        """Record a warning."""
        self.items.append(Diagnostic(path, line, key, message, "warning"))

    @property
    def errors(self) -> list[Diagnostic]:
        """Return the errors, in file and line order."""
        return sorted(d for d in self.items if d.severity == "error")

    @property
    def warnings(self) -> list[Diagnostic]:
        """Return the warnings, in file and line order."""
        return sorted(d for d in self.items if d.severity == "warning")

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
            return "\n".join([*lines, f"… and {hidden} more warnings: pacsite check lists them all"])
        ordered = self.errors + warnings
        if fmt == "json":
            return json.dumps([d.as_dict() for d in ordered], ensure_ascii=False, indent=2)
        if fmt == "github":
            return "\n".join(d.format_github(prefix) for d in ordered)
        return "\n".join(d.format_text() for d in ordered)


def _escape_property(value: str) -> str:
    return (value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


class PacsiteError(Exception):
    """A user mistake that stops the command (exit status 1)."""

    def __init__(self, message: str, diagnostics: Diagnostics | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


class UsageError(PacsiteError):
    """A command line mistake (exit status 2)."""
