"""Compare two checkouts of pacsite on the same plan, alternately, in one run (``make bench`` is absolute).

    python benchmarks/bench_ab.py OLD_CHECKOUT [NEW_CHECKOUT] [--phases 1500] [--runs 5]

For a change's before and after: ``git worktree add /tmp/before <rev>`` then
``python benchmarks/bench_ab.py /tmp/before``. Each round builds a generated
plan (search off) with one checkout then the other: a cold build into an
empty folder with no store (``.pacsite-cache``), a warm one (one phase's
budget edited, the store and the output of the cold one in place), a
steady one (edited again: the store of two builds, which keeps the site
before the last to patch, ``output.write.Recycle``), and ``pacsite
check``. This machine's speed drifts by up to 2× over
an hour: only the ratios of one run mean something, so they are printed
with the medians, next to the start-up of a bare Python.

Each command starts after ``os.sync()``: a cold build leaves ~50 MB of
pages and pack that the kernel writes back in the next seconds, and a build
started then waits on it (its folders and links: a warm build took 0.66 s,
1.49 s or 1.54 s, at random, on one plan). The writeback is the last build's
cost, which no build is timed with; a user's next build comes minutes later.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
KINDS = ("cold", "warm", "steady", "check")


def run(checkout: Path, *args: str) -> float:
    """Seconds of one ``pacsite`` command run from ``checkout``'s sources."""
    # compiled modules written and read, as for anyone who installed pacsite (else 0.1 s of compiling a build)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPATH": str(checkout)}
    os.sync()  # the last build's writes reach the disk first (see the module's docstring)
    started = time.perf_counter()
    # from the checkout's own folder: ``-m`` puts the working folder first on the path
    subprocess.run([sys.executable, "-m", "pacsite", *args], env=env, check=False, cwd=checkout,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path, nargs="?", default=REPO)
    parser.add_argument("--phases", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    checkouts = {"old": args.old.resolve(), "new": args.new.resolve()}
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan"
        generate(plan, args.phases)
        settings = plan / "pacsite.yaml"
        settings.write_text(settings.read_text(encoding="utf-8") + "search: false\n", encoding="utf-8")
        phase = sorted((plan / "content/actions").glob("01-*/0001-*.md"))[0]
        original = phase.read_text(encoding="utf-8")
        times: dict[str, dict[str, list[float]]] = {name: {kind: [] for kind in KINDS} for name in checkouts}
        floors = []
        for round_ in range(args.runs):
            for name, checkout in checkouts.items():
                out = Path(tmp) / f"out-{name}"
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(plan / ".pacsite-cache", ignore_errors=True)  # cold: no store of an earlier build
                common = ("--today", "2027-06-30")
                times[name]["cold"].append(run(checkout, "build", str(plan), "-o", str(out), *common))
                phase.write_text(re.sub(r"(?m)^budget:.*$", f"budget: {5000 + round_}", original, count=1),
                                 encoding="utf-8")
                times[name]["warm"].append(run(checkout, "build", str(plan), "-o", str(out), *common))
                phase.write_text(re.sub(r"(?m)^budget:.*$", f"budget: {6000 + round_}", original, count=1),
                                 encoding="utf-8")
                times[name]["steady"].append(run(checkout, "build", str(plan), "-o", str(out), *common))
                phase.write_text(original, encoding="utf-8")
                times[name]["check"].append(run(checkout, "check", str(plan), *common))
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            floors.append(time.perf_counter() - started)
    medians = {name: {kind: statistics.median(v) for kind, v in kinds.items()} for name, kinds in times.items()}
    floor = statistics.median(floors)
    print(f"{args.phases} phases, median of {args.runs} alternated runs; python start-up {floor:.3f} s")
    for name, checkout in checkouts.items():
        m = medians[name]
        print(f"{name} ({checkout}): cold {m['cold']:.2f} s, warm {m['warm']:.2f} s "
              f"({m['warm'] / m['cold']:.2f}× cold), steady {m['steady']:.2f} s ({m['steady'] / m['cold']:.2f}× cold), "
              f"check {m['check']:.2f} s")
    print("new ÷ old: " + ", ".join(f"{kind} {medians['new'][kind] / medians['old'][kind]:.2f}" for kind in KINDS))


if __name__ == "__main__":
    main()
