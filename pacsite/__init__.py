"""pacsite: a plan d'action commerciale, kept in Markdown, published as a handbook."""

from __future__ import annotations

__version__ = "0.1.0"
