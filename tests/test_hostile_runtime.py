"""Hostile runs (issue 14): killed builds, a flooded server, a plan folder import must not touch.

Each test goes through the real command line or the real server, with the
input that broke it.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_a_build_killed_mid_way_leaves_no_worker_and_never_blocks_the_next(tmp_path: Path) -> None:
    root = tmp_path / "plan"
    _generate(root, 1000)  # enough files and pages for two parsing, then two rendering workers
    first = _build(root, 120)
    assert first.returncode == 0, first.stderr
    complete = _files(root / "public")
    seen_workers = 0
    for delay in (0.3, 0.8, 1.5):
        process = subprocess.Popen([sys.executable, "-m", "pacsite", "build", str(root)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
        time.sleep(delay)
        workers = _children(process.pid)
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


def test_a_build_waiting_for_another_names_it_once(make_plan: MakePlan) -> None:
    root = make_plan({})
    stderr = _hold_lock_then_build(root, os.getpid())
    waiting = [line for line in stderr.splitlines() if "attente" in line]
    assert waiting == [f"pacsite : une autre construction (processus {os.getpid()}) écrit dans "
                       f"{root / 'public'} ; attente de sa fin"]


def test_a_lock_kept_by_what_a_dead_build_left_names_the_processes(make_plan: MakePlan) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    root = make_plan({})
    stderr = _hold_lock_then_build(root, dead.pid)  # this test plays a worker left by a killed build
    waiting = [line for line in stderr.splitlines() if "attente" in line]
    assert waiting == [f"pacsite : {root / 'public'} est verrouillé par les processus {os.getpid()}, laissés par "
                       "une construction arrêtée ; attente de leur fin (arrêtez-les avec kill)"]
