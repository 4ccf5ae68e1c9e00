"""Build-time benchmarks: the example plan and generated plans (``make bench``).

Prints the median wall time of full builds and the output size. Speed goals
live here, not in timed tests.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from pacsite.build import build  # noqa: E402
from pacsite.errors import Diagnostics  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def timed_build(root: Path, runs: int) -> tuple[float, int, int]:
    """Return (median seconds, pages, output bytes) over ``runs`` full builds."""
    times = []
    report = None
    for _ in range(runs):
        started = time.perf_counter()
        report = build(root, Diagnostics(), root / "public", today=date(2027, 6, 30))
        times.append(time.perf_counter() - started)
    assert report is not None
    size = sum(p.stat().st_size for p in (root / "public").rglob("*") if p.is_file())
    return statistics.median(times), report.pages, size


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        example = Path(tmp) / "example"
        shutil.copytree(REPO / "content", example / "content")
        shutil.copy(REPO / "pacsite.yaml", example / "pacsite.yaml")
        seconds, pages, size = timed_build(example, 5)
        print(f"example plan: {pages} pages, {size / 1e6:.1f} MB, median build {seconds:.2f} s (5 runs)")
        for phases in (150, 1500):
            root = Path(tmp) / f"gen-{phases}"
            generate(root, phases)
            seconds, pages, size = timed_build(root, 3)
            print(f"generated {phases} phases: {pages} pages, {size / 1e6:.1f} MB, "
                  f"{size / pages / 1e3:.0f} KB/page, median build {seconds:.2f} s (3 runs)")


if __name__ == "__main__":
    main()
