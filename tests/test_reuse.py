"""``pacsite build`` with its store (``.pacsite-cache``): a warm build gives the bytes of a cold one.

Each test edits a plan the way a user does, builds it warm (with the store
the previous build left) and cold (no store), and compares every file. The
store is refused when it could hold someone else's pages: tracked by git, a
link, damaged.
"""

from __future__ import annotations

import functools
import os
import pickle
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pacsite.build import build
from pacsite.cli import main
from pacsite.errors import Diagnostics
from pacsite.output.write import MARKER
from pacsite.reuse import CACHE_DIR, DELTA, PACK, PAGES, Reuse, read_dict
from tests.conftest import EXAMPLE_TODAY, REPO, MakePlan

PHASE = "content/actions/01-etudes/01-clients.md"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a built site but its marker (a new build id each time)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != MARKER}


MADE: list[int] = []  # results other than pages the last warm build made (phases, downloads)


def warm_and_cold(root: Path, today: object = EXAMPLE_TODAY) -> tuple[int | None, dict[str, bytes]]:
    """Build ``root`` with its store and without; assert both sites are the same; return the pages rendered."""
    diagnostics = Diagnostics()
    reuse = Reuse.open(root / CACHE_DIR, root, lambda m: diagnostics.warning(CACHE_DIR, None, None, m))
    try:
        report = build(root, diagnostics, root / "warm", today=today, reuse=reuse)  # type: ignore[arg-type]
    finally:
        reuse.close()
    MADE[:] = [reuse.made]
    assert not diagnostics.has_errors(), diagnostics.render()
    build(root, Diagnostics(), root / "cold", today=today)  # type: ignore[arg-type]
    warm, cold = snapshot(root / "warm"), snapshot(root / "cold")
    assert warm.keys() == cold.keys()
    differ = [rel for rel in warm if warm[rel] != cold[rel]]
    assert differ == [], f"the warm build differs from the cold one in {differ[:5]}"
    return report.rendered, warm


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_warm_build_renders_what_changed_and_gives_the_same_bytes(make_plan: MakePlan) -> None:
    root = make_plan({
        "content/actions/01-etudes/02-concurrents.md": """
            ---
            title: Concurrents
            budget: 500
            start: 2027-02-01
            end: 2027-02-28
            ---
            Qui vend quoi.
            """,
    })
    first, _ = warm_and_cold(root)
    assert first is not None and first > 0
    again, _ = warm_and_cold(root)
    assert again == 0  # nothing changed: every page comes from the store
    edit(root / PHASE, "Texte.", "Un autre texte.")
    assert warm_and_cold(root)[0] == 1  # the body shows on its own page only
    # the phase validated again, alone; figures, warnings and downloads read no text: kept
    # (pages are laid out again, not kept on disk: quicker made than read back)
    assert MADE == [1]
    edit(root / PHASE, "budget: 1000", "budget: 1200")
    after_budget, site = warm_and_cold(root)
    assert after_budget is not None and 1 < after_budget < first
    assert MADE == [4]  # the phase, its family's figures, warnings and share of the downloads
    assert re.search("1[\u00a0\u202f]200", site["budget/index.html"].decode())


def test_a_budget_edit_renders_its_phase_page_not_its_siblings(tmp_path: Path) -> None:
    """A phase page shows its own figures and its neighbours' titles: a budget edit leaves the others stored."""
    root = tmp_path / "plan"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    warm_and_cold(root)
    family = root / "content/actions/01-etudes-de-marche"
    phase = sorted(family.glob("0*.md"))[1]
    text = phase.read_text(encoding="utf-8")
    budget = re.search(r"(?m)^budget_prevu: *(\d+)", text)
    assert budget is not None
    edit(phase, budget.group(0), f"budget_prevu: {int(budget.group(1)) + 7}")
    started = time.time_ns()
    warm_and_cold(root)
    pages = sorted((root / "warm/actions/etudes-de-marche").glob("*/index.html"))
    assert len(pages) == len(list(family.glob("0*.md"))) > 2
    rendered = {p.parent.name for p in pages if p.stat().st_mtime_ns >= started}
    assert rendered == {phase.stem.split("-", 1)[1]}, rendered


def test_a_warm_build_renders_one_row_of_each_table_and_lays_out_one_family_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store keeps the tables' rows' HTML (``Fragments``) and the family pages are made by the workers only
    when not stored: after a budget edit, each table renders the edited row alone, one family page is made."""
    from pacsite.output import parallel
    from pacsite.render.page import Fragments
    from pacsite.site import pages

    root = tmp_path / "plan"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    warm_and_cold(root)
    rows: dict[str, int] = {}
    made: list[str] = []
    kept, make_page = Fragments.__call__, pages.family_page

    def counted(self: Fragments, *key: object, caller: object) -> object:
        def rendered() -> object:
            rows[str(key[0])] = rows.get(str(key[0]), 0) + 1
            return caller()  # type: ignore[operator]
        return kept(self, *key, caller=rendered)

    @functools.wraps(make_page)  # its name is part of its key
    def family_page(head: object, *rest: object) -> object:
        made.append(head.slug)  # type: ignore[attr-defined]
        return make_page(head, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(Fragments, "__call__", counted)
    monkeypatch.setattr(pages, "family_page", family_page)
    monkeypatch.setattr(parallel, "workers", lambda *args: 1)  # rendered here, where the counters are
    phase = sorted((root / "content/actions/01-etudes-de-marche").glob("0*.md"))[1]
    budget = re.search(r"(?m)^budget_prevu: *(\d+)", phase.read_text(encoding="utf-8"))
    assert budget is not None
    edit(phase, budget.group(0), f"budget_prevu: {int(budget.group(1)) + 7}")
    diagnostics = Diagnostics()
    reuse = Reuse.open(root / CACHE_DIR, root, lambda m: diagnostics.warning(CACHE_DIR, None, None, m))
    try:
        build(root, diagnostics, root / "warm", today=EXAMPLE_TODAY, reuse=reuse)
    finally:
        reuse.close()
    assert made == ["etudes-de-marche"]  # laid out by the worker that renders it: no other family's
    # each table that lists the phase renders its row again, and only it; the whole site is still
    # the same as a clean build's
    assert rows.get("plan-row") == 1 and rows.get("family-row") == 1, rows
    assert all(count <= 2 for name, count in rows.items() if name.endswith("-row")), rows
    monkeypatch.undo()
    assert warm_and_cold(root)[0] == 0


@pytest.mark.slow
@pytest.mark.parametrize("change", [
    "title", "new phase", "removed phase", "family", "people", "objective", "settings", "theme", "today",
    "project template", "row template",
])
def test_every_kind_of_edit_gives_the_bytes_of_a_cold_build(tmp_path: Path, change: str) -> None:
    root = tmp_path / "plan"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    if change in ("theme", "row template"):  # a theme of the plan's own: its templates are inputs like any file
        shutil.copytree(REPO / "themes" / "default", root / "mytheme")
        with open(root / "pacsite.yaml", "a", encoding="utf-8") as stream:
            stream.write("\ntheme: ./mytheme\n")
    warm_and_cold(root)
    family = root / "content/actions/01-etudes-de-marche"
    phase = sorted(family.glob("0*.md"))[0]
    today = EXAMPLE_TODAY
    if change == "title":
        edit(phase, "title: ", "title: Nouveau titre — ")
    elif change == "new phase":
        (family / "99-nouvelle.md").write_text("---\ntitle: Nouvelle\nbudget: 10\nstart: 2027-03-01\n---\nTexte.\n",
                                               encoding="utf-8")
    elif change == "removed phase":
        phase.unlink()
    elif change == "family":
        edit(family / "_index.md", "title: ", "title: Famille renommée — ")
    elif change == "people":
        people = root / "content/people.yaml"
        text = people.read_text(encoding="utf-8")
        first_name = text.split("name:", 1)[1].split("\n", 1)[0].strip()
        edit(people, first_name, "Quelqu'un d'autre")
    elif change == "objective":
        objective = sorted((root / "content/objectives").glob("*.md"))[0]
        edit(objective, "title: ", "title: Objectif renommé — ")
    elif change == "settings":
        edit(root / "pacsite.yaml", "warning: 0.05", "warning: 0.02")
    elif change == "theme":
        end = "</section>\n{% endblock %}"
        edit(root / "mytheme/templates/phase.html", end, "<p>pied ajouté</p>" + end)
    elif change == "today":
        today = EXAMPLE_TODAY.replace(year=EXAMPLE_TODAY.year + 1)
    elif change == "row template":  # the table rows' HTML the store keeps is made by the template
        edit(root / "mytheme/templates/plan.html", "}}\">{{ r.phase.start|date_short }}</td>",
             "}}\">début {{ r.phase.start|date_short }}</td>")
    elif change == "project template":  # templates/ in the plan shadows the theme's (it was not in the key)
        (root / "templates").mkdir()
        (root / "templates/page.html").write_text(
            '{% extends "theme/page.html" %}{% block content %}<p>Gabarit</p>{{ super() }}{% endblock %}\n')
    rendered, site = warm_and_cold(root, today)
    assert rendered, "an edit that shows renders some page again"
    if change == "row template":
        assert site["plan/index.html"].count("début".encode()) > 10
    if change == "theme":
        assert b"pied ajout" in next(v for k, v in site.items() if k.startswith("actions/") and k.count("/") == 3)


def test_the_cli_keeps_its_store_in_the_plan_and_no_cache_keeps_none(make_plan: MakePlan) -> None:
    root = make_plan({})
    assert main(["build", str(root), "--no-cache"]) == 0
    assert not (root / CACHE_DIR).exists()
    assert main(["build", str(root)]) == 0
    store = root / CACHE_DIR
    assert (store / ".gitignore").read_text().splitlines()[-1] == "*"  # never committed by mistake
    assert (store / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (store / PACK).is_file() and any((store / PAGES).iterdir())
    elsewhere = root.parent / "ci-cache"
    assert main(["build", str(root), "--cache", str(elsewhere)]) == 0
    assert (elsewhere / PACK).is_file()


def _git(root: Path, *args: str) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(root), "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@b.c",
           "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@b.c"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _poison(store: Path) -> None:
    """Put a script in every stored page, keeping sizes (as a hostile commit would)."""
    for page in (store / PAGES).iterdir():
        data = page.read_bytes()
        evil = b"<script>steal()</script>"
        page.write_bytes(evil + data[len(evil):])


def test_a_store_committed_to_git_is_not_used(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({})
    _git(root, "init", "-q")
    assert main(["build", str(root)]) == 0
    _poison(root / CACHE_DIR)
    _git(root, "add", "-f", CACHE_DIR)  # a pull request adds the folder its .gitignore hides
    _git(root, "commit", "-q", "-m", "store")
    capsys.readouterr()
    assert main(["build", str(root)]) == 0
    err = capsys.readouterr().err
    assert "non utilisé" in err and "git suit des fichiers" in err
    assert not any(b"steal()" in data for data in snapshot(root / "public").values())


def test_a_store_that_is_a_link_is_not_used(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({})
    target = root.parent / "elsewhere"
    target.mkdir()
    (root / CACHE_DIR).symlink_to(target)
    assert main(["build", str(root)]) == 0
    assert "c'est un lien" in capsys.readouterr().err
    assert list(target.iterdir()) == []  # nothing written through the link


def test_a_folder_that_is_not_a_cache_is_left_alone(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({})
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert main(["build", str(root), "--cache", str(root)]) == 0  # the plan's own folder, by mistake
    assert "autre chose qu'un cache" in capsys.readouterr().err
    assert not (root / ".gitignore").exists() and not (root / "CACHEDIR.TAG").exists()
    after = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert [p for p in after if p.parts[0] not in ("public", ".public.lock")] == before


@pytest.mark.slow  # seven builds
def test_a_damaged_pack_is_an_empty_store(make_plan: MakePlan) -> None:
    root = make_plan({})
    warm_and_cold(root)
    for name in (PACK, DELTA):
        for damage in (b"", b"garbage", (root / CACHE_DIR / name).read_bytes()[:100]):
            (root / CACHE_DIR / name).write_bytes(damage)
            rendered, _ = warm_and_cold(root)
            assert rendered  # everything made again, and the same bytes
            assert warm_and_cold(root)[0] == 0  # and the pack is good again


@pytest.mark.slow  # some forty builds
def test_a_warm_build_writes_what_changed_beside_the_base_of_the_pack(tmp_path: Path) -> None:
    """The pack is a base (every value and table row) and a delta on it: a one-phase edit writes the delta
    alone (the few values it made, beside the pages' list), until the delta would be a quarter of the base; a
    delta on another base (a build killed between the two writes) is left out, and its pages with it."""
    root = tmp_path / "plan"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    warm_and_cold(root)
    pack, delta = root / CACHE_DIR / PACK, root / CACHE_DIR / DELTA
    base = pack.stat().st_mtime_ns, pack.read_bytes()
    family = root / "content/actions/01-etudes-de-marche"
    phase = sorted(family.glob("0*.md"))[1]
    for amount in (1001, 1002):
        edit(phase, re.search(r"(?m)^budget_prevu: *\d+", phase.read_text(encoding="utf-8")).group(0),  # type: ignore[union-attr]
             f"budget_prevu: {amount}")
        rendered, _ = warm_and_cold(root)  # the same bytes as a cold build
        assert rendered is not None and 0 < rendered < 20  # the page, its family, the plan-wide pages
        assert (pack.stat().st_mtime_ns, pack.read_bytes()) == base
        made = delta_values(delta)  # the phase, its family's figures, warnings and downloads: not the 51 others
        assert 0 < len(made) <= 6 < len(base_values(pack)) / 4, sorted(type(v).__name__ for v in made.values())
    assert warm_and_cold(root)[0] == 0  # base and delta read back: nothing to render
    for page in range(40):  # edit after edit: the delta grows, and a new base takes it in
        edit(phase, re.search(r"(?m)^budget_prevu: *\d+", phase.read_text(encoding="utf-8")).group(0),  # type: ignore[union-attr]
             f"budget_prevu: {2000 + page}")
        (family / f"9{page:02d}-phase-{page}.md").write_text(
            f"---\ntitle: Phase {page}\nbudget: {page}\nstart: 2027-03-01\n---\n", encoding="utf-8")
        warm_and_cold(root)
        if pack.read_bytes() != base[1]:
            break
    assert pack.read_bytes() != base[1], "the delta never became a new base"
    assert len(delta_values(delta)) < len(base_values(pack)) / 4
    head = pickle.loads(delta.read_bytes())
    head["base"] = "another"
    delta.write_bytes(pickle.dumps(head) + pickle.dumps({}))
    rendered, _ = warm_and_cold(root)
    assert rendered is not None and rendered > 50  # the pages of that delta: not trusted, made again


def delta_values(delta: Path) -> dict[str, object]:
    """The values a delta holds (after its head)."""
    with delta.open("rb") as stream:
        pickle.load(stream)
        return read_dict(stream)


def base_values(pack: Path) -> dict[str, object]:
    """The values the base of a pack holds (after its head)."""
    with pack.open("rb") as stream:
        pickle.load(stream)
        return read_dict(stream)


def test_a_warm_build_patches_the_site_before_the_last(make_plan: MakePlan, monkeypatch: pytest.MonkeyPatch) -> None:
    """The site a build swaps out is kept in the store; the next build renames it to its staging folder and
    changes what differs, and every build gives a cold build's bytes: pages, downloads, static files and
    attachments added, edited and removed. A spare that is not the one the store recorded is not used."""
    from pacsite.output import write

    used: list[bool] = []
    recycled = write._recycled

    @functools.wraps(recycled)
    def spy(out: Path, recycle: write.Recycle) -> Path | None:
        staging = recycled(out, recycle)
        used.append(staging is not None)
        return staging

    monkeypatch.setattr(write, "_recycled", spy)
    second = "content/actions/01-etudes/02-concurrents.md"
    root = make_plan({
        second: "---\ntitle: Concurrents\nbudget: 500\nstart: 2027-02-01\nend: 2027-02-28\n---\nQui vend quoi.\n",
        "content/actions/01-etudes/03-prix.md": "---\ntitle: Prix\nbudget: 200\nstart: 2027-03-01\n---\nGrille.\n",
        "static/charte.css": "body { color: navy; }\n",
    })
    family = root / "content/actions/01-etudes"
    edits = [
        lambda: None,  # the first build: no site before it
        lambda: edit(root / PHASE, "budget: 1000", "budget: 4321"),  # no spare yet: the first site was swapped in
        lambda: edit(root / second, "budget: 500", "budget: 1234"),  # patches the first site
        lambda: (family / "03-prix.md").unlink(),  # a page gone, and the rows that listed it
        lambda: (family / "09-nouvelle.md").write_text("---\ntitle: Nouvelle phase\nbudget: 10\n---\nTexte.\n",
                                                       encoding="utf-8"),
        lambda: (root / "static/charte.css").unlink(),  # a static file gone
        lambda: (root / "static/charte.css").write_text("body { color: teal; }\n", encoding="utf-8"),
    ]
    for step, change in enumerate(edits):
        change()
        warm_and_cold(root)  # the same bytes as a cold build, and no other file
        assert used == [False, False, *[True] * (step - 1)][:step + 1], step  # no spare before the third build
    spare = root / CACHE_DIR / "site"
    (spare / ".pacsite-output").write_text("another build\n")  # not the site the store recorded
    edit(root / second, "budget: 1234", "budget: 1235")
    warm_and_cold(root)
    assert used[-1] is False and spare.is_dir()  # made anew; the site swapped out is the spare now


def test_a_page_changed_in_place_through_the_output_is_not_reused(make_plan: MakePlan) -> None:
    root = make_plan({})
    warm_and_cold(root)
    page = root / "warm/index.html"  # hard-linked with its copy in the store
    with open(page, "r+b") as stream:
        stream.write(b"<!-- changed -->")
    rendered, site = warm_and_cold(root)
    assert rendered == 1 and not site["index.html"].startswith(b"<!-- changed")


def test_a_second_build_at_the_same_time_builds_without_the_store(make_plan: MakePlan) -> None:
    root = make_plan({})
    first = Reuse.open(root / CACHE_DIR, root, lambda m: None)
    try:
        second = Reuse.open(root / CACHE_DIR, root, lambda m: None)
        assert first.active and not second.active
    finally:
        first.close()
    third = Reuse.open(root / CACHE_DIR, root, lambda m: None)
    assert third.active
    third.close()


def test_a_store_of_other_code_is_not_reused(make_plan: MakePlan) -> None:
    root = make_plan({})
    warm_and_cold(root)
    reuse = Reuse.open(root / CACHE_DIR, root, lambda m: None)
    assert reuse.warm
    reuse.close()
    pack = root / CACHE_DIR / PACK
    pack.write_bytes(pack.read_bytes().replace(reuse.namespace.encode(), b"0" * len(reuse.namespace)))
    reuse = Reuse.open(root / CACHE_DIR, root, lambda m: None)
    assert not reuse.warm
    reuse.close()


@pytest.mark.slow
def test_a_large_plan_rendered_by_workers_gives_the_same_bytes_warm(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate  # type: ignore[import-not-found]

    root = tmp_path / "plan"
    generate(root, 400, families=4, words=40)
    first, _ = warm_and_cold(root)
    assert first is not None and first > 400
    phases = sorted((root / "content/actions").glob("*/0*.md"))
    edit(phases[3], "## Détail", "## Détail revu")  # a body: its page alone
    assert warm_and_cold(root)[0] == 1
    text = phases[200].read_text(encoding="utf-8")
    phases[200].write_text(re.sub(r"(?m)^budget:.*$", "budget: 777", text, count=1), encoding="utf-8")
    rendered, _ = warm_and_cold(root)
    # its own page (the others of its family show its title, not its figures), its family's, the tables
    assert rendered is not None and 5 < rendered < 15


@pytest.mark.slow  # long replays: a warm and a cold build after each edit
@pytest.mark.parametrize("seed", [5, 77, 2028])
def test_random_edit_sequences_built_warm_equal_a_cold_build(tmp_path: Path, seed: int) -> None:
    """Every kind of edit the live preview's replay makes (tests/test_incremental.py), built warm and cold."""
    import random

    from pacsite.errors import PacsiteError
    from tests.test_incremental import edit as random_edit
    from tests.test_incremental import save

    root = tmp_path / "plan"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "pacsite.yaml", root / "pacsite.yaml")
    warm_and_cold(root)
    rng = random.Random(seed)
    for step in range(12):
        kind, touched = random_edit(root, rng, step)
        if kind == "break":  # both refuse it, and the store is left as it was
            for folder in ("warm", "cold"):
                reuse = Reuse.open(root / CACHE_DIR, root, lambda m: None) if folder == "warm" else Reuse()
                with pytest.raises(PacsiteError):
                    build(root, Diagnostics(), root / folder, today=EXAMPLE_TODAY, reuse=reuse)
                reuse.close()
            save(touched[0], touched[0].read_text(encoding="utf-8").replace("title: [\n", "", 1))
        warm_and_cold(root)


@pytest.mark.slow  # real processes
def test_a_second_process_reuses_the_first_ones_pages(make_plan: MakePlan) -> None:
    """Keys are the same from one process to the next (another hash seed, other object addresses)."""
    root = make_plan({})

    def run(seed: str) -> dict[str, int]:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "pacsite", "build", str(root)], check=True, capture_output=True,
                       env=env, cwd=REPO)
        return {rel: (root / "public" / rel).stat().st_ino for rel in snapshot(root / "public")
                if rel.endswith(".html")}

    first, second = run("1"), run("2")
    assert first == second  # every page is the file the first build stored, linked again
    stored = {p.stat().st_ino for p in (root / CACHE_DIR / PAGES).iterdir()}
    assert set(second.values()) <= stored


_KEYS = """
import sys
from pathlib import Path
from pacsite.build import read_settings
from pacsite.errors import Diagnostics
from pacsite.load.families import validate_phase
from pacsite.load.loader import link_plan, read_plan
root, d = Path(sys.argv[1]), Diagnostics()
files = read_plan(root, d, read_settings(root, d, None), keyed=True)
plan = link_plan(files, [validate_phase(f) for f in files.phases], d)
print(*[f.digest for f in files.phases], *[f.digest + f.digest_without_body for f in plan.families])
"""


def test_the_keys_are_the_same_in_every_process() -> None:
    """A key that depends on the process (the order of a set, which changes with its hash seed) would make
    every warm build of ``pacsite build`` a cold one, each in a process of its own: the keys of two processes
    with two hash seeds are the same."""
    keys = [subprocess.run([sys.executable, "-c", _KEYS, str(REPO)], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout.split() for seed in ("1", "2")]
    assert len(keys[0]) > 20 and all(keys[0])
    assert keys[0] == keys[1]


def test_the_libraries_versions_are_the_ones_python_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store's namespace names each library's version (another version may render otherwise), read from
    the installers' folders: what importlib.metadata says, the first on the path winning, old eggs too."""
    from importlib import metadata

    from pacsite.reuse import LIBRARIES, library_versions

    installed = {name: metadata.version(name) for name in LIBRARIES}
    assert library_versions() == installed
    (tmp_path / "Jinja2-9.9.dist-info").mkdir()
    (tmp_path / "PyYAML-6.0-py3.11.egg-info").mkdir()
    (tmp_path / "markdown_it_py-.dist-info").mkdir()  # no version: not one
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    found = library_versions()
    assert (found["jinja2"], found["pyyaml"]) == ("9.9", "6.0")
    assert found["markdown-it-py"] == installed["markdown-it-py"]
