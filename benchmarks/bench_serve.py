"""Save-to-HTML latency of the live preview (``make bench``).

For the example plan and a generated plan of 1 500 phases: a body edit, a
budget edit and a title edit of one phase, saved through a temporary file
renamed over the original (as most editors do). Two clocks: until the
phase's HTML on disk shows the change (what the person editing sees), and
until the whole build is done (every page and download). Median of N runs.
Real watchdog, real debounce (its 20 ms of quiet after a rename count).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from pacsite.serve.live import LiveState, make_builder, start_watching  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def save(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp~")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def measure(root: Path, phase: Path, page: Path, runs: int) -> dict[str, tuple[float, float, float]]:
    """Return, for each kind of edit, the median seconds from save to the phase's HTML on
    disk, to every page it changes on disk (family, tables, totals), and to the end of the
    whole build (the downloads too)."""
    state = LiveState()
    builder = make_builder(root, state, poll=False, today=date(2027, 6, 30))
    builder.build_once()
    observer = start_watching(root, builder, poll=False)
    loop = threading.Thread(target=builder.run, daemon=True)
    loop.start()
    original = phase.read_text(encoding="utf-8")
    results: dict[str, tuple[float, float, float]] = {}
    try:
        for kind in ("body", "budget", "title"):
            to_page, to_pages, to_site = [], [], []
            for run in range(runs):
                marker = f"Mesure{kind}{run}x"
                if kind == "body":
                    text, expect = original + f"\n\n{marker}\n", marker
                elif kind == "budget":
                    text = re.sub(r"(?m)^budget:.*$", f"budget: {5000 + run}", original, count=1)
                    expect = f"5\u202f{run:03d},00"
                else:
                    text = re.sub(r'(?m)^title: ("?)', rf"title: \g<1>{marker} ", original, count=1)
                    expect = marker
                builds = state.builds
                started = time.perf_counter()
                save(phase, text)
                deadline = started + 120
                while time.perf_counter() < deadline:
                    try:
                        if expect in page.read_text(encoding="utf-8"):
                            break
                    except OSError:
                        pass
                    time.sleep(0.001)
                to_page.append(time.perf_counter() - started)
                while state.builds == builds and time.perf_counter() < deadline:
                    time.sleep(0.001)
                to_site.append(time.perf_counter() - started)
                to_pages.append(builder.pages_at - started if builder.pages_at > started else to_site[-1])
                time.sleep(0.1)  # an idle moment between saves, as between keystrokes and Ctrl-S
            results[kind] = (statistics.median(to_page), statistics.median(to_pages), statistics.median(to_site))
    finally:
        save(phase, original)
        builder.stop.set()
        observer.stop()
        observer.join(5)
        loop.join(120)  # let a running build end before the folder is removed
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        example = Path(tmp) / "example"
        shutil.copytree(REPO / "content", example / "content")
        shutil.copy(REPO / "pacsite.yaml", example / "pacsite.yaml")
        big = Path(tmp) / "gen-1500"
        generate(big, 1500)
        plans = (("example, 54 phases", example, "content/actions/06-supports-contractuels/03-autres-documents.md",
                  "public/actions/supports-contractuels/autres-documents/index.html"),
                 ("generated, 1 500 phases", big, "content/actions/01-famille-1/0001-phase-1.md",
                  "public/actions/famille-1/phase-1/index.html"))
        for name, root, phase, page in plans:
            results = measure(root, root / phase, root / page, args.runs)
            for kind, (page_s, pages_s, site_s) in results.items():
                print(f"{name}, {kind} edit: median {page_s * 1000:.0f} ms from save to the phase's HTML, "
                      f"{pages_s * 1000:.0f} ms to every page it changes, {site_s * 1000:.0f} ms to the downloads "
                      f"too ({args.runs} runs)")
            cells = [" / ".join(f"{results[k][i] * 1000:.0f}" for k in results) + " ms" for i in range(3)]
            rows.append(f"| {name} | {' / '.join(results)} | {' | '.join(cells)} |")
    day = date.today().isoformat()
    section = (f"{SECTION}\n\nMeasured by `benchmarks/bench_serve.py --runs {args.runs}` on {day}: "
               "the real watcher and debounce, medians from a save (a temporary file renamed over the phase) "
               "to the phase's HTML on disk, to every page the edit changes on disk, and to the end of the "
               "build (downloads and the compact search index too).\n\n"
               "| plan | edit | save → the phase's HTML | → every page it changes | → the downloads too |\n"
               "|---|---|---:|---:|---:|\n" + "\n".join(rows) + "\n")
    results_file = REPO / "benchmarks" / "RESULTS.md"
    before = results_file.read_text(encoding="utf-8") if results_file.exists() else "# Benchmarks\n"
    results_file.write_text(before.split(f"\n{SECTION}")[0].rstrip("\n") + "\n\n" + section, encoding="utf-8")


SECTION = "## Live preview"


if __name__ == "__main__":
    main()
