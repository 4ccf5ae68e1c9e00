"""The live preview: watch → debounce → build → tell browsers (``http``). Serves only whole builds.

Watchdog handlers only mark the site dirty; one loop builds (trailing-edge
debounce), so a burst of saves is one build, and a save during a build is
exactly one more. The first build is swapped in whole like ``pacsite
build``; later ones write only the files whose bytes changed, each replaced
atomically, so a request never sees a half-written page. A build with errors
writes nothing: the last good one stays served while browsers show the
errors. The pages an edit changes are written first and announced at once;
the downloads (plan.xlsx, plan.json…) follow.
"""

from __future__ import annotations

import sys
import threading
import time
import webbrowser
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pacsite.build import Report
from pacsite.errors import WARNINGS_SHOWN, Diagnostic, Diagnostics, PacsiteError, UsageError
from pacsite.i18n import translator
from pacsite.load.settings import load_settings
from pacsite.load.sources import ignored
from pacsite.messages import Msg, msg, seconds
from pacsite.output import search
from pacsite.output.write import build_lock
from pacsite.render.theme import theme_dir
from pacsite.serve.http import LOCAL_HOSTS, LiveState, Server, make_handler
from pacsite.serve.preview import rebuild
from pacsite.serve.session import Session

# Seconds of quiet after the last event before building. An editor writing in place
# (VS Code, nano, vim after its backup) may leave the file half-written between two
# writes: wait. A file renamed onto its name (temp + rename, JetBrains) is complete:
# only let the rest of its burst (deleting the backup) arrive.
DEBOUNCE = 0.1
SETTLE = 0.005  # 5 ms: an editor's rename and backup deletion come within a millisecond
CHANGES = {"created", "modified", "moved", "deleted"}
class Indexer:
    """Re-index the search (Pagefind) once saves have stopped for a while, off the build loop.

    Pagefind reads every page: seconds on a large plan. Running it after each
    save would delay the next rebuild, so it waits for ``quiet`` seconds
    without a new build, in its own thread; the compact index, rebuilt with
    every build, answers meanwhile on file://, and Pagefind's answers are at
    most one pause late.
    """

    def __init__(self, out: Path, quiet: float = 1.5) -> None:
        self.out, self.quiet = out, quiet
        self.due = threading.Event()
        self.runs = 0
        self.language = "fr"  # the plan's, for its lines in the terminal

    def touch(self) -> None:
        """Ask for a new index."""
        self.due.set()

    def run(self, stop: threading.Event) -> None:
        """Index after each pause in the builds, until ``stop``."""
        while not stop.is_set():
            if not self.due.wait(0.25):
                continue
            while True:
                self.due.clear()
                if not self.due.wait(self.quiet) or stop.is_set():
                    break
            if stop.is_set():
                return
            started = time.perf_counter()
            error = search.reindex(self.out, lambda: build_lock(self.out, self.language))
            self.runs += 1
            took = seconds(time.perf_counter() - started, self.language)
            line = msg("search_failed", error=error) if error else msg("search_updated", seconds=took)
            print(line.text(self.language), file=sys.stderr)


class Builder:
    """One loop that rebuilds the site whenever the plan folder is marked dirty."""

    def __init__(self, root: Path, out: Path, state: LiveState, today: date | None, quiet: float = DEBOUNCE) -> None:
        # absolute, as watchdog reports paths: a change of settings must be recognised as such
        self.root, self.out, self.state, self.today = root.resolve(), out.resolve(), state, today
        self.quiet = quiet
        self.session = Session()  # parsed files and rendered pages, reused across builds
        self.dirty = threading.Event()
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._changed: set[Path] = set()
        self._complete = False  # the last event was a whole file renamed into place
        self.indexer: Indexer | None = None  # Pagefind, re-run after the builds that change pages
        self.pages_at = 0.0  # perf_counter when the last build's pages were on disk (make bench)
        self._announced: set[str] = set()  # what the last build already told the browsers
        self._warned: Counter[tuple[str, str | None, str]] = Counter()  # the last good build's warnings
        self.language = "fr"  # the plan's (pacsite.yaml is read again by each build)
        # the theme folder when it is inside the plan: its files are sources like templates/
        self.theme = _theme_in_plan(self.root, load_settings(self.root, Diagnostics()).theme)
        self.on_theme: Callable[[Path], None] | None = None  # the watcher, told of a new theme folder

    def mark(self, path: str, complete: bool = False) -> None:
        """Mark the site dirty for a changed path, unless it is output or a temporary file.

        ``complete``: the file was renamed onto its name, so it is whole.
        """
        changed = Path(path)
        if changed.is_relative_to(self.out) or ignored(changed.name) or changed == self.root:
            return
        if changed.parent == self.root and changed.name not in ("pacsite.yaml", "content", "templates", "static") \
                and not self._in_theme(changed):
            return  # the lock file, the staging folder, anything else beside the plan
        with self._lock:
            self._changed.add(changed)
            self._complete = complete
        self.dirty.set()

    def _take_changes(self) -> list[Path]:
        """Return the paths marked since the last build, and tell the session to read them again."""
        with self._lock:
            changed, self._changed = sorted(self._changed), set()
        # read these again (same size in the same clock tick: the stamp alone would miss them), and
        # only these when no file came or went
        self.session.changes(changed)
        everything = ("pacsite.yaml", "templates", "people.yaml", "people.yml")
        if any(name in everything for p in changed for name in p.relative_to(self.root).parts[:2]
               if p.is_relative_to(self.root)) or any(self._in_theme(p) for p in changed):
            self.session.reset()  # settings, templates, the theme or people: every page may change
        return changed

    def _in_theme(self, path: Path) -> bool:
        """Whether ``path`` is a file of the theme folder in the plan, the folder, or one holding it."""
        theme = self.theme
        return theme is not None and (path.is_relative_to(theme) or theme.is_relative_to(path))

    def _follow_theme(self) -> None:
        """After a good build: take the theme it used (pacsite.yaml may name another), and watch it."""
        last = self.session.last
        if last is None:
            return
        theme = _theme_in_plan(self.root, last.plan.settings.theme)
        if theme != self.theme:
            self.theme = theme
            if theme is not None and self.on_theme is not None:
                self.on_theme(theme)

    def build_once(self) -> None:
        """Build now; publish the errors, or none."""
        started = time.perf_counter()
        diagnostics = Diagnostics()
        changed = self._take_changes()
        self._announced = set()
        try:
            report = rebuild(self.root, diagnostics, self.out, self.today, self.session, self._pages_written)
        except PacsiteError as exc:
            self.language = diagnostics.language
            lines = [d.format_text() for d in diagnostics.errors] or [exc.text(self.language)]
            print(self.say(msg("serve_failed", n=len(lines))), file=sys.stderr)
            for line in lines:
                print(f"  {line}", file=sys.stderr)
            self.state.publish(lines)
            return
        except Exception as exc:  # noqa: BLE001 - a bug or a full disk must not stop the preview
            line = self.say(msg("serve_internal", error=f"{type(exc).__name__}: {exc}"))
            print(line, file=sys.stderr)
            self.session.written = None  # the output may be half updated: next time, a whole build
            self.state.publish([line])
            return
        self._follow_theme()
        self.language = diagnostics.language
        if self.indexer is not None:
            self.indexer.language = self.language
        self._print_new_warnings(diagnostics)
        took = seconds(time.perf_counter() - started, self.language)
        print(self.say(_summary(self.root, changed, report, took)), file=sys.stderr)
        # the end of the build: what was not announced with the pages (the downloads)
        rest = None if report.changed is None else tuple(p for p in report.changed if p not in self._announced)
        self.state.publish([], rest)
        if self.indexer and (any(p.endswith(".html") for p in report.changed or ())):
            self.indexer.touch()  # pages changed: Pagefind indexes them once the saves pause

    def say(self, message: Msg) -> str:
        """A line in the plan's language."""
        return message.text(self.language)

    def _print_new_warnings(self, diagnostics: Diagnostics) -> None:
        """Print the warnings this build found that the previous good build did not, as ``build`` does.

        A warning that stays is not repeated on every save; one that went away
        and came back is new again. Its line is not part of what it is: a line
        added above it does not make it new.
        """
        warnings = diagnostics.warnings
        seen, self._warned = self._warned, Counter(_identity(d) for d in warnings)
        new: list[Diagnostic] = []
        for warning in warnings:
            identity = _identity(warning)
            if seen[identity]:
                seen[identity] -= 1
            else:
                new.append(warning)
        if new:
            shown = Diagnostics(new, diagnostics.language)
            print(shown.render("text", warning_limit=WARNINGS_SHOWN), file=sys.stderr)

    def _pages_written(self, paths: tuple[str, ...]) -> None:
        """The pages are on disk, the downloads not yet: browsers on those pages reload now."""
        self.pages_at = time.perf_counter()
        self._announced = set(paths)
        if paths:
            self.state.publish([], paths, build=False)

    def run(self) -> None:
        """Build on every burst of changes until stopped."""
        while not self.stop.is_set():
            if not self.dirty.wait(0.25):
                continue
            while True:  # trailing edge: wait for some quiet without a new event
                self.dirty.clear()
                if not self.dirty.wait(SETTLE if self._complete else self.quiet) or self.stop.is_set():
                    break
            if not self.stop.is_set():
                self.build_once()


def _theme_in_plan(root: Path, name: str) -> Path | None:
    """The theme folder ``name`` names, resolved, when it is inside ``root``; else None (bundled, or not found).

    A bundled theme outside the plan is not watched: it changes with pacsite,
    not while a plan is edited. A theme that cannot be found is the build's
    error to report, not the watcher's.
    """
    try:
        folder = theme_dir(name, root).resolve()
    except PacsiteError:
        return None
    return folder if folder.is_relative_to(root) else None


def _identity(warning: Diagnostic) -> tuple[str, str | None, str]:
    """What a warning is about, whatever its line: its file, its key and its message."""
    return warning.path, warning.key_text(), warning.text()


def _summary(root: Path, changed: list[Path], report: Report, took: str) -> Msg:
    """Say what changed and what was done: 'content/a.md changed: 3 of 94 pages rendered, 4 files written'."""
    # an editor's temporary file renamed away (sed's sedXXXXXX, say) is not worth a mention
    shown = [p for p in changed if p.suffix or p.exists()]
    names = [p.relative_to(root).as_posix() if p.is_relative_to(root) else str(p) for p in shown]
    listed: object = ", ".join(names[:3])
    if len(names) > 3:
        listed = msg("serve_more", names=listed, n=len(names) - 3)
    what: object = msg("serve_changed", names=listed) if names else ""
    if report.changed is None:
        return msg("serve_built", what=what, pages=msg("n_pages", n=report.pages),
                   files=msg("n_files_written", n=report.files), seconds=took)
    return msg("serve_rebuilt", what=what, rendered=report.rendered, pages=msg("n_pages", n=report.pages),
               files=msg("n_files_written", n=len(report.changed)), seconds=took)





POLL_INTERVAL = 0.5


def start_watching(root: Path, builder: Builder, poll: bool) -> Any:
    """Start a watchdog observer that marks ``builder`` dirty on every change of the plan."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    class Mark(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            # watchdog also reports files being opened and closed: our own build reads
            # every file, and must not wake itself up
            if event.event_type not in CHANGES or (event.is_directory and event.event_type == "modified"):
                return
            builder.mark(str(event.src_path))
            if event.event_type == "moved" and event.dest_path:
                builder.mark(str(event.dest_path), complete=not event.is_directory)

    observer = PollingObserver(timeout=POLL_INTERVAL) if poll else Observer()
    root = builder.root  # resolved, as the builder compares paths
    watched = [root / name for name in ("content", "templates", "static")]

    def watch_theme(theme: Path) -> None:
        # a theme folder in the plan (theme: ./mytheme): its templates and assets make the pages
        if theme.is_dir() and not any(theme.is_relative_to(folder) for folder in watched):
            watched.append(theme)
            observer.schedule(Mark(), str(theme), recursive=True)

    # never watch the output: its staging swap would feed builds to themselves
    observer.schedule(Mark(), str(root), recursive=False)  # pacsite.yaml, a content/ created later
    for folder in watched[:3]:
        if folder.is_dir():
            observer.schedule(Mark(), str(folder), recursive=True)
    if builder.theme is not None:
        watch_theme(builder.theme)
    builder.on_theme = watch_theme  # pacsite.yaml named another theme folder
    observer.start()
    return observer


def make_builder(root: Path, state: LiveState, poll: bool, today: date | None, out: Path | None = None) -> Builder:
    """Return the build loop for a plan folder; polling needs a quiet time longer than a poll."""
    settings = load_settings(root, Diagnostics())
    out = (out or settings.output_dir).resolve()
    builder = Builder(root, out, state, today, POLL_INTERVAL + DEBOUNCE if poll else DEBOUNCE)
    builder.language = settings.language
    if settings.search and search.pagefind_available():
        builder.indexer = Indexer(out)
        builder.indexer.language = settings.language
    return builder


def _start_indexer(builder: Builder) -> threading.Thread | None:
    """Run the builder's search indexer in its own thread, if it has one."""
    if builder.indexer is None:
        return None
    thread = threading.Thread(target=builder.indexer.run, args=(builder.stop,), name="pacsite-search", daemon=True)
    thread.start()
    return thread


def watch(root: Path, poll: bool, today: date | None, out: Path | None = None) -> int:
    """``pacsite build --watch``: build, then rebuild on every change until Ctrl-C."""
    builder = make_builder(root, LiveState(), poll, today, out)
    observer = start_watching(root, builder, poll)  # first: a save during the first build is not lost
    builder.build_once()
    indexer = _start_indexer(builder)
    print(builder.say(msg("watching", root=root)), file=sys.stderr, flush=True)
    try:
        builder.run()
    except KeyboardInterrupt:
        print(builder.say(msg("stopping")), file=sys.stderr)
    finally:
        builder.stop.set()
        observer.stop()
        observer.join(5)
        if indexer:
            indexer.join(30)
    return 0


def serve(root: Path, host: str, port: int, open_browser: bool, poll: bool, today: date | None) -> int:
    """Build, serve and rebuild on change until Ctrl-C."""
    settings = load_settings(root, Diagnostics())  # read once: output folder and language
    state = LiveState()
    builder = make_builder(root, state, poll, today, settings.output_dir)
    out = builder.out
    allowed = set(LOCAL_HOSTS) | {host.lower(), f"[{host.lower()}]"}
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(builder.say(msg("serving_open", host=host)), file=sys.stderr)
    try:
        message = translator(settings.language)["live_errors"]
        server = Server((host, port), make_handler(out, state, allowed, message, settings.language))
    except OSError as exc:
        raise UsageError(msg("cannot_listen", host=host, port=port, reason=exc.strerror or str(exc),
                             next=port + 1)) from None
    server.daemon_threads = True

    observer = start_watching(root, builder, poll)  # first: a save during the first build is not lost
    builder.build_once()
    indexer = _start_indexer(builder)
    threads = [threading.Thread(target=builder.run, name="pacsite-build", daemon=True),
               threading.Thread(target=server.serve_forever, name="pacsite-http", daemon=True)]
    url = f"http://{'localhost' if host in ('127.0.0.1', '::1') else host}:{server.server_address[1]}/"
    try:  # from the first request a browser can make, Ctrl-C is a clean stop (it was a race)
        for thread in threads:
            thread.start()
        print(builder.say(msg("serving", out=out, url=url)), file=sys.stderr, flush=True)
        if open_browser:
            webbrowser.open(url)
        while threads[1].is_alive():
            threads[1].join(0.5)
    except KeyboardInterrupt:
        print(builder.say(msg("stopping")), file=sys.stderr)
    finally:
        builder.stop.set()
        observer.stop()
        if threads[1].ident is not None:  # shutdown() waits for a serve_forever that has started
            server.shutdown()
        server.server_close()
        observer.join(5)
        if threads[0].ident is not None:
            threads[0].join(5)
        if indexer:
            indexer.join(30)
    return 0
