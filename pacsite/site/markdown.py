"""Markdown to HTML, safe by default, with links between content files.

markdown-it-py's ``js-default`` preset escapes raw HTML (unless the plan sets
``markdown.html: true``) and refuses ``javascript:`` links. Heading ids are
prefixed (``sec-``) so that no id can clobber a DOM global. A relative link
to another ``.md`` file becomes a link to that file's page, so links work on
the git host and on the site alike; a link to a missing file is an error.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from pacsite.i18n import french_spaces
from pacsite.messages import Msg, msg
from pacsite.site.urls import relative, slugify

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


@dataclass(frozen=True)
class Heading:
    """A heading, for the in-page table of contents."""

    level: int
    text: str
    anchor: str


@dataclass
class LinkContext:
    """Where a Markdown text comes from and where it is rendered."""

    source: str  # plan-relative path of the file, e.g. content/actions/01-x/02-y.md
    page: str  # output path of the page it is rendered on
    line: int  # file line of the text's first line
    pages: dict[str, str]  # content-relative .md path -> output path
    assets: dict[str, str]  # plan-relative file path -> output path (static, content files)
    errors: list[tuple[str, int, Msg]] = field(default_factory=list)


def _french_text(state: Any) -> None:
    for block in state.tokens:
        if block.type == "inline" and block.children:
            for tok in block.children:
                if tok.type == "text":
                    tok.content = french_spaces(tok.content)


def make_markdown(allow_html: bool, french: bool = False) -> MarkdownIt:
    """Build the one parser of a build (never per page)."""
    md = MarkdownIt("commonmark" if allow_html else "js-default", {"typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(tasklists_plugin, label=True)  # the item's text labels its checkbox
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=lambda s: "sec-" + slugify(s))
    md.core.ruler.push("pacsite_links", _rewrite_links)
    if french:
        md.core.ruler.push("pacsite_french", _french_text)
    return md


def render(md: MarkdownIt, text: str, ctx: LinkContext) -> tuple[str, list[Heading]]:
    """Render Markdown; return HTML and its h2-h3 headings. Link errors go to ctx."""
    if not text.strip():
        return "", []
    env: dict[str, Any] = {"pacsite": ctx}
    tokens = md.parse(text, env)
    headings = [
        Heading(int(tok.tag[1]), tokens[i + 1].content, str(tok.attrs.get("id", "")))
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open" and tok.tag in ("h2", "h3")
    ]
    return md.renderer.render(tokens, md.options, env), headings


def _rewrite_links(state: Any) -> None:
    ctx: LinkContext | None = state.env.get("pacsite")
    if ctx is None:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        line = ctx.line + (block.map[0] if block.map else 0)
        for tok in block.children:
            if tok.type == "link_open":
                _rewrite(tok, "href", ctx, line)
            elif tok.type == "image":
                _rewrite(tok, "src", ctx, line)


def _rewrite(tok: Token, attr: str, ctx: LinkContext, line: int) -> None:
    href = str(tok.attrs.get(attr, ""))
    if not href or href.startswith("#") or _SCHEME.match(href):
        return
    path, _, anchor = href.partition("#")
    path = path.split("?")[0]
    if path.startswith("/"):
        target = posixpath.normpath(path.lstrip("/"))
        candidates = [target, f"content/{target}", f"static/{target}"]
    else:
        base = posixpath.dirname(ctx.source)
        candidates = [posixpath.normpath(posixpath.join(base, path))]
    for candidate in candidates:
        page = ctx.pages.get(candidate) or ctx.pages.get(candidate.rstrip("/") + "/_index.md")
        if page:
            tok.attrs[attr] = relative(ctx.page, page + (f"#{anchor}" if anchor else ""))
            return
        asset = ctx.assets.get(candidate)
        if asset:
            tok.attrs[attr] = relative(ctx.page, asset)
            return
    ctx.errors.append((ctx.source, line, msg("missing_link", href=href)))
