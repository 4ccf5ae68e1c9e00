"""Each page says when its file last changed and by whom; the home page lists the latest commits.

From one `git log` for the whole build; nothing is shown (and nothing fails)
outside a repository or in a shallow clone.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pacsite.build import build
from pacsite.errors import Diagnostics
from pacsite.load import history
from tests.conftest import EXAMPLE_TODAY, write_plan
from tests.test_diff import BASE, commit, git
from tests.test_quality import VNU, needs_vnu

PHASE = "content/actions/01-salons/01-lyon.md"


def as_author(repo: Path, name: str, message: str, day: str) -> None:
    git(repo, "add", "-A")
    subprocess.run(["git", "-c", f"user.name={name}", "-c", "user.email=x@example.org", "commit", "-q", "-m",
                    message, "--date", day], cwd=repo, check=True, capture_output=True,
                   env={"GIT_COMMITTER_DATE": day, "PATH": "/usr/bin:/bin", "HOME": str(repo)})


def repository(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    root = write_plan(repo, BASE)
    (root / "pacsite.yaml").write_text("repository:\n  url: https://git.example/pac\n"
                                       "  edit_url: https://git.example/pac/edit/main/\n")
    git(repo, "init", "-q")
    as_author(repo, "Claire Martin", "Plan 2027 : première version", "2027-01-04T09:00:00+01:00")
    lyon = root / PHASE
    lyon.write_text(lyon.read_text().replace("budget: 1000", "budget: 1200"))
    as_author(repo, "Julien Roche", "Salon de Lyon : budget relevé", "2027-02-15T10:30:00+01:00")
    return root


def processes(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record every command run through subprocess.run from now on (git's, here)."""
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(args: list[str], **kwargs: Any) -> Any:
        calls.append(args)
        return real_run(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting_run)
    return calls


def page(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_pages_say_when_and_who_and_the_history_page_lists_the_commits(tmp_path: Path) -> None:
    root = repository(tmp_path)
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    site = root / "public"
    lyon = page(site, "actions/salons/lyon/index.html")
    assert "Modifié le 15\u00a0février\u00a02027 par Julien Roche" in lyon
    assert 'href="https://git.example/pac/edit/main/content/actions/01-salons/01-lyon.md"' in lyon
    assert "Modifié le 4\u00a0janvier\u00a02027 par Claire Martin" in page(site, "actions/salons/paris/index.html")
    assert "Modifié le 4\u00a0janvier\u00a02027 par Claire Martin" in page(site, "actions/salons/index.html")
    # the commits are on the history page (linked from the home page and every page's footer), not the home page
    home = page(site, "index.html")
    assert "Salon de Lyon\u00a0: budget relevé" not in home and 'href="modifications/index.html"' in home
    assert 'href="../../../modifications/index.html">Historique des modifications</a>' in lyon
    changes = page(site, "modifications/index.html")
    first, second = changes.index("Salon de Lyon\u00a0: budget relevé"), changes.index("Plan 2027\u00a0: première")
    assert first < second  # newest first
    # each: its date first, the pages it changed, then its message and author, and the link to the commit
    entry = changes[changes.rindex("<li>", 0, first):first + 400]
    assert entry.index('<strong class="date">15\u00a0février\u00a02027</strong>') \
        < entry.index('href="../actions/salons/lyon/index.html">Salon de Lyon</a>') < entry.index("budget relevé")
    assert "» — Julien Roche" in entry and '<a href="https://git.example/pac/commit/' in entry


def test_a_plain_folder_and_a_shallow_clone_show_no_history(tmp_path: Path) -> None:
    root = repository(tmp_path)
    plain = tmp_path / "plain"
    shutil.copytree(root, plain, ignore=shutil.ignore_patterns(".git"))
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(shallow)], check=True,
                   capture_output=True)
    for folder in (plain, shallow):
        assert not history.read(folder)
        build(folder, Diagnostics(), folder / "public", today=EXAMPLE_TODAY)
        html = page(folder / "public", "actions/salons/lyon/index.html")
        assert "Modifié le" not in html and "last-change" in html  # the edit link stays: repository is set
        assert "changes-t" not in page(folder / "public", "index.html")


@pytest.mark.slow  # 500 real git commits
def test_five_hundred_commits_cost_one_git_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the time is measured by `make bench`; here, that it is one process for every file and commit
    root = repository(tmp_path)
    lyon = root / PHASE
    for n in range(498):
        lyon.write_text(lyon.read_text() + f"\nLigne {n}.\n")
        commit(root, f"édition {n}")
    calls = processes(monkeypatch)
    past = history.read(root)
    assert [c[1] for c in calls] == ["rev-parse", "log"]
    assert len(past.recent) == history.RECENT and past.files[PHASE].subject == "édition 497"
    assert past.files["content/actions/02-web/01-site.md"].subject == "Plan 2027 : première version"
    assert set(past.files) == set(BASE)  # every file of content/, none of the rest (pacsite.yaml)


@pytest.mark.slow  # the Nu checker
@needs_vnu
def test_pages_with_history_are_valid_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = repository(tmp_path)
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    pages = [root / "public" / rel for rel in ("index.html", "actions/salons/lyon/index.html",
                                               "actions/salons/index.html", "modifications/index.html")]
    done = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
                          capture_output=True, text=True, timeout=300)
    assert json.loads(done.stderr or done.stdout)["messages"] == []


def test_the_totals_after_each_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = repository(tmp_path)  # Lyon's budget 1000 → 1200 in the second commit
    paris = root / "content/actions/01-salons/02-paris.md"
    paris.write_text(paris.read_text().replace("budget: 2000", "budget: 2000\nspent: 150"))
    as_author(root, "Ana Martin", "Paris : premières dépenses", "2027-03-01T08:00:00+01:00")
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    home = page(root / "public", "index.html")
    assert 'href="modifications/index.html"' in home
    changes = page(root / "public", "modifications/index.html")
    figures = [re.sub(r"[ \n]+", " ", re.sub(r"<[^>]+>", "", p)).strip()
               for p in re.findall(r'<p class="change-figures">(.*?)</p>', changes, re.S)]
    # newest first, each commit's totals and what it changed; the first commit has no parent: no change shown
    assert figures == ["Prévu 3\u202f700,00\u00a0€ · Réalisé 350,00\u00a0€ (+150,00\u00a0€)",
                       "Prévu 3\u202f700,00\u00a0€ (+200,00\u00a0€) · Réalisé 200,00\u00a0€",
                       "Prévu 3\u202f500,00\u00a0€ · Réalisé 200,00\u00a0€"]
    assert "« Paris\u00a0: premières dépenses » — Ana Martin" in changes
    assert 'aria-labelledby="changes-t changes-d"' in changes
    # a second build reads the totals from the cache: git is asked for no tree
    calls = processes(monkeypatch)
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    assert not [c for c in calls if c[1] in ("ls-tree", "cat-file")]
    assert page(root / "public", "modifications/index.html") == changes


def test_no_changes_page_without_history(tmp_path: Path) -> None:
    root = write_plan(tmp_path / "plain", BASE)
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    assert not (root / "public/modifications").exists()
    assert "modifications/index.html" not in page(root / "public", "index.html")


def test_the_live_preview_sees_a_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A commit changes no file the watcher could report: git's HEAD log tells the preview to read history again."""
    from pacsite.serve.live import Builder, LiveState

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = repository(tmp_path)
    builder = Builder(root, root / "public", LiveState(), EXAMPLE_TODAY)
    builder.build_once()
    lyon = root / PHASE
    lyon.write_text(lyon.read_text().replace("budget: 1200", "budget: 1300"))
    builder.mark(str(lyon))
    builder.build_once()  # an edit of a file: git's history is kept (no commit since)
    assert "par Julien Roche" in page(root / "public", "actions/salons/lyon/index.html")
    as_author(root, "Léa Chambon", "Lyon : budget 1 300", "2027-03-10T11:00:00+01:00")
    lyon.write_text(lyon.read_text() + "\nUne note.\n")  # the next save, after the commit
    builder.mark(str(lyon))
    builder.build_once()
    assert not builder.state.errors
    lyon_page = page(root / "public", "actions/salons/lyon/index.html")
    assert "Modifié le 10\u00a0mars\u00a02027 par Léa Chambon" in lyon_page
    assert "(+100,00\u00a0€)" in page(root / "public", "modifications/index.html")  # the commit's figures too


def test_the_totals_of_each_commit_are_those_of_a_fresh_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commits that add, edit, break and remove files: each state's totals as if loaded on its own.

    The totals are computed from one folder moved from commit to commit,
    reading only the files each commit changed: this checks that reuse.
    """
    from pacsite.figures import compute, trend
    from pacsite.load.loader import load_plan

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = write_plan(tmp_path / "repo", BASE)
    git(root, "init", "-q")
    commit(root, "base")
    steps: list[tuple[str, dict[str, str | None]]] = [
        ("a phase added", {"content/actions/01-salons/03-nice.md": "---\ntitle: Nice\nbudget: 700\nspent: 20\n---\n"}),
        ("a budget raised", {PHASE: (root / PHASE).read_text().replace("budget: 1000", "budget: 1300")}),
        ("broken YAML", {"content/actions/01-salons/03-nice.md": "---\ntitle: [Nice\n---\n"}),
        ("fixed, and Lyon gone", {"content/actions/01-salons/03-nice.md": "---\ntitle: Nice\nbudget: 900\n---\n",
                                  PHASE: None}),
        ("a family added", {"content/actions/03-presse/_index.md": "---\ntitle: Presse\n---\n",
                            "content/actions/03-presse/01-encart.md": "---\ntitle: Encart\nbudget: 450.50\n---\n"}),
    ]
    for message, files in steps:
        for rel, text in files.items():
            if text is None:
                (root / rel).unlink()
            else:
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_text(text)
        commit(root, message)
    # not committed: the newest commit's files are read from disk, except this one (from git)
    (root / "content/actions/03-presse/01-encart.md").write_text("---\ntitle: Encart\nbudget: 99999\n---\n")
    points = trend.totals(root, history.read(root))
    assert [p.change.subject for p in points] == [m for m, _ in reversed(steps)] + ["base"]
    for point in points:
        alone = tmp_path / f"alone-{point.change.commit}"
        alone.mkdir()
        archive = subprocess.run(["git", "archive", point.change.commit], cwd=root, check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-m", "-C", str(alone)], input=archive.stdout, check=True)
        diagnostics = Diagnostics()
        figures = compute(load_plan(alone, diagnostics, EXAMPLE_TODAY))
        assert (point.planned, point.actual, point.errors) == (
            figures.totals.planned, figures.totals.actual, len(diagnostics.errors)), point.change.subject
    # by hand: base 1 000 + 2 000 + 500 = 3 500; Nice +700 = 4 200; Lyon 1 300 = 4 500; broken Nice: 3 800;
    # Nice 900 and Lyon gone: 2 000 + 500 + 900 = 3 400; the press ad: 3 850,50
    assert [p.planned for p in reversed(points)] == [Decimal(v) for v in (
        "3500.00", "4200.00", "4500.00", "3800.00", "3400.00", "3850.50")]


def test_links_to_the_git_host_never_show_a_password_and_quote_file_names(tmp_path: Path) -> None:
    """``repository.url`` with a token in it (copied from a clone command) links commits without it; a file
    name with a space or a ``#`` gives an edit link that reaches that file."""
    root = repository(tmp_path)
    (root / "pacsite.yaml").write_text("repository:\n  url: https://jeton:s3cr3t@git.example/pac.git\n"
                                       "  edit_url: https://git.example/pac/edit/main/\n")
    spaced = root / "content/actions/01-salons/03-lyon sud #2.md"
    spaced.write_text("---\ntitle: Lyon sud\nbudget: 300\n---\nTexte.\n", encoding="utf-8")
    as_author(tmp_path / "repo", "Léa Chambon", "Lyon sud", "2027-03-01T09:00:00+01:00")
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    site = root / "public"
    assert not [p for p in site.rglob("*") if p.is_file() and b"s3cr3t" in p.read_bytes()]
    assert '<a href="https://git.example/pac/commit/' in page(site, "modifications/index.html")
    links = {p.parent.name: p.read_text(encoding="utf-8") for p in (site / "actions/salons").rglob("index.html")}
    assert [name for name, html in links.items()
            if 'href="https://git.example/pac/edit/main/content/actions/01-salons/03-lyon%20sud%20%232.md"' in html]
