"""Addresses on a git host: a branch name git accepts, and the editor's address of a plan's files.

``repository.url`` and ``repository.branch`` of pacsite.yaml are read with
these (settings.py); the template appends each page's source path to the
address ``edit_link`` gives.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote
from urllib.parse import urlsplit, urlunsplit

from pacsite.load import fields
from pacsite.messages import Problem, msg

# what git refuses in a branch name (git check-ref-format): the derived edit link never carries one
_NOT_IN_BRANCH = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//|/\.|\.lock(/|$)|^[-/.]|[/.]$|^@$")


def branch_name(raw: Any) -> str:
    """Accept a name git accepts for a branch (``main``, ``plan/2027``); no ``..``, space, ``~^:?*[\\``."""
    if not isinstance(raw, str):
        raise Problem(msg("expected_text", found=fields.describe(raw)))
    name = raw
    if not name or _NOT_IN_BRANCH.search(name) or any(unicodedata.category(c).startswith("C") for c in name):
        raise Problem(msg("expected_branch", found=fields.describe(visible(name))))
    return name


def edit_link(url: str, branch: str, folder: str = "") -> str | None:
    """The git host's editor address that a file's path (from the plan folder) is appended to, or None.

    GitHub: ``{url}/edit/{branch}/{folder}``; GitLab (gitlab.com, or a host
    named gitlab…): ``{url}/-/edit/{branch}/{folder}``. ``url`` must be the
    repository's own address (``https://github.com/acme/plan``, ``.git`` or
    not); ``folder`` is the plan folder's path in the repository (``''`` or
    ``plans/2027/``). The branch is URL-quoted (``/`` kept: ``plan/2027``).
    Another host, or an address inside a repository (``…/tree/main``), gives None.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = [p for p in parts.path.split("/") if p]
    if path and path[-1].endswith(".git"):
        path[-1] = path[-1][:-4]
    if parts.query or parts.fragment or len(path) < 2 or not all(path):
        return None
    if host in ("github.com", "www.github.com") and len(path) == 2:
        editor = "edit"
    elif (host == "gitlab.com" or "gitlab" in host) and "-" not in path:
        editor = "-/edit"
    else:
        return None
    port = f":{parts.port}" if parts.port else ""  # never the user:password@ some addresses carry
    repo = "/".join(url_quote(p, safe="") for p in path)
    return f"{parts.scheme.lower()}://{host}{port}/{repo}/{editor}/{url_quote(branch, safe='/')}/{folder}"


def web_address(url: str) -> str:
    """The repository's address as a browser opens it, for links to its commits.

    Without the ``user:password@`` an address may carry (it would show in
    every page), a trailing ``.git`` or ``/``: ``https://tok@github.com/a/p.git``
    is ``https://github.com/a/p``.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    port = f":{parts.port}" if parts.port else ""
    path = parts.path.rstrip("/")
    path = path[:-4] if path.endswith(".git") else path
    return urlunsplit((parts.scheme.lower(), host + port, path, parts.query, parts.fragment))


def plan_folder(root: Path) -> str:
    """The plan folder's path in its git checkout (``''``, ``plans/2027/``), URL-quoted; ``''`` outside one.

    Found by the nearest ``.git`` (a folder, or the file of a worktree or a
    submodule) above the plan: no git process. Outside a checkout (an
    exported archive), the plan is taken to be the repository's root.
    """
    here = root.resolve()
    for top in (here, *here.parents):
        if (top / ".git").exists():
            inside = here.relative_to(top).parts
            return "".join(url_quote(p, safe="") + "/" for p in inside)
    return ""


def visible(text: str) -> str:
    """Show line breaks, tabs and other invisible characters as escapes (``\\n``) in a message."""
    return "".join(c if c == " " or not (c.isspace() or unicodedata.category(c).startswith("C"))
                   else repr(c)[1:-1] for c in text)
