"""Writing the site: an interrupted build changes nothing, two builds never interleave."""

from __future__ import annotations

import fcntl
import threading
import time
from pathlib import Path

import pytest

from pacsite.build import build
from pacsite.errors import Diagnostics
from pacsite.output import write as output
from tests.conftest import EXAMPLE_TODAY, MakePlan


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_an_interrupted_build_leaves_the_previous_output_identical(
    make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_plan({"static/logo.png": b"\x89PNG"})
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    before = snapshot(root / "public")
    (root / "content/actions/01-etudes/01-clients.md").write_text("---\ntitle: Changé\nbudget: 2\n---\n")

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output.shutil, "copyfile", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    assert snapshot(root / "public") == before
    assert not list(root.glob(".public.tmp-*"))


def test_a_second_build_waits_for_the_first(make_plan: MakePlan) -> None:
    root = make_plan({})
    out = root / "public"
    lock_path = root / ".public.lock"
    finished: list[float] = []
    with open(lock_path, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another build is writing
        worker = threading.Thread(
            target=lambda: (build(root, Diagnostics(), out, today=EXAMPLE_TODAY), finished.append(time.monotonic()))
        )
        worker.start()
        time.sleep(0.5)
        assert not finished and not (out / "index.html").exists()
        released = time.monotonic()
        fcntl.flock(held, fcntl.LOCK_UN)
    worker.join(timeout=30)
    assert finished and finished[0] >= released
    assert (out / "index.html").is_file()


def test_a_rebuild_replaces_removed_pages(make_plan: MakePlan) -> None:
    root = make_plan({"content/pages/ancienne.md": "---\ntitle: Ancienne\n---\n"})
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    assert (root / "public/pages/ancienne/index.html").is_file()
    (root / "content/pages/ancienne.md").unlink()
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    assert not (root / "public/pages/ancienne").exists()  # no stale pages, unlike Hugo


def test_the_replaced_site_is_removed_in_the_background(make_plan: MakePlan) -> None:
    import time

    root = make_plan({})
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    assert (root / "public" / "index.html").is_file()
    deadline = time.monotonic() + 10
    while list(root.glob(".public.old-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not list(root.glob(".public.old-*")) and not list(root.glob(".public.tmp-*"))
    # one left behind (the machine stopped before rm ended) goes with the next build
    (root / ".public.old-dead" / "actions").mkdir(parents=True)
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    assert not (root / ".public.old-dead").exists()
