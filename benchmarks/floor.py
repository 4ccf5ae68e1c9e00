"""The plain Python floor of a build: what any Python static-site generator must do, and nothing more.

    python benchmarks/floor.py PLAN OUT [--jobs 2]

For each Markdown file under ``PLAN/content``: read it, split its YAML front
matter, load it with PyYAML's ``CSafeLoader``, render its body with
markdown-it-py, and render one Jinja template of a phase page's size class
(a header, a sidebar of the families, the fields, the text, a footer: a
few kilobytes, as ``pacsite build`` writes) into ``OUT/<folder>/<file>/index.html``.
The files are shared between ``--jobs`` forked processes, every n-th file
to each, as pacsite shares its pages. No validation, no figures, no
summary pages, no reuse: a build of the same plan cannot take less than
this in Python, which makes it the yardstick of ``bench_floor.py`` (issue
17: ``pacsite build`` ≤ 1.5× this floor).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml
from jinja2 import Environment
from markdown_it import MarkdownIt

TEMPLATE = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page.title }} · {{ site }}</title><link rel="stylesheet" href="{{ root }}assets/style.css"></head>
<body>
<header class="site-header"><a href="{{ root }}index.html">{{ site }}</a>
<nav><ul>{% for label in nav %}
<li><a href="{{ root }}{{ label|lower }}/index.html">{{ label }}</a></li>{% endfor %}</ul></nav>
</header>
<div class="layout">
<nav class="sidebar"><ol>{% for f in families %}
<li><a href="{{ root }}actions/{{ f }}/index.html">{{ f }}</a></li>{% endfor %}</ol></nav>
<main>
<nav class="crumbs"><a href="{{ root }}index.html">Accueil</a> › <a href="../index.html">{{ family }}</a></nav>
<h1>{{ page.title }}</h1>
<dl class="facts">
{% for key, value in page.items() if key != "title" %}<div><dt>{{ key }}</dt> <dd>{{ value }}</dd></div>
{% endfor %}</dl>
<div class="prose">{{ body }}</div>
</main>
</div>
<footer><p>Plan évalué au {{ page.get("end", "") }}</p></footer>
</body>
</html>
"""


def files_of(plan: Path) -> list[Path]:
    """Every Markdown file of the plan's content, in a stable order."""
    return sorted((plan / "content").rglob("*.md"))


def build_share(files: list[Path], plan: Path, out: Path, share: int, jobs: int) -> int:
    """Read, parse and render every ``jobs``-th file from ``share`` on; return how many pages were written."""
    env = Environment(autoescape=True)
    template = env.from_string(TEMPLATE)
    md = MarkdownIt("commonmark")
    families = sorted({f.parent.name for f in files if f.parent.parent.name == "actions"})
    nav = ["Accueil", "Plan", "Budget", "Calendrier", "Écarts", "Objectifs", "Équipe"]
    written = 0
    for path in files[share::jobs]:
        text = path.read_text(encoding="utf-8")
        front: object = {}
        body = text
        if text.startswith("---\n"):
            head, _, body = text[4:].partition("\n---\n")
            front = yaml.load(head, Loader=yaml.CSafeLoader) or {}
        rel = path.relative_to(plan / "content").with_suffix("")
        target = out / rel / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        page = {str(k): v for k, v in front.items()} if isinstance(front, dict) else {}
        page.setdefault("title", rel.name)
        target.write_text(template.render(page=page, body=md.render(body), site="Plan", nav=nav, families=families,
                                          family=rel.parent.name, root="../" * len(rel.parts)),
                          encoding="utf-8")
        written += 1
    return written


def build(plan: Path, out: Path, jobs: int) -> int:
    """The floor's build: ``jobs`` forked processes, each its share of the files."""
    files = files_of(plan)
    if jobs <= 1:
        return build_share(files, plan, out, 0, 1)
    children = []
    for share in range(jobs):
        pid = os.fork()
        if pid == 0:  # a worker: its share, then out without cleaning up (as a forked worker does)
            code = 0
            try:
                build_share(files, plan, out, share, jobs)
            except BaseException:  # noqa: BLE001 - reported through the exit code
                code = 1
            os._exit(code)
        children.append(pid)
    failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
    if failed:
        raise SystemExit(f"floor: {len(failed)} worker(s) failed")
    return len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("plan", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    count = build(args.plan, args.out, args.jobs)
    print(f"floor: {count} pages", file=sys.stderr)


if __name__ == "__main__":
    main()
