"""Hostile runs (issue 14): killed builds, a flooded server, a plan folder import must not touch.

Each test goes through the real command line or the real server, with the
input that broke it.
"""

from __future__ import annotations

import fcntl
import http.client
import importlib.util
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pacsite.cli import main
from tests.conftest import REPO, MakePlan

MARKER = ".pacsite-output"


def _generate(out: Path, phases: int) -> None:
    """Write a plan with ``benchmarks/generate.py`` (the benchmarks are no package)."""
    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(out, phases, words=60)


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped has stopped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _files(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def _build(root: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pacsite", "build", str(root)], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)


@pytest.mark.slow  # real processes killed mid-way
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_a_build_killed_mid_way_leaves_no_worker_and_never_blocks_the_next(tmp_path: Path) -> None:
    root = tmp_path / "plan"
    _generate(root, 1000)  # enough files and pages for two parsing, then two rendering workers
    first = _build(root, 120)
    assert first.returncode == 0, first.stderr
    complete = _files(root / "public")
    seen_workers = 0
    for delay in (0.3, 0.8, 1.5):
        # a cold build (--no-cache): a warm one at 1 000 phases renders a few pages in a fraction of a second,
        # and a kill at a fixed time could miss its workers; they are looked for all along, not once
        process = subprocess.Popen([sys.executable, "-m", "pacsite", "build", str(root), "--no-cache"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
        workers: set[int] = set()
        until = time.monotonic() + delay
        while time.monotonic() < until:
            workers |= _children(process.pid)
            time.sleep(0.02)
        workers |= _children(process.pid)
        lock = root / ".public.lock"
        seen_workers += len(workers)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        held = lock.is_file() and lock.read_text().strip() == str(process.pid)
        deadline = time.monotonic() + 3
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [pid for pid in workers if _alive(pid)]
        for pid in left:  # the test's own mess, not the next test's
            os.kill(pid, signal.SIGKILL)
        assert not left, f"killed at {delay} s: workers {left} outlived their build"
        assert _files(root / "public") == complete  # the previous site, whole
        started = time.monotonic()
        again = _build(root, 60)
        assert again.returncode == 0, again.stderr
        assert time.monotonic() - started < 60
        if held:  # killed while writing: the next build says whose lock it took over
            assert f"(processus {process.pid}) s'est arrêtée avant la fin" in again.stderr
        assert _files(root / "public") == complete
        assert not list(root.glob(".public.tmp-*"))
    assert seen_workers, "the build was never caught with its workers running: the test proves nothing"


def _hold_lock_then_build(root: Path, pid: int) -> str:
    """Hold ``root``'s build lock with ``pid`` written in it while ``pacsite build`` starts; its stderr."""
    with open(root / ".public.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write(f"{pid}\n")
        held.flush()
        process = subprocess.Popen([sys.executable, "-m", "pacsite", "build", str(root)],
                                   stderr=subprocess.PIPE, text=True, cwd=REPO)
        time.sleep(2.5)
        assert process.poll() is None  # waiting
        held.truncate(0)
        fcntl.flock(held, fcntl.LOCK_UN)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    return stderr


@pytest.mark.slow  # real processes waiting on the lock
def test_a_build_waiting_for_another_names_it_once(make_plan: MakePlan) -> None:
    root = make_plan({})
    stderr = _hold_lock_then_build(root, os.getpid())
    waiting = [line for line in stderr.splitlines() if "attente" in line]
    assert waiting == [f"pacsite : une autre construction (processus {os.getpid()}) écrit dans "
                       f"{root / 'public'} ; attente de sa fin"]


@pytest.mark.slow  # real processes
def test_a_lock_kept_by_what_a_dead_build_left_names_the_processes(make_plan: MakePlan) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    root = make_plan({})
    stderr = _hold_lock_then_build(root, dead.pid)  # this test plays a worker left by a killed build
    waiting = [line for line in stderr.splitlines() if "attente" in line]
    assert waiting == [f"pacsite : {root / 'public'} est verrouillé par les processus {os.getpid()}, laissés par "
                       "une construction arrêtée ; attente de leur fin (arrêtez-les avec kill)"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


@pytest.fixture
def served(make_plan: MakePlan) -> Iterator[tuple[int, list[str]]]:
    """``pacsite serve`` on a free loopback port; yields the port and, once stopped, its stderr lines."""
    root = make_plan({})
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "pacsite", "serve", str(root), "--port", str(port),
                                "--today", "2027-06-30"], stderr=subprocess.PIPE, text=True, cwd=REPO)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(port, "/")[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield port, lines
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
        lines.extend(stderr.splitlines())
        assert "Traceback" not in stderr and "error answering" not in stderr, stderr


def test_a_null_byte_in_the_address_is_a_bad_request(served: tuple[int, list[str]]) -> None:
    port, _ = served
    status, body = _get(port, "/index.html%00.txt")
    assert status == 400
    assert body == "adresse refusée : elle contient un caractère nul (%00)\n"
    assert _get(port, "/" + "a" * 5000)[0] == 404  # longer than a file name can be: no such page
    assert _get(port, "/")[0] == 200


def test_connections_that_never_speak_do_not_stall_the_server(served: tuple[int, list[str]]) -> None:
    port, _ = served
    count, openers = 3000, 30
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < count + 200:  # the server was started with the old limit
        pytest.skip(f"{count} connections need more open files than the limit ({soft})")
    opened: list[socket.socket] = []
    deadline = time.monotonic() + 10

    def open_some() -> None:
        for _ in range(count // openers):
            if time.monotonic() > deadline:
                return
            connection = socket.create_connection(("127.0.0.1", port), timeout=10)
            opened.append(connection)  # and says nothing

    started = time.monotonic()
    threads = [threading.Thread(target=open_some) for _ in range(openers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took_to_open = time.monotonic() - started
    assert len(opened) == count, f"only {len(opened)} connections accepted in 10 s"
    for connection in opened:
        connection.close()
    started = time.monotonic()
    assert _get(port, "/")[0] == 200
    took = time.monotonic() - started
    assert took < 1.0, f"a page took {took:.2f} s after {count} silent connections closed"
    assert took_to_open < 5.0, f"{count} connections took {took_to_open:.2f} s to be accepted"


def test_an_import_never_deletes_a_folder_it_did_not_make(tmp_path: Path) -> None:
    from tests.test_import import HAND_MADE, workbook

    source = workbook(tmp_path / "plan.xlsx", HAND_MADE)
    root = tmp_path / "plan"
    (root / ".pacsite-import").mkdir(parents=True)
    (root / ".pacsite-import" / "keep.txt").write_text("mes notes\n")  # someone's, named like the old staging
    assert main(["import", str(source), str(root)]) == 0
    assert (root / ".pacsite-import" / "keep.txt").read_text() == "mes notes\n"
    assert (root / "content/actions/01-etudes-de-marche/01-etude-de-la-clientele.md").is_file()
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".")) == [".pacsite-import"]
