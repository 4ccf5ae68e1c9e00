"""Command line: parse arguments, call the pipeline, map errors to exit status.

0 success, 1 content errors, 2 usage errors. Messages go to stderr, one line
each, and never carry a Python traceback for a user mistake.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

# the command line loads no pydantic plugin (observability hooks of other programs): scanning the
# installed packages for them is a tenth of `pacsite check`'s start-up
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
from datetime import date
from pathlib import Path

from pacsite import __version__
from pacsite.errors import WARNINGS_SHOWN, Diagnostics, PacsiteError, UsageError
from pacsite.load import fields
from pacsite.messages import msg, prefix, seconds
from pacsite.tools import fix


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(f"{self.prog}: {message}")


def _date(text: str) -> date:
    try:
        return fields.parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _web_url(text: str) -> str:
    from pacsite.load.settings import web_url  # lazy: YAML and the settings' rules, for --base-url alone

    try:
        return web_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def make_parser() -> argparse.ArgumentParser:
    """Declare the commands of SPEC §5."""
    parser = _Parser(prog="pacsite", description="Publish a plan d'action commerciale as a handbook site.")
    parser.add_argument("--version", action="version", version=f"pacsite {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("init", help="create a new plan from the template")
    p.add_argument("dir", nargs="?", default=".", type=Path)
    p.add_argument("--lang", choices=("fr", "en"), default="fr")

    p = sub.add_parser("build", help="build the site")
    p.add_argument("dir", nargs="?", default=".", type=Path)
    p.add_argument("-o", "--output", type=Path, help="output folder (default: public)")
    p.add_argument("--today", type=_date, help="judge the plan at this date (YYYY-MM-DD)")
    p.add_argument("--base-url", type=_web_url, help="absolute URL of the published site")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--cache", type=Path, metavar="DIR",
                   help="keep what this build makes for the next one in DIR (default: .pacsite-cache in the plan)")
    p.add_argument("--no-cache", action="store_true", help="build everything anew, and keep nothing")
    p.add_argument("--watch", action="store_true", help="rebuild on every change until Ctrl-C")
    p.add_argument("--poll", action="store_true", help="with --watch: poll for changes (network shares)")

    p = sub.add_parser("serve", help="build, serve on 127.0.0.1, rebuild and reload on every save")
    p.add_argument("dir", nargs="?", default=".", type=Path)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--open", action="store_true", help="open the site in a browser")
    p.add_argument("--poll", action="store_true", help="poll for changes (network shares, Docker, WSL)")
    p.add_argument("--today", type=_date, help="judge the plan at this date (YYYY-MM-DD)")

    p = sub.add_parser("check", help="validate the plan without writing")
    p.add_argument("dir", nargs="?", default=".", type=Path)
    p.add_argument("--format", choices=("text", "json", "github"), default="text")
    p.add_argument("--today", type=_date, help="judge the plan at this date (YYYY-MM-DD)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--fix", action="store_true",
                   help="show the fixes check is sure of (key typos, French dates, names to ids) as a diff, "
                        "then write them once confirmed")
    p.add_argument("--yes", action="store_true", help="with --fix: write without asking")

    p = sub.add_parser("import", help="write a plan folder from a spreadsheet kept as the template's table")
    p.add_argument("file", metavar="FILE", type=Path, help="the table: .xlsx (its first sheet) or .csv")
    p.add_argument("dir", nargs="?", default=Path("."), type=Path, help="the plan folder to write (default: .)")
    p.add_argument("--force", action="store_true", help="replace files that exist")

    p = sub.add_parser("diff", help="what a change does to the plan between two git revisions")
    p.add_argument("rev", metavar="REV", help="the revision before (a commit, branch, tag, HEAD~1…)")
    p.add_argument("rev2", metavar="REV2", nargs="?", help="the revision after (default: the working tree)")
    p.add_argument("-C", "--dir", dest="dir", default=Path("."), type=Path, help="the plan folder (default: .)")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    p.add_argument("--today", type=_date, help="judge both revisions at this date (YYYY-MM-DD)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a command; return the exit status.

    Messages are worded in the plan's language: the one ``pacsite.yaml``
    gives, known once the command has read it (French before that).
    """
    parser = make_parser()
    diagnostics = Diagnostics()
    command = None
    try:
        args = parser.parse_args(argv)
        command = args.command
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        root = args.dir.resolve()
        if args.command == "init":
            return _init(root, args.dir, args.lang)
        if args.command == "import":
            return _import(args.file, root, args.force)
        if not root.is_dir():
            raise UsageError(msg("no_such_folder", path=args.dir))
        if args.command == "build" and args.watch:
            from pacsite.serve.live import watch  # lazy: each command imports what it runs (watchdog, http)

            return watch(root, args.poll, args.today, args.output)
        if args.command == "build":
            from pacsite.load.processes import one_shot  # lazy: as above

            with one_shot():
                return _build(root, args, diagnostics)
        if args.command == "serve":
            from pacsite.serve.live import serve  # lazy: as above

            return serve(root, args.host, args.port, args.open, args.poll, args.today)
        if args.command == "diff":
            from pacsite.tools.importer import folder_language  # lazy: the importer brings Babel and the exports

            diagnostics.language = folder_language(root) or "fr"  # its git errors come before any plan is read
            return _diff(root, args)
        from pacsite.load.processes import one_shot  # lazy: as above

        with one_shot():
            return _check(root, args, diagnostics)
    except UsageError as exc:
        print(exc.text(diagnostics.language), file=sys.stderr)
        return 2
    except PacsiteError as exc:
        language = exc.diagnostics.language if exc.diagnostics is not None else diagnostics.language
        if exc.diagnostics is not None:
            print(exc.diagnostics.render("text"), file=sys.stderr)
            if command == "build":  # as check ends: how many (import's own message counts its rows)
                print(msg("check_summary", **_counts(exc.diagnostics)).text(language), file=sys.stderr)
        text = exc.text(language)
        print(text if text.startswith("pacsite") else prefix(language) + text, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(msg("interrupted").text(diagnostics.language), file=sys.stderr)
        return 130


def _counts(diagnostics: Diagnostics) -> dict[str, object]:
    return {"errors": msg("n_errors", n=len(diagnostics.errors)),
            "warnings": msg("n_warnings", n=len(diagnostics.warnings))}


def _init(root: Path, typed: Path, lang: str) -> int:
    """Write a new plan; refuse (2) a folder that holds one. Speaks the plan's language."""
    from pacsite.tools.init import PlanExists, init_plan  # lazy: the starter plans, for init alone

    try:
        written, skipped = init_plan(root, lang)
    except PlanExists as exc:
        found = exc.found.relative_to(root).as_posix()
        print(msg("init_refused", folder=root, found=found).text(lang), file=sys.stderr)
        return 2
    for path in skipped:
        # a .gitignore of their own that lets the built site into git: say what to add
        bare = path.name == ".gitignore" and path.is_file() and "public" not in path.read_text("utf-8", "replace")
        code = "init_kept_gitignore" if bare else "init_kept"
        print(msg(code, path=path).text(lang), file=sys.stderr)
    where = "" if typed == Path(".") else " " + shlex.quote(str(typed))
    print(msg("init_wrote", n=len(written), folder=root, next=f"pacsite serve{where}").text(lang), file=sys.stderr)
    return 0


def _build(root: Path, args: argparse.Namespace, diagnostics: Diagnostics) -> int:
    from pacsite.load.processes import parse_ahead  # lazy: forks the parsing workers before the rest is imported
    from pacsite.reuse import CACHE_DIR, Reuse

    folder = (args.cache or root / CACHE_DIR).absolute()
    reuse = Reuse() if args.no_cache else \
        Reuse.open(folder, root, lambda m: diagnostics.warning(str(folder), None, None, m))
    # the files parsed on every core while the rest is imported; with a warm cache, only the changed ones are
    ahead = None if reuse.warm else parse_ahead(root)
    from pacsite.build import build  # lazy: imported while the workers parse

    out = args.output.resolve() if args.output else None
    try:
        report = build(root, diagnostics, out, args.today, args.base_url, args.strict,
                       ahead.collect() if ahead else None, reuse=reuse)
    finally:
        reuse.close()
    if diagnostics.warnings:
        print(diagnostics.render("text", warning_limit=WARNINGS_SHOWN), file=sys.stderr)
    words = {"pages": msg("n_pages", n=report.pages), "files": msg("n_files", n=report.files),
             "seconds": seconds(report.seconds, diagnostics.language), "out": report.output}
    if report.warnings:
        line = msg("built_warnings", **words, warnings=msg("n_warnings", n=report.warnings))
    else:
        line = msg("built", **words)
    print(diagnostics.say(line), file=sys.stderr)
    return 0


def _import(source: Path, root: Path, force: bool) -> int:
    from pacsite.tools.importer import import_plan  # lazy: for import alone (openpyxl, Babel)

    done = import_plan(source, root, force)
    if done.warnings:
        print(done.warnings, file=sys.stderr)
    for note in done.notes:
        print(prefix(done.language) + note, file=sys.stderr)
    written = msg("n_files_written", n=len(done.written))
    line = msg("import_done_removed", written=written, removed=len(done.removed), folder=root, source=source.name,
               next=f"pacsite serve {root}") if done.removed else \
        msg("import_done", written=written, folder=root, source=source.name, next=f"pacsite serve {root}")
    print(line.text(done.language), file=sys.stderr)
    return 0


def _diff(root: Path, args: argparse.Namespace) -> int:
    """Print what changed between two revisions; 1 when the newer one has content errors.

    The report is printed either way (its headline names the errors first);
    the status fails a pull-request check whose branch does not build. Errors
    only in the older revision (a branch that mends the plan) are reported
    and do not fail it.
    """
    from pacsite.tools import diff_report  # lazy: for diff alone (git, two loads, Babel)
    from pacsite.tools.diff import diff_revisions

    report = diff_revisions(root, args.rev, args.rev2, args.today)
    render = {"text": diff_report.render_text, "markdown": diff_report.render_markdown,
              "json": diff_report.render_json}[args.format]
    sys.stdout.write(render(report))
    return 1 if report.errors else 0


def _repository_prefix(root: Path) -> str:
    """The plan folder's path from the repository's root ('' at the root, or outside git: from here)."""
    from pacsite.load import revisions  # lazy: tarfile and git, for --format github alone

    try:
        return revisions.repository(root)[1]
    except UsageError:
        try:
            rel = root.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return ""
        return "" if rel == "." else rel + "/"


def _check(root: Path, args: argparse.Namespace, diagnostics: Diagnostics) -> int:
    from pacsite.load.processes import parse_ahead  # lazy: forks the parsing workers before the rest is imported

    ahead = parse_ahead(root)  # the files parsed on every core while the rest is imported
    from pacsite.build import link_errors, plan_site  # lazy: imported while the workers parse

    site = plan_site(root, diagnostics, args.today, history=False, charts=False,
                     files=ahead.collect() if ahead else None)
    link_errors(site.pages, site.md, diagnostics)  # the phases' texts, read for their links on every core
    output = diagnostics.render(args.format, prefix=_repository_prefix(root) if args.format == "github" else "")
    if output:
        print(output, file=sys.stdout if args.format != "text" else sys.stderr)
    failed = diagnostics.has_errors() or (args.strict and bool(diagnostics.warnings))
    if args.format == "text":
        print(diagnostics.say(msg("check_summary", **_counts(diagnostics))), file=sys.stderr)
    if args.fix:
        return _fix(root, diagnostics, args.yes, 1 if failed else 0)
    return 1 if failed else 0


def _fix(root: Path, diagnostics: Diagnostics, yes: bool, status: int) -> int:
    """Show the sure fixes as a diff; write them when confirmed (a terminal's answer, or --yes)."""
    changes = fix.plan_changes(root, diagnostics.fixes)
    if not changes:
        print(diagnostics.say(msg("fix_none")), file=sys.stderr)
        return status
    sys.stdout.write(fix.unified(changes))
    count = sum(applied for _, _, applied in changes.values())
    if not yes:
        if not sys.stdin.isatty():
            print(diagnostics.say(msg("fix_not_written", n=count)), file=sys.stderr)
            return status
        answer = input(diagnostics.say(msg("fix_ask", n=count)) + " ").strip().lower()
        if answer not in ("o", "oui", "y", "yes"):
            print(diagnostics.say(msg("fix_not_written", n=count)), file=sys.stderr)
            return status
    fix.write(root, changes)
    print(diagnostics.say(msg("fix_written", n=count, files=msg("n_files", n=len(changes)))), file=sys.stderr)
    return 0 if status == 0 else 1
