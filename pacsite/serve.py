"""The dev server: watch → debounce → build → tell browsers. Serves only whole builds.

Why not python-livereload: it accepts any ``Host`` (DNS rebinding could read
a confidential plan) and any WebSocket ``Origin``, and its own watcher polls
every 800 ms and drops reloads for 3 s (FACTS.md). What we need from it is
one message to the browser, so we use Server-Sent Events from the standard
library instead: a few lines of JavaScript, no extra thread per socket type.

Watchdog handlers only mark the site dirty; one loop builds (trailing-edge
debounce), so a burst of saves is one build, and a save during a build is
exactly one more. The build writes through the same staging swap as
``pacsite build``, so a request never sees a half-built site, and a build
with errors keeps the last good one served while browsers show the errors.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import webbrowser
from dataclasses import dataclass, field
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pacsite.build import build
from pacsite.errors import Diagnostics, PacsiteError, UsageError
from pacsite.frontmatter import ParseCache
from pacsite.i18n import translator
from pacsite.settings import load_settings
from pacsite.sources import ignored

DEBOUNCE = 0.2  # seconds of quiet after the last event before building
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
  var source = new EventSource("/__pacsite/events");
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (state.errors.length) { show(state.errors); seen = state.version; return; }
    if (seen !== null && state.version !== seen) { location.reload(); return; }
    if (box) { box.remove(); box = null; }
    seen = state.version;
  };
})();
"""


@dataclass
class LiveState:
    """The build counter and the last errors, shared by the builder and the server."""

    version: int = 0
    errors: list[str] = field(default_factory=list)
    builds: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, errors: list[str]) -> None:
        """Record a build's outcome and wake every waiting browser."""
        with self.changed:
            self.version += 1
            self.builds += 1
            self.errors = errors
            self.changed.notify_all()

    def wait(self, seen: int | None, timeout: float) -> tuple[int, list[str]]:
        """Return the state once it differs from ``seen`` (or after ``timeout``)."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen, timeout)
            return self.version, list(self.errors)


class Builder:
    """One loop that rebuilds the site whenever the plan folder is marked dirty."""

    def __init__(self, root: Path, out: Path, state: LiveState, today: date | None, quiet: float = DEBOUNCE) -> None:
        self.root, self.out, self.state, self.today = root, out, state, today
        self.quiet = quiet
        self.cache = ParseCache()  # files read once per change, across builds
        self.dirty = threading.Event()
        self.stop = threading.Event()

    def mark(self, path: str) -> None:
        """Mark the site dirty for a changed path, unless it is output or a temporary file."""
        changed = Path(path)
        if changed.is_relative_to(self.out) or ignored(changed.name) or changed == self.root:
            return
        if changed.parent == self.root and changed.name not in ("pacsite.yaml", "content", "templates", "static"):
            return  # the lock file, the staging folder, anything else beside the plan
        self.dirty.set()

    def build_once(self) -> None:
        """Build now; publish the errors, or none."""
        started = time.perf_counter()
        diagnostics = Diagnostics()
        try:
            report = build(self.root, diagnostics, self.out, self.today, cache=self.cache)
        except PacsiteError as exc:
            lines = [d.format_text() for d in diagnostics.errors] or [str(exc)]
            print(f"pacsite: build failed ({len(lines)} errors), still serving the last good build",
                  file=sys.stderr)
            for line in lines:
                print(f"  {line}", file=sys.stderr)
            self.state.publish(lines)
            return
        except Exception as exc:  # noqa: BLE001 - a bug or a full disk must not stop the preview
            line = f"pacsite: internal error while building: {type(exc).__name__}: {exc}"
            print(line, file=sys.stderr)
            self.state.publish([line])
            return
        print(f"pacsite: rebuilt {report.pages} pages in {time.perf_counter() - started:.2f} s", file=sys.stderr)
        self.state.publish([])

    def run(self) -> None:
        """Build on every burst of changes until stopped."""
        while not self.stop.is_set():
            if not self.dirty.wait(0.25):
                continue
            while True:  # trailing edge: wait for DEBOUNCE seconds without a new event
                self.dirty.clear()
                if not self.dirty.wait(self.quiet) or self.stop.is_set():
                    break
            if not self.stop.is_set():
                self.build_once()


def make_handler(
    out: Path, state: LiveState, allowed_hosts: set[str], message: str = "pacsite: errors"
) -> type[BaseHTTPRequestHandler]:
    """Return a request handler serving ``out`` only, to allowed hosts only."""
    root = out.resolve()
    client = CLIENT.replace(b"MESSAGE", json.dumps(message, ensure_ascii=False).encode())

    class Handler(BaseHTTPRequestHandler):
        server_version = "pacsite"

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
            if path == "/__pacsite/live.js":
                self._send(HTTPStatus.OK, client, "text/javascript; charset=utf-8")
            elif path == "/__pacsite/status":
                version, errors = state.wait(None, 0)
                body = json.dumps({"version": version, "errors": errors}).encode()
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
                    version, errors = state.wait(seen, 15)
                    payload = json.dumps({"version": version, "errors": errors})
                    message = f"data: {payload}\n\n" if version != seen else ": keep-alive\n\n"
                    self.wfile.write(message.encode())
                    self.wfile.flush()
                    seen = version
            except (BrokenPipeError, ConnectionResetError):
                return

        def _file(self, path: str) -> None:
            relative = path.lstrip("/")
            target = (root / relative).resolve()
            if target.is_dir():
                target = target / "index.html"
            # only files inside the output, symlinks resolved: no traversal, no escape
            if not target.is_relative_to(root) or not target.is_file():
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
            for path in (event.src_path, getattr(event, "dest_path", "")):
                if path:
                    builder.mark(str(path))

    observer = PollingObserver(timeout=POLL_INTERVAL) if poll else Observer()
    # never watch the output: its staging swap would feed builds to themselves
    observer.schedule(Mark(), str(root), recursive=False)  # pacsite.yaml, a content/ created later
    for name in ("content", "templates", "static"):
        if (root / name).is_dir():
            observer.schedule(Mark(), str(root / name), recursive=True)
    observer.start()
    return observer


def make_builder(root: Path, state: LiveState, poll: bool, today: date | None, out: Path | None = None) -> Builder:
    """Return the build loop for a plan folder; polling needs a quiet time longer than a poll."""
    out = (out or load_settings(root, Diagnostics()).output_dir).resolve()
    return Builder(root, out, state, today, POLL_INTERVAL + DEBOUNCE if poll else DEBOUNCE)


def watch(root: Path, poll: bool, today: date | None, out: Path | None = None) -> int:
    """``pacsite build --watch``: build, then rebuild on every change until Ctrl-C."""
    builder = make_builder(root, LiveState(), poll, today, out)
    builder.build_once()
    observer = start_watching(root, builder, poll)
    print(f"pacsite: watching {root} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        builder.run()
    except KeyboardInterrupt:
        print("pacsite: stopping", file=sys.stderr)
    finally:
        builder.stop.set()
        observer.stop()
        observer.join(5)
    return 0


def serve(root: Path, host: str, port: int, open_browser: bool, poll: bool, today: date | None) -> int:
    """Build, serve and rebuild on change until Ctrl-C."""
    settings = load_settings(root, Diagnostics())  # read once: output folder and language
    state = LiveState()
    builder = make_builder(root, state, poll, today, settings.output_dir)
    out = builder.out
    allowed = set(LOCAL_HOSTS) | {host.lower(), f"[{host.lower()}]"}
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"pacsite: warning: serving on {host}: other machines can read the plan", file=sys.stderr)
    try:
        message = translator(settings.language)["live_errors"]
        server = ThreadingHTTPServer((host, port), make_handler(out, state, allowed, message))
    except OSError as exc:
        raise UsageError(f"pacsite: cannot listen on {host}:{port} ({exc.strerror}): try --port {port + 1}") from None
    server.daemon_threads = True

    builder.build_once()
    observer = start_watching(root, builder, poll)
    threads = [threading.Thread(target=builder.run, name="pacsite-build", daemon=True),
               threading.Thread(target=server.serve_forever, name="pacsite-http", daemon=True)]
    for thread in threads:
        thread.start()
    url = f"http://{'localhost' if host in ('127.0.0.1', '::1') else host}:{server.server_address[1]}/"
    print(f"pacsite: serving {out} at {url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    if open_browser:
        webbrowser.open(url)
    try:
        while threads[1].is_alive():
            threads[1].join(0.5)
    except KeyboardInterrupt:
        print("pacsite: stopping", file=sys.stderr)
    finally:
        builder.stop.set()
        observer.stop()
        server.shutdown()
        server.server_close()
        observer.join(5)
        threads[0].join(5)
    return 0
