"""The files a build copies as they are: the theme's assets, ``static/``, the attachments in ``content/``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pacsite.load.sources import Folders, walk
from pacsite.messages import Msg


@dataclass(frozen=True)
class Assets:
    """The files copied as is (output path -> file), and the links refused on the way (shown path, why)."""

    copies: dict[str, Path]
    refused: tuple[tuple[str, Msg], ...] = ()


def collect_assets(root: Path, theme: Path, folders: Folders | None = None) -> Assets:
    """Map output paths to files copied as is: theme assets, static/, content attachments.

    Links whose target leaves the plan (``static/passwd.txt -> /etc/passwd``)
    are refused, in templates too: a template is read and its text published.
    Those of ``content/`` are reported by the loading, which lists them too.
    ``folders``: see ``sources.walk``.
    """
    copies: dict[str, Path] = {}
    refused: list[tuple[str, Msg]] = []
    root = root.resolve()
    in_plan = theme.resolve().is_relative_to(root)
    shown_theme = theme.resolve().relative_to(root).as_posix() if in_plan else str(theme)
    theme_bound = root if in_plan else theme
    for folder, prefix, bound, shown in ((theme / "static", "assets/", theme_bound, f"{shown_theme}/static"),
                                         (root / "static", "", root, "static"),
                                         (root / "content", "files/", root, None),
                                         (theme / "templates", None, theme_bound, f"{shown_theme}/templates"),
                                         (root / "templates", None, root, "templates")):
        for path, parts, problem in walk(folder, bound, folders):
            if problem is not None:
                if shown is not None:
                    refused.append(("/".join((shown, *parts)), problem))
                continue
            if prefix is None or (prefix == "files/" and path.suffix in (".md", ".yaml", ".yml")):
                continue
            copies[prefix + "/".join(parts)] = path
    return Assets(copies, tuple(refused))
