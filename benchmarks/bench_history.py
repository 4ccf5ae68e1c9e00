"""What git history costs a build (``make bench``): a plan repository of 500 commits.

The example plan, and a generated plan of 1 500 phases, each committed then
edited 499 times (one phase's budget a commit, as a year of pull requests
does). Three builds of each, median of ``--runs``:

* a plain copy of the folder (no ``.git``): no history at all;
* the repository with an empty cache: one ``git log`` for the pages' "last
  changed" lines and the home page's latest changes, and the plan's totals
  after each of the latest commits (each loaded from git's objects);
* the repository again: the totals come from ``~/.cache/pacsite``.

Search is off (Pagefind's own time varies more than what history adds).

What history adds is the difference with the plain copy. The table goes to
``benchmarks/RESULTS.md`` (section "History").
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SECTION = "## History"
_BUDGET = re.compile(r"^(budget(?:_prevu)?: *\"?)(\d+)", re.MULTILINE)


def repository(root: Path, commits: int) -> None:
    """Commit the plan in ``root``, then ``commits - 1`` budget edits, each its own commit."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.org",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.org"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "plan")
    phases = sorted(p for p in (root / "content" / "actions").glob("*/*.md")
                    if p.name != "_index.md" and _BUDGET.search(p.read_text(encoding="utf-8")))
    for number in range(1, commits):
        phase = phases[number * 7 % len(phases)]
        text = phase.read_text(encoding="utf-8")
        phase.write_text(_BUDGET.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + 10}", text, count=1),
                         encoding="utf-8")
        git("commit", "-q", "-a", "-m", f"budget {number}")


def build_seconds(root: Path, cache: Path) -> float:
    """One ``pacsite build`` in its own process (imports included), its wall time."""
    out = Path(tempfile.mkdtemp(prefix="pacsite-out-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pacsite", "build", str(root), "-o", str(out), "--today", "2027-06-30"],
                   env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    shutil.rmtree(out)
    return seconds


def measure(source: Path, commits: int, runs: int) -> tuple[float, float, float]:
    """Median seconds of (plain folder, repository with a cold cache, repository with a warm cache)."""
    with tempfile.TemporaryDirectory(prefix="pacsite-history-") as tmp:
        plain, repo = Path(tmp) / "plain", Path(tmp) / "repo"
        shutil.copytree(source, repo, ignore=shutil.ignore_patterns("public", ".git"))
        settings = repo / "pacsite.yaml"
        text = settings.read_text(encoding="utf-8") if settings.exists() else ""
        if "search:" not in text:  # Pagefind's time varies more than what history adds: left out
            settings.write_text(text + "search: false\n", encoding="utf-8")
        repository(repo, commits)
        shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
        cold, warm, bare = [], [], []
        for run in range(runs):
            cache = Path(tmp) / f"cache{run}"
            bare.append(build_seconds(plain, cache))
            cold.append(build_seconds(repo, cache))
            warm.append(build_seconds(repo, cache))
        return statistics.median(bare), statistics.median(cold), statistics.median(warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--commits", type=int, default=500)
    args = parser.parse_args()
    plans = [("example (54 phases)", REPO)]
    with tempfile.TemporaryDirectory(prefix="pacsite-gen-") as tmp:
        generated = Path(tmp) / "g1500"
        generate(generated, 1500)
        plans.append(("generated, 1 500 phases", generated))
        rows = []
        for name, source in plans:
            bare, cold, warm = measure(source, args.commits, args.runs)
            print(f"{name}: plain {bare:.2f} s, repository {cold:.2f} s (cold cache), {warm:.2f} s (warm)")
            rows.append(f"| {name} | {bare:.2f} s | {cold:.2f} s ({cold - bare:+.2f} s) | "
                        f"{warm:.2f} s ({warm - bare:+.2f} s) |")
    section = (f"{SECTION}\n\nMeasured by `benchmarks/bench_history.py --runs {args.runs}` on "
               f"{date.today().isoformat()}: `pacsite build` (its own process) of a plain folder, then of the "
               f"same plan as a git repository of {args.commits} commits, with the totals cache empty and "
               "filled.\n\n| plan | plain folder | repository, cold cache | repository, warm cache |\n"
               "|---|---:|---:|---:|\n" + "\n".join(rows) + "\n")
    results = REPO / "benchmarks" / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmarks\n"
    head, found, rest = text.partition(f"\n{SECTION}\n")
    tail = rest[rest.find("\n## "):] if found and "\n## " in rest else ""
    if not found and "\n## Live preview" in head:  # before the live preview, which bench_serve.py writes last
        head, _, live = head.partition("\n## Live preview")
        tail = "\n## Live preview" + live
    results.write_text(head.rstrip("\n") + "\n\n" + section + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
