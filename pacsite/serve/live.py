"""The dev server: watch → debounce → build → tell browsers. Serves only whole builds.

Why not python-livereload: it accepts any ``Host`` (DNS rebinding could read
a confidential plan) and any WebSocket ``Origin``, and its own watcher polls
every 800 ms and drops reloads for 3 s (FACTS.md). What we need from it is
one message to the browser, so we use Server-Sent Events from the standard
library instead: a few lines of JavaScript, no extra thread per socket type.

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

import json
import sys
import threading
import time
import webbrowser
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pacsite.build import Report, build
from pacsite.errors import WARNINGS_SHOWN, Diagnostic, Diagnostics, PacsiteError, UsageError
from pacsite.i18n import translator
from pacsite.load.settings import load_settings
from pacsite.load.sources import ignored
from pacsite.memo import BuildCache
from pacsite.messages import Msg, msg, seconds
from pacsite.output import search
from pacsite.output.write import build_lock
from pacsite.render.theme import theme_dir
from pacsite.serve.lobby import IDLE, Lobby

# Seconds of quiet after the last event before building. An editor writing in place
# (VS Code, nano, vim after its backup) may leave the file half-written between two
# writes: wait. A file renamed onto its name (temp + rename, JetBrains) is complete:
# only let the rest of its burst (deleting the backup) arrive.
DEBOUNCE = 0.1
SETTLE = 0.005  # 5 ms: an editor's rename and backup deletion come within a millisecond
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
CHANGES = {"created", "modified", "moved", "deleted"}
CLIENT = b"""(function () {
  "use strict";
  var seen = null, box = null;
  function show(errors) {
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:9999;" +
        "background:#3a1c1a;color:#fff;border:3px solid #ff8a80;border-radius:8px;padding:1rem;" +
        "font:14px/1.5 monospace;white-space:pre-wrap;box-shadow:0 4px 24px rgba(0,0,0,.4)";
      document.body.appendChild(box);
    }
    box.textContent = MESSAGE + "\\n\\n" + errors.join("\\n");
  }
  // this page's file in the output: /a/b/ -> a/b/index.html
  var here = decodeURIComponent(location.pathname).replace(/^\\/+/, "");
  if (here === "" || here.slice(-1) === "/") { here += "index.html"; }
  function concerns(state) {
    // the server lists what changed since its last message (null: anything): reload when
    // this page or a stylesheet, script or image changed (not another page, a download
    // or the search index)
    if (state.changed === null) { return true; }
    return state.changed.some(function (path) {
      return path === here || !/(\\.(html|json|csv|xlsx|ics|xml)|^search-index\\.js)$/.test(path);
    });
  }
  var source = new EventSource("/__pacsite/events");
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (state.errors.length) { show(state.errors); seen = state.version; return; }
    if (seen !== null && state.version !== seen && (box || concerns(state))) { location.reload(); return; }
    seen = state.version;
  };
})();
"""


@dataclass
class LiveState:
    """The build counter, the last errors and changed files, shared by the builder and the server."""

    version: int = 0
    errors: list[str] = field(default_factory=list)
    builds: int = 0
    paths: tuple[str, ...] | None = None  # files changed by the last version; None: any
    changed: threading.Condition = field(default_factory=threading.Condition)
    history: dict[int, tuple[str, ...] | None] = field(default_factory=dict)  # the last versions' paths

    def publish(self, errors: list[str], paths: tuple[str, ...] | None = None, build: bool = True) -> None:
        """Record a build's outcome (or an early page of it) and wake every waiting browser."""
        with self.changed:
            self.version += 1
            self.builds += build
            self.errors = errors
            self.paths = paths
            self.history[self.version] = paths
            self.history.pop(self.version - 64, None)
            self.changed.notify_all()

    def wait(self, seen: int | None, timeout: float) -> tuple[int, list[str], list[str] | None]:
        """Return the state once it differs from ``seen`` (or after ``timeout``).

        The paths are all those changed since ``seen``: a browser that slept
        through two versions (the pages first, then the downloads) learns
        about both. None means "anything may have changed".
        """
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen, timeout)
            if seen is None or seen > self.version:
                return self.version, list(self.errors), None if self.paths is None else list(self.paths)
            paths: set[str] = set()
            for version in range(seen + 1, self.version + 1):
                step = self.history.get(version)
                if step is None:  # everything changed, or too long ago to know
                    return self.version, list(self.errors), None
                paths.update(step)
            return self.version, list(self.errors), sorted(paths)


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
        self.cache = BuildCache()  # parsed files and rendered pages, reused across builds
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
        """Return the paths marked since the last build, and tell the cache to read them again."""
        with self._lock:
            changed, self._changed = sorted(self._changed), set()
        # read these again (same size in the same clock tick: the stamp alone would miss them), and
        # only these when no file came or went
        self.cache.changes(changed)
        everything = ("pacsite.yaml", "templates", "people.yaml", "people.yml")
        if any(name in everything for p in changed for name in p.relative_to(self.root).parts[:2]
               if p.is_relative_to(self.root)) or any(self._in_theme(p) for p in changed):
            self.cache.reset()  # settings, templates, the theme or people: every page may change
        return changed

    def _in_theme(self, path: Path) -> bool:
        """Whether ``path`` is a file of the theme folder in the plan, the folder, or one holding it."""
        theme = self.theme
        return theme is not None and (path.is_relative_to(theme) or theme.is_relative_to(path))

    def _follow_theme(self) -> None:
        """After a good build: take the theme it used (pacsite.yaml may name another), and watch it."""
        last = self.cache.last
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
            report = build(self.root, diagnostics, self.out, self.today, cache=self.cache,
                           on_pages=self._pages_written)
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
            self.cache.written = None  # the output may be half updated: next time, a whole build
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





def make_handler(
    out: Path, state: LiveState, allowed_hosts: set[str], message: str = "pacsite: errors", language: str = "fr"
) -> type[BaseHTTPRequestHandler]:
    """Return a request handler serving ``out`` only, to allowed hosts only."""
    root = out.resolve()
    client = CLIENT.replace(b"MESSAGE", json.dumps(message, ensure_ascii=False).encode())
    null_byte = (msg("serve_null_byte").text(language) + "\n").encode()

    class Handler(BaseHTTPRequestHandler):
        server_version = "pacsite"
        timeout = IDLE  # a request begun and never finished does not keep its thread for ever

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence access logs
            return

        def _host_ok(self) -> bool:
            """Answer only requests addressed to us: a foreign Host is DNS rebinding."""
            raw = (self.headers.get("Host") or "").lower()
            host = raw.split("]")[0] + "]" if raw.startswith("[") else raw.rsplit(":", 1)[0]
            return host in allowed_hosts

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self) -> None:  # noqa: N802 - http.server naming
            self.do_GET()

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            if not self._host_ok():
                self._send(HTTPStatus.MISDIRECTED_REQUEST, b"unknown host\n", "text/plain")
                return
            path = unquote(urlsplit(self.path).path)
            if "\0" in path:  # no file name holds one: the path cannot even be looked up
                self._send(HTTPStatus.BAD_REQUEST, null_byte, "text/plain; charset=utf-8")
            elif path == "/__pacsite/live.js":
                self._send(HTTPStatus.OK, client, "text/javascript; charset=utf-8")
            elif path == "/__pacsite/status":
                version, errors, paths = state.wait(None, 0)
                body = json.dumps({"version": version, "builds": state.builds, "errors": errors,
                                   "changed": paths}).encode()
                self._send(HTTPStatus.OK, body, "application/json")
            elif path == "/__pacsite/events":
                self._events()
            else:
                self._file(path)

        def _events(self) -> None:
            origin = self.headers.get("Origin")
            if origin is not None and urlsplit(origin).hostname not in {h.strip("[]") for h in allowed_hosts}:
                self._send(HTTPStatus.FORBIDDEN, b"foreign origin\n", "text/plain")
                return
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen: int | None = None
            try:
                while True:
                    version, errors, paths = state.wait(seen, 15)
                    payload = json.dumps({"version": version, "errors": errors, "changed": paths})
                    message = f"data: {payload}\n\n" if version != seen else ": keep-alive\n\n"
                    self.wfile.write(message.encode())
                    self.wfile.flush()
                    seen = version
            except (BrokenPipeError, ConnectionResetError):
                return

        def _file(self, path: str) -> None:
            target = _inside(root, path)
            if target is None:
                missing = root / "404.html"
                body = missing.read_bytes() if missing.is_file() else b"<!DOCTYPE html><title>404</title><body>404"
                self._send(HTTPStatus.NOT_FOUND, _inject(body), "text/html; charset=utf-8")
                return
            body = target.read_bytes()
            kind = _content_type(target.suffix)
            if target.suffix == ".html":
                body = _inject(body)
            self._send(HTTPStatus.OK, body, kind)

    return Handler


class _Server(ThreadingHTTPServer):
    """The standard threading server, with a thread only for a connection that speaks.

    Silent connections wait in a ``Lobby`` (one thread for all of them), so a
    flood of them costs no thread, and closing them at once stalls nothing.
    The queue of connections not yet accepted holds a burst: with the
    standard 5 the kernel dropped the rest, and their senders, a browser's
    next request among them, retried only a second or more later. And no
    traceback when a browser hangs up mid-answer.
    """

    daemon_threads = True
    request_queue_size = 1024  # the kernel caps it (net.core.somaxconn)

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self.lobby = Lobby(self._answer, self.shutdown_request)  # first: a port in use calls server_close
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.lobby.admit(request, client_address)

    def _answer(self, request: Any, client_address: Any) -> None:
        super().process_request(request, client_address)  # its own thread

    def server_close(self) -> None:
        self.lobby.stop()
        super().server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # a tab closed or reloaded while its page was being sent
        print(f"pacsite: error answering {client_address[0]}: {type(error).__name__}: {error}", file=sys.stderr)


def _inside(root: Path, path: str) -> Path | None:
    """The file of ``root`` a URL path names, or None: outside it (symlinks resolved), missing, unreadable name."""
    try:
        target = (root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        # only files inside the output, symlinks resolved: no traversal, no escape
        return target if target.is_relative_to(root) and target.is_file() else None
    except OSError:  # a name longer than the system allows, a loop of links: no such page
        return None


def _inject(html: bytes) -> bytes:
    """Add the reload client to a served page (never to the built files)."""
    tag = b'<script src="/__pacsite/live.js"></script>'
    return html.replace(b"</body>", tag + b"</body>", 1) if b"</body>" in html else html + tag


def _content_type(suffix: str) -> str:
    return {
        ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
        ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".pdf": "application/pdf",
        ".csv": "text/csv; charset=utf-8", ".ics": "text/calendar; charset=utf-8", ".xml": "application/xml",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".webp": "image/webp",
    }.get(suffix.lower(), "application/octet-stream")


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
        server = _Server((host, port), make_handler(out, state, allowed, message, settings.language))
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
