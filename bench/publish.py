"""Benchmark of issue 16: publishing on GitHub Pages after one edit, warm from the restored cache.

    .venv/bin/python bench/publish.py                          # 1,000 and 10,000 pieces, search off, then on
    .venv/bin/python bench/publish.py --sizes 10000 --search off

For every size, a site of the shared corpus is built with `ssg build`, each
build a process of its own, three ways:

- cold: no output folder, no ``.ssg-cache/``;
- warm: the same build again, nothing changed;
- publish after one edit, as the workflow runs it on a push: the site checked
  out anew at the same place (every source copied: new mtimes, new inodes),
  ``.ssg-cache/`` and ``output/`` restored with their mtimes (as the tar of
  actions/cache does), one piece edited (a line added at its end: its page,
  the feeds and the pages that show its text change, not the site's
  structure), then `ssg build`.  The checkout and
  the restore are not timed: the runner does them before ssg starts.

It prints a Markdown table, the sizes side by side, to stdout (progress to
stderr).  Issue 16 asks for the publish at 10,000 pieces, search off, to take
at most 3 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import WORK, Stopwatch, corpus_site
from bench.peers import mtimes, piece_to_edit, ssg_command

TARGET_SECONDS = {10000: 3.0}
"""The longest a publish after one edit may take, search off (issue 16)."""
RESTORED = (".ssg-cache", "output")
"""What .github/workflows/pages.yml caches: restored with their mtimes."""
MARKER = ".ssg-output"
"""ssg.write.MARKER: rewritten by every build that writes, so not counted (not imported: the benchmark must run while ssg is broken)."""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def make_site(count: int, search: bool) -> tuple[Path, Path]:
    """A fresh site of `count` pieces (the shared corpus, the theme as its layouts), and the folder for its last publish."""
    corpus = corpus_site(count)
    base = WORK / f"publish-{count}-search-{'on' if search else 'off'}"
    shutil.rmtree(base, ignore_errors=True)
    site = base / "site"
    site.mkdir(parents=True)
    for folder in ("content", "layouts"):
        shutil.copytree(corpus / folder, site / folder)
    (site / "pyproject.toml").write_text(f'[tool.ssg]\ntitle = "Bench"\nsearch = {str(search).lower()}\n', encoding="utf-8")
    return site, base / "pushed"


def timed_build(site: Path) -> float:
    with Stopwatch() as watch:
        subprocess.run([*ssg_command(), "build", "-s", str(site), "-q"], check=True, stdin=subprocess.DEVNULL)
    return watch.seconds


def check_out_anew(pushed: Path, site: Path) -> None:
    """The site as a runner has it before `ssg build`: sources checked out, the cache restored."""
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(pushed, site, ignore=shutil.ignore_patterns(*RESTORED), copy_function=shutil.copyfile)
    for name in RESTORED:
        shutil.copytree(pushed / name, site / name)  # copy2: with their mtimes, to the nanosecond, as GNU tar --posix


def written_since(before: dict[str, int], after: dict[str, int]) -> int:
    """Output files written or deleted between two listings of their mtimes."""
    changed = {name for name, stamp in after.items() if before.get(name) != stamp} | (before.keys() - after.keys())
    return sum(1 for name in changed if not name.endswith(f"/{MARKER}"))


def bench(count: int, search: bool, repeat: int, also_in_place: bool) -> dict:
    label = f"{count:,} pieces, search {'on' if search else 'off'}"
    site, pushed = make_site(count, search)
    log(f"{label}: cold build")
    cold = timed_build(site)
    log(f"{label}: warm build")
    before = mtimes(site / "output")
    warm = timed_build(site)
    warm_written = written_since(before, mtimes(site / "output"))
    site.rename(pushed)  # as the last publish left it
    publishes, written, in_place = [], [], []
    for number in range(1, repeat + 1):
        log(f"{label}: publish after one edit ({number} of {repeat})")
        check_out_anew(pushed, site)
        restored = mtimes(site / "output")
        edit(site, number)
        publishes.append(timed_build(site))
        after = mtimes(site / "output")
        written.append(written_since(restored, after))
        if also_in_place:
            log(f"{label}: the same publish, written in place ({number} of {repeat})")
            check_out_anew(pushed, site)
            edit(site, number)
            with Stopwatch() as watch:
                subprocess.run([sys.executable, "-c", IN_PLACE, str(site)], check=True, stdin=subprocess.DEVNULL)
            in_place.append(watch.seconds)
    shutil.rmtree(pushed.parent)
    return {
        "count": count,
        "search": search,
        "cold": cold,
        "warm": warm,
        "warm_written": warm_written,
        "publish": statistics.median(publishes),
        "publish_written": statistics.median(written),
        "files": len(after),
        "repeat": repeat,
        "in_place": statistics.median(in_place) if in_place else None,
    }


IN_PLACE = "import sys; from pathlib import Path; from ssg.build import Builder; from ssg.config import load_config; Builder(load_config(Path(sys.argv[1])), cache=True).build()"
"""`ssg build` writing its changes into output/ in place, as the preview does (atomic=False), not into a copy swapped in."""


def edit(site: Path, number: int) -> None:
    piece = piece_to_edit(site / "content")
    piece.write_text(piece.read_text(encoding="utf-8") + f"\nA line revised on publish number {number}.\n", encoding="utf-8")


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"


def table(results: list[dict]) -> str:
    sizes = sorted({result["count"] for result in results})
    lines = [
        "| `ssg build` | " + " | ".join(f"{count:,} pieces" for count in sizes) + " |",
        "|---|" + "--:|" * len(sizes),
    ]
    for search in sorted({result["search"] for result in results}):
        by_size = {result["count"]: result for result in results if result["search"] == search}
        cell = lambda count, text, by_size=by_size: text(by_size[count]) if count in by_size else ""  # noqa: E731
        name = f"search {'on' if search else 'off'}"
        lines.append(f"| **{name}**: cold (no output, no `.ssg-cache`) | " + " | ".join(cell(count, lambda r: f"{seconds(r['cold'])} ({r['files']:,} files)") for count in sizes) + " |")
        lines.append(f"| {name}: warm (nothing changed) | " + " | ".join(cell(count, lambda r: f"{seconds(r['warm'])} ({r['warm_written']:,} written)") for count in sizes) + " |")
        lines.append(
            f"| {name}: publish after one edit (fresh checkout, cache restored; median of {results[0]['repeat']}) | "
            + " | ".join(cell(count, lambda r: f"{seconds(r['publish'])} ({r['publish_written']:,.0f} written){verdict(r)}") for count in sizes)
            + " |"
        )
        if any(result["in_place"] is not None for result in by_size.values()):
            lines.append(
                f"| {name}: the same publish, written in place (no copy of output/ swapped in) | "
                + " | ".join(cell(count, lambda r: seconds(r["in_place"]) if r["in_place"] is not None else "") for count in sizes)
                + " |"
            )
    return "\n".join(lines)


def verdict(result: dict) -> str:
    target = TARGET_SECONDS.get(result["count"])
    if target is None or result["search"]:
        return ""
    return f" {'✓' if result['publish'] <= target else '✗'} ≤ {target:.0f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--search", choices=["off", "on", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3, help="publishes timed at each size (the median is shown)")
    parser.add_argument("--in-place", action="store_true", help="also time each publish written into output/ in place: what the atomic swap costs")
    args = parser.parse_args()
    searches = {"off": [False], "on": [True], "both": [False, True]}[args.search]
    log(f"{os.cpu_count()} cores; sites under {WORK}")
    results = [bench(count, search, args.repeat, args.in_place) for search in searches for count in args.sizes]
    print(table(results))


if __name__ == "__main__":
    main()
