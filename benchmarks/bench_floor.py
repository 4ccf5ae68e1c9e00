"""``pacsite build`` against the plain Python floor (``floor.py``) and tuned Hugo, alternately, in one run.

    python benchmarks/bench_floor.py [--sizes 150,1500] [--runs 5] [--no-hugo]

For each size, a generated plan (search off) is built in turn by the floor
(CSafeLoader, markdown-it-py, one Jinja template, 2 processes), by a cold
``pacsite build`` (empty output, no store) and by tuned Hugo, round after
round, each command after ``os.sync()`` (``bench_ab``). It prints the
medians, their ratios and each one's peak memory: issue 17's goals are
``pacsite build`` ≤ 1.5× the floor at every size, under 400 MB at 15 000
phases. This machine's speed drifts: only ratios of one run mean something.
"""

from __future__ import annotations

import argparse
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
    args = parser.parse_args()
    hugo = None if args.no_hugo else tools()[0]
    lines = [f"Median of {args.runs} alternated runs; peak MB of the largest process (wait4).", "",
             "| phases | floor | pacsite cold | ÷ floor | Hugo tuned | ÷ floor | peak MB floor / pacsite |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            plan = Path(tmp) / f"plan-{size}"
            generate(plan, size)
            config = plan / "pacsite.yaml"
            config.write_text(config.read_text(encoding="utf-8") + "search: false\n", encoding="utf-8")
            (plan / "hugo.toml").write_text(HUGO_CONFIG.format(
                content=plan / "content", layouts=REPO / "benchmarks" / "hugo" / "layouts", out=plan / "hugo",
                extra='disableKinds = ["taxonomy", "term", "RSS", "sitemap"]', tuned="true"), encoding="utf-8")
            times: dict[str, list[Run]] = {"floor": [], "pacsite": [], "hugo": []}
            for _ in range(args.runs):
                for name in ("floor", "pacsite", "hugo"):
                    for folder in ("floor-out", "public", ".pacsite-cache", "hugo"):
                        shutil.rmtree(plan / folder, ignore_errors=True)
                    if name == "floor":
                        times[name].append(run([sys.executable, str(FLOOR), str(plan), str(plan / "floor-out")], plan))
                    elif name == "pacsite":
                        times[name].append(run([sys.executable, "-m", "pacsite", "build", "--today", TODAY,
                                                "--no-cache"], plan))
                    elif hugo is not None:
                        times[name].append(run([str(hugo), "--config", str(plan / "hugo.toml"), "--quiet"], plan))
            medians = {name: statistics.median(r.seconds for r in runs) for name, runs in times.items() if runs}
            peak = {name: max(r.peak_mb for r in runs) for name, runs in times.items() if runs}
            floor = medians["floor"]
            hugo_cells = (f"{medians['hugo']:.2f} s | {medians['hugo'] / floor:.2f}" if "hugo" in medians
                          else "not run | ")
            lines.append(f"| {size:,} | {floor:.2f} s | {medians['pacsite']:.2f} s | {medians['pacsite'] / floor:.2f} |"
                         f" {hugo_cells} | {peak['floor']:.0f} / {peak['pacsite']:.0f} |".replace(",", "\u202f"))
            print(lines[-1], file=sys.stderr, flush=True)
            shutil.rmtree(plan, ignore_errors=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
