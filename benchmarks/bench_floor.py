"""``pacsite build`` against the plain Python floor (``floor.py``) and tuned Hugo, alternately, in one run.

    python benchmarks/bench_floor.py [--sizes 150,1500] [--runs 5] [--no-hugo] [--base CHECKOUT]

For each size, a generated plan (search off) is built in turn by the floor
(CSafeLoader, markdown-it-py, one Jinja template, 2 processes), by a cold
``pacsite build`` (empty output, no store) and by tuned Hugo, round after
round, each command after ``os.sync()`` (``bench_ab``). It prints the
medians, their ratios and each one's peak memory: issue 17's goals are
``pacsite build`` ≤ 1.5× the floor at every size, under 400 MB at 15 000
phases. This machine's speed drifts: only ratios of one run mean something.
``--base`` times another checkout's ``pacsite build`` in the same rounds
(``git worktree add /tmp/base <commit>``): before and after, side by side.
Run it with ``TMPDIR=/dev/shm`` as well: on this machine's disk, creating
1 500 folders and files costs the floor ~1 s, and that part drifts by ±30 %.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import HUGO_CONFIG, REPO, TODAY, Run, run, tools  # noqa: E402
from generate import generate  # noqa: E402

FLOOR = Path(__file__).resolve().parent / "floor.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="150,1500")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-hugo", action="store_true", help="leave Hugo out (no registry to install it from)")
    parser.add_argument("--base", type=Path, help="another checkout of pacsite, timed in the same rounds")
    args = parser.parse_args()
    base_env = None if args.base is None else {**os.environ, "PYTHONPATH": str(args.base.resolve())}
    hugo = None if args.no_hugo else tools()[0]
    lines = [f"Median of {args.runs} alternated runs; peak MB of the largest process (wait4).", "",
             "| phases | floor | pacsite cold | ÷ floor | Hugo tuned | ÷ floor | peak MB floor / pacsite |"
             + (" base cold | ÷ floor |" if base_env else ""),
             "|---:|---:|---:|---:|---:|---:|---:|" + ("---:|---:|" if base_env else "")]
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            plan = Path(tmp) / f"plan-{size}"
            generate(plan, size)
            config = plan / "pacsite.yaml"
            config.write_text(config.read_text(encoding="utf-8") + "search: false\n", encoding="utf-8")
            (plan / "hugo.toml").write_text(HUGO_CONFIG.format(
                content=plan / "content", layouts=REPO / "benchmarks" / "hugo" / "layouts", out=plan / "hugo",
                extra='disableKinds = ["taxonomy", "term", "RSS", "sitemap"]', tuned="true"), encoding="utf-8")
            times: dict[str, list[Run]] = {"floor": [], "pacsite": [], "hugo": [], "base": []}
            for _ in range(args.runs):
                for name in ("floor", "pacsite", "hugo", "base"):
                    for folder in ("floor-out", "public", ".pacsite-cache", "hugo"):
                        shutil.rmtree(plan / folder, ignore_errors=True)
                    if name == "floor":
                        times[name].append(run([sys.executable, str(FLOOR), str(plan), str(plan / "floor-out")], plan))
                    elif name == "pacsite":
                        times[name].append(run([sys.executable, "-m", "pacsite", "build", "--today", TODAY,
                                                "--no-cache"], plan))
                    elif name == "hugo" and hugo is not None:
                        times[name].append(run([str(hugo), "--config", str(plan / "hugo.toml"), "--quiet"], plan))
                    elif name == "base" and base_env is not None:
                        times[name].append(run([sys.executable, "-m", "pacsite", "build", "--today", TODAY,
                                                "--no-cache"], plan, base_env))
            medians = {name: statistics.median(r.seconds for r in runs) for name, runs in times.items() if runs}
            peak = {name: max(r.peak_mb for r in runs) for name, runs in times.items() if runs}
            floor = medians["floor"]
            hugo_cells = (f"{medians['hugo']:.2f} s | {medians['hugo'] / floor:.2f}" if "hugo" in medians
                          else "not run | ")
            base_cells = f" {medians['base']:.2f} s | {medians['base'] / floor:.2f} |" if "base" in medians else ""
            line = (f"| {size:,} | {floor:.2f} s | {medians['pacsite']:.2f} s | {medians['pacsite'] / floor:.2f} |"
                    f" {hugo_cells} | {peak['floor']:.0f} / {peak['pacsite']:.0f} |{base_cells}")
            lines.append(line.replace(",", "\u202f"))
            print(lines[-1], file=sys.stderr, flush=True)
            shutil.rmtree(plan, ignore_errors=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
