"""The preview's HTTP side: the output folder, to this machine only, and the reload events.

Why not python-livereload: it accepts any ``Host`` (DNS rebinding could read
a confidential plan) and any WebSocket ``Origin``, and its own watcher polls
every 800 ms and drops reloads for 3 s (FACTS.md). What we need from it is
one message to the browser, so we use Server-Sent Events from the standard
library instead: a few lines of JavaScript, no extra thread per socket type.
"""

from __future__ import annotations

import json
import sys
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pacsite.messages import msg
from pacsite.serve.lobby import IDLE, Lobby

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
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


class Server(ThreadingHTTPServer):
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
