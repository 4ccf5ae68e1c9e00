"""pacsite serve in a real process: edits show up, errors show over the last good build, only the output is served."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.conftest import MakePlan

PHASE = "content/actions/01-etudes/01-clients.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str, host: str | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host or f"127.0.0.1:{port}")
    conn.endheaders()
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


def until(check: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def atomic_write(path: Path, text: str) -> None:
    """Save as most editors do: a temporary file renamed over the original."""
    temporary = path.with_name(path.name + ".tmp~")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@pytest.fixture
def served(make_plan: MakePlan) -> Iterator[tuple[Path, int]]:
    root = make_plan({})
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "pacsite", "serve", str(root), "--port", str(port),
                                "--today", "2027-06-30"], stderr=subprocess.PIPE, text=True)
    try:
        until(lambda: get(port, "/")[0] == 200)
        yield root, port
    finally:
        process.terminate()
        process.wait(10)
        assert process.stderr is not None
        assert "Traceback" not in process.stderr.read()


def status(port: int) -> dict[str, object]:
    return json.loads(get(port, "/__pacsite/status")[1])  # type: ignore[no-any-return]


def test_an_edit_reaches_every_page_and_errors_keep_the_last_good_build(served: tuple[Path, int]) -> None:
    root, port = served
    pages = ("/actions/etudes/clients/", "/actions/etudes/index.html", "/budget/index.html")
    assert all("1\u202f000,00" in get(port, p)[1] for p in pages)
    phase = root / PHASE
    good = phase.read_text().replace("budget: 1000", "budget: 2500")
    atomic_write(phase, good)
    until(lambda: all("2\u202f500,00" in get(port, p)[1] for p in pages))
    atomic_write(phase, good.replace("title: Clients", "title: [Clients"))
    until(lambda: bool(status(port)["errors"]))
    assert "01-clients.md" in str(status(port)["errors"])
    assert "2\u202f500,00" in get(port, "/budget/index.html")[1]  # still the last good build
    atomic_write(phase, good.replace("budget: 2500", "budget: 3000"))
    until(lambda: not status(port)["errors"] and "3\u202f000,00" in get(port, "/budget/index.html")[1])
    assert '<script src="/__pacsite/live.js"></script>' in get(port, "/")[1]
    assert "dernière version correcte" in get(port, "/__pacsite/live.js")[1]
    assert "__pacsite" not in (root / "public" / "index.html").read_text()  # never in the built files


def test_a_burst_of_saves_is_one_build(served: tuple[Path, int]) -> None:
    root, port = served
    until(lambda: status(port)["builds"] == 1)
    phase = root / PHASE
    # saved in place (VS Code, nano): the builder waits 100 ms of quiet. (After a rename it waits
    # only 20 ms: a loaded CI machine can pause the test that long between two saves, and a burst
    # of renames then honestly makes two builds; seen once on CI.)
    for amount in range(1001, 1011):
        phase.write_text(phase.read_text().replace(f"budget: {amount - 1}", f"budget: {amount}"))
    until(lambda: "1\u202f010,00" in get(port, "/budget/index.html")[1])
    time.sleep(0.6)
    assert status(port)["builds"] == 2


@pytest.mark.parametrize("path", ["/../pyproject.toml", "/%2e%2e/pyproject.toml", "/..%2fpyproject.toml",
                                  "//etc/passwd", "/etc/passwd", "/../content/_index.md"])
def test_only_the_output_is_served(served: tuple[Path, int], path: str) -> None:
    _, port = served
    code, body = get(port, path)
    assert code == 404 and "[build-system]" not in body and "root:" not in body


def test_a_foreign_host_is_refused(served: tuple[Path, int]) -> None:
    _, port = served
    assert get(port, "/", host="attacker.example")[0] == 421
    assert get(port, "/", host=f"localhost:{port}")[0] == 200


def test_a_port_in_use_is_a_clear_error(make_plan: MakePlan) -> None:
    root = make_plan({})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "pacsite", "serve", str(root), "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"essayez --port {port + 1}" in done.stderr and "Traceback" not in done.stderr


def save_in_place(path: Path, text: str) -> None:
    """VS Code, nano: truncate and write, the file half-written for a moment."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text[: len(text) // 2])
        handle.flush()
        time.sleep(0.05)
        handle.write(text[len(text) // 2:])


def save_like_vim(path: Path, text: str) -> None:
    """vim: probe file 4913, rename to a backup, write anew, drop the backup."""
    probe = path.with_name("4913")
    probe.write_text("")
    probe.unlink()
    backup = path.with_name(path.name + "~")
    os.replace(path, backup)
    path.write_text(text, encoding="utf-8")
    backup.unlink()


def save_like_jetbrains(path: Path, text: str) -> None:
    """JetBrains safe write: ___jb_tmp___ then ___jb_old___ renames."""
    temporary = path.with_name(path.name + "___jb_tmp___")
    old = path.with_name(path.name + "___jb_old___")
    temporary.write_text(text, encoding="utf-8")
    os.replace(path, old)
    os.replace(temporary, path)
    old.unlink()


SAVES = {"in place": save_in_place, "vim": save_like_vim, "jetbrains": save_like_jetbrains,
         "temp + rename": atomic_write}


@pytest.mark.slow  # a real process and watcher per editor
@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "polling"])
@pytest.mark.parametrize("editor", sorted(SAVES))
def test_each_editor_save_is_one_build_and_never_an_error(make_plan: MakePlan, editor: str, poll: bool) -> None:
    root = make_plan({})
    port = free_port()
    command = [sys.executable, "-m", "pacsite", "serve", str(root), "--port", str(port), "--today", "2027-06-30"]
    process = subprocess.Popen(command + (["--poll"] if poll else []), stderr=subprocess.PIPE, text=True)
    try:
        until(lambda: get(port, "/")[0] == 200)
        phase = root / PHASE
        SAVES[editor](phase, phase.read_text().replace("budget: 1000", "budget: 4321"))
        seen: list[dict[str, object]] = []

        def done() -> bool:
            seen.append(status(port))
            return "4\u202f321,00" in get(port, "/budget/index.html")[1]

        until(done)
        time.sleep(1.5 if poll else 0.6)
        seen.append(status(port))
        assert all(not s["errors"] for s in seen), seen
        assert seen[-1]["builds"] == 2  # the first build, then exactly one
        assert not list(root.glob("content/**/*___jb_*")) and not (root / PHASE).with_name("4913").exists()
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.slow  # a real process and watcher
@pytest.mark.parametrize("poll", [False, True], ids=["inotify", "polling"])
def test_folders_created_renamed_and_files_deleted_reach_the_site(make_plan: MakePlan, poll: bool) -> None:
    """A new family folder with its files, a family folder renamed, a phase deleted."""
    root = make_plan({"content/actions/01-etudes/02-concurrents.md": "---\ntitle: Concurrents\nbudget: 500\n---\n"})
    port = free_port()
    command = [sys.executable, "-m", "pacsite", "serve", str(root), "--port", str(port), "--today", "2027-06-30"]
    process = subprocess.Popen(command + (["--poll"] if poll else []), stderr=subprocess.PIPE, text=True)
    try:
        until(lambda: get(port, "/")[0] == 200)
        family = root / "content/actions/02-salons"
        family.mkdir()
        (family / "_index.md").write_text("---\ntitle: Salons\n---\n", encoding="utf-8")
        (family / "01-piscine-expo.md").write_text("---\ntitle: Piscine Expo\nbudget: 2500\n---\n", encoding="utf-8")
        until(lambda: "Piscine Expo" in get(port, "/actions/salons/piscine-expo/")[1])
        until(lambda: "4\u202f000,00" in get(port, "/budget/")[1])  # 1 000 + 500 + 2 500

        (root / "content/actions/01-etudes").rename(root / "content/actions/01-marche")
        until(lambda: get(port, "/actions/marche/clients/")[0] == 200)
        until(lambda: get(port, "/actions/etudes/clients/")[0] == 404)

        (root / "content/actions/01-marche/02-concurrents.md").unlink()
        until(lambda: get(port, "/actions/marche/concurrents/")[0] == 404)
        until(lambda: "3\u202f500,00" in get(port, "/budget/")[1])
        assert not status(port)["errors"]
    finally:
        process.terminate()
        process.wait(10)


def _hear_ctrl_c() -> None:
    """Let the child hear SIGINT even when the tests run in the background (``make test &``): a shell
    starts background jobs with SIGINT ignored, and Python then installs no KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow  # a real process and watcher
def test_build_watch_rebuilds_into_the_output(make_plan: MakePlan) -> None:
    root = make_plan({})
    command = [sys.executable, "-m", "pacsite", "build", str(root), "--watch", "-o", str(root / "site")]
    process = subprocess.Popen(command + ["--today", "2027-06-30"], stderr=subprocess.PIPE, text=True,
                               preexec_fn=_hear_ctrl_c)
    try:
        until(lambda: (root / "site" / "budget" / "index.html").is_file())
        atomic_write(root / PHASE, (root / PHASE).read_text().replace("budget: 1000", "budget: 1234"))
        until(lambda: "1\u202f234,00" in (root / "site" / "budget" / "index.html").read_text())
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(10) == 0
    assert not list(root.glob(".site.tmp-*"))


def test_ctrl_c_stops_serve_cleanly(served: tuple[Path, int]) -> None:
    root, port = served
    # the fixture's process is terminated by the fixture; here a second one gets Ctrl-C
    other_port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "pacsite", "serve", str(root), "--port", str(other_port)],
                               stderr=subprocess.PIPE, text=True, preexec_fn=_hear_ctrl_c)
    until(lambda: get(other_port, "/")[0] == 200)
    process.send_signal(signal.SIGINT)
    assert process.wait(10) == 0
    assert process.stderr is not None and "Traceback" not in process.stderr.read()
    assert not list(root.glob(".public.tmp-*"))


def test_a_symlink_out_of_the_output_is_not_followed(served: tuple[Path, int]) -> None:
    root, port = served
    (root / "public" / "fuite.txt").symlink_to(root / "pyproject-secret.txt")
    (root / "pyproject-secret.txt").write_text("confidentiel")
    (root / "public" / "dossier").symlink_to(root / "content", target_is_directory=True)
    assert get(port, "/fuite.txt")[0] == 404
    assert get(port, "/dossier/_index.md")[0] == 404


def test_an_unexpected_failure_keeps_the_loop_alive(make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch) -> None:
    from pacsite.serve import live as serve_module

    root = make_plan({})
    state = serve_module.LiveState()
    builder = serve_module.Builder(root, root / "public", state, None)
    calls: list[int] = []

    def broken(*args: object, **kwargs: object) -> None:
        calls.append(1)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(serve_module, "rebuild", broken)
    builder.build_once()
    assert state.errors and "No space left" in state.errors[0]
    monkeypatch.undo()
    builder.build_once()
    assert state.errors == [] and state.builds == 2 and calls == [1]


BROWSER_DIR = Path(__file__).parent / "browser"


@pytest.mark.slow  # a browser
@pytest.mark.skipif(
    not (Path("/usr/bin/chromium").exists() and (BROWSER_DIR / "node_modules" / "playwright-core").is_dir()),
    reason="needs Debian's chromium and playwright-core: `make browser-deps` (CI installs them)",
)
def test_the_browser_reloads_by_itself(served: tuple[Path, int]) -> None:
    root, port = served
    done = subprocess.run(
        ["node", str(BROWSER_DIR / "reload.mjs"), f"http://localhost:{port}/actions/etudes/clients/",
         str(root / PHASE), "Texte.", "Texte revu dans l'éditeur.", f"http://localhost:{port}/budget/"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_a_browser_hanging_up_is_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    from pacsite.serve.http import Server

    server = Server(("127.0.0.1", 0), BaseHTTPRequestHandler)
    try:
        for error in (ConnectionResetError(104, "Connection reset by peer"), BrokenPipeError(32, "Broken pipe"),
                      ValueError("a bug")):
            try:
                raise error
            except Exception:  # noqa: BLE001 - handle_error reads the exception being handled
                server.handle_error(None, ("127.0.0.1", 1234))
    finally:
        server.server_close()
    err = capsys.readouterr().err
    assert err == "pacsite: error answering 127.0.0.1: ValueError: a bug\n"


def test_a_browser_that_slept_through_versions_learns_every_change() -> None:
    from pacsite.serve.live import LiveState

    state = LiveState()
    state.publish([])  # the first build: anything
    state.publish([], ("a/index.html",), build=False)  # the edited page first
    state.publish([], ("budget/index.html", "plan.json"))  # then the rest
    assert state.wait(1, 0) == (3, [], ["a/index.html", "budget/index.html", "plan.json"])
    assert state.wait(2, 0) == (3, [], ["budget/index.html", "plan.json"])
    assert state.wait(0, 0) == (3, [], None)  # the first build changed anything
    assert state.builds == 2
    for _ in range(70):
        state.publish([], ())
    assert state.wait(3, 0)[2] is None  # too long ago to know: reload


class Lines:
    """A process's stderr, read line by line in a thread, so a test can wait for a line without blocking."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        import threading

        self.lines: list[str] = []
        assert process.stderr is not None
        stream = process.stderr
        self.thread = threading.Thread(target=lambda: self.lines.extend(stream), daemon=True)
        self.thread.start()

    def count(self, text: str) -> int:
        return sum(text in line for line in list(self.lines))

    def text(self) -> str:
        return "".join(list(self.lines))


@pytest.mark.slow  # a real process and watcher
@pytest.mark.parametrize("command", ["serve", "build --watch"])
def test_warnings_are_printed_once_when_they_appear(make_plan: MakePlan, command: str) -> None:
    root = make_plan({})
    phase = root / PHASE
    atomic_write(phase, phase.read_text().replace("budget: 1000", "budget: 1000\ncouleur: bleu"))
    args = ["--port", str(free_port())] if command == "serve" else ["-o", str(root / "site")]
    process = subprocess.Popen([sys.executable, "-m", "pacsite", *command.split(), str(root), *args,
                                "--today", "2027-06-30"], stderr=subprocess.PIPE, text=True,
                               preexec_fn=_hear_ctrl_c)
    lines = Lines(process)
    try:
        until(lambda: lines.count("écrits en") == 1)  # the first build: its warning, once
        assert lines.count("couleur : clé inconnue") == 1, lines.text()
        assert lines.count("01-clients.md:4: avertissement") == 1

        # a save that changes nothing about the warning (it even moves down a line): not printed again
        atomic_write(phase, phase.read_text().replace("budget: 1000", "spent: 10\nbudget: 2000"))
        until(lambda: lines.count(" modifié : ") == 1)
        assert lines.count("couleur") == 1, lines.text()

        # a save that adds a second warning: only that one is printed
        atomic_write(phase, phase.read_text().replace("budget: 2000", "budget: 2000\nhumeur: bonne"))
        until(lambda: lines.count(" modifié : ") == 2)
        assert lines.count("humeur : clé inconnue") == 1 and lines.count("couleur") == 1, lines.text()

        # gone, then back: new again
        atomic_write(phase, phase.read_text().replace("couleur: bleu\n", ""))
        until(lambda: lines.count(" modifié : ") == 3)
        atomic_write(phase, phase.read_text().replace("budget: 2000", "budget: 2000\ncouleur: bleu"))
        until(lambda: lines.count(" modifié : ") == 4)
        assert lines.count("couleur : clé inconnue") == 2 and lines.count("humeur") == 1, lines.text()
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(10) == 0
        lines.thread.join(5)
    assert "Traceback" not in lines.text()
