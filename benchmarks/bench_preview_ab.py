"""Compare the live preview of two checkouts in process, alternately (``bench_serve.py`` is the real watcher).

    python benchmarks/bench_preview_ab.py OLD_CHECKOUT [NEW_CHECKOUT] [--phases 1500] [--rounds 3]

Each round runs each checkout in its own process (its sources first on the
path): a generated plan built once by the preview, then ten saves of one
phase for each kind of edit (body, budget, title), each followed by the
preview's ``rebuild``. It prints, per checkout, the median time from the
save to the pages on disk, the median over the rounds. No watcher and no
debounce: what is left is the build itself, steadier than ``bench_serve``
on a noisy machine (±5 ms here, where ``bench_serve`` moves by ±20 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EDITS = ("body", "budget", "title")

ONE_RUN = r"""
import json, re, statistics, sys, tempfile, time
from datetime import date
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from generate import generate
from pacsite.errors import Diagnostics
from pacsite.serve.preview import rebuild
from pacsite.serve.session import Session

root = Path(tempfile.mkdtemp()) / "plan"
generate(root, int(sys.argv[2]))
session, today = Session(), date(2027, 6, 30)
rebuild(root, Diagnostics(), None, today, session, on_pages=lambda changed: None)
phase = sorted((root / "content/actions").glob("01-*/0001-*.md"))[0]
original = phase.read_text(encoding="utf-8")
out = {}
for kind in ("body", "budget", "title"):
    times = []
    for run in range(10):
        if kind == "budget":
            text = re.sub(r"(?m)^budget:.*$", f"budget: {5000 + run}", original, count=1)
        elif kind == "title":
            text = re.sub(r'(?m)^title: ("?)', rf"title: \g<1>M{run} ", original, count=1)
        else:
            text = original + f"\n\nM{run}\n"
        phase.write_text(text, encoding="utf-8")
        session.changes([phase])
        marks = []
        started = time.perf_counter()
        rebuild(root, Diagnostics(), None, today, session, on_pages=lambda changed: marks.append(time.perf_counter()))
        times.append((marks[0] - started) * 1000)
    out[kind] = statistics.median(times)
print(json.dumps(out))
"""


def one_run(checkout: Path, phases: int) -> dict[str, float]:
    """One process of ``checkout``: the medians of ten saves of each kind, in ms."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    done = subprocess.run([sys.executable, "-c", ONE_RUN, str(REPO / "benchmarks"), str(phases)], env=env,
                          cwd=checkout, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path, nargs="?", default=REPO)
    parser.add_argument("--phases", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    checkouts = {"old": args.old.resolve(), "new": args.new.resolve()}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in checkouts}
    for _ in range(args.rounds):
        for name, checkout in checkouts.items():
            runs[name].append(one_run(checkout, args.phases))
    print(f"{args.phases} phases, save to the pages on disk, median of {args.rounds} alternated rounds of 10 saves")
    for name, checkout in checkouts.items():
        medians = {kind: statistics.median(r[kind] for r in runs[name]) for kind in EDITS}
        print(f"{name} ({checkout}): " + " / ".join(f"{kind} {medians[kind]:.0f} ms" for kind in EDITS))


if __name__ == "__main__":
    main()
