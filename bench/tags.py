"""Benchmark of issue 16 ("Linear in what it writes"): one piece with many tags, one tag with many pieces.

    .venv/bin/python bench/tags.py                                  # 1,000 and 3,000 tags; 10,000 and 50,000 pieces
    .venv/bin/python bench/tags.py --tags 1000 --pieces 10000       # a quicker run
    .venv/bin/python bench/tags.py --before c04c638                 # and that commit's ssg, on this machine

Each site is written once under --work: a piece with N tags (``t00001``…), or
N tiny pieces all tagged ``mist`` (the shared corpus's pieces carry a handful of
tags of 25, so they cannot make either shape).  For each it measures, in a
process of its own:

- a cold ``ssg build`` (no .ssg-cache/, empty output), with the search index
  (the default) and without (``search = false``), and the bytes of the files
  it wrote;
- for the tag of many pieces, the time of each of its listing pages
  (context, digest, render: what a build does a page), as the median of its
  first ten pages and of its last ten: a listing linear in its tag takes
  the same time for page 1 and page 1,000.

and prints the figures side by side with the issue's before-numbers (and
with --before, the same measures of an older commit's ssg).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, WORK

ISSUE = {("tags", 1000): "10 s, 102 MB", ("tags", 3000): "> 120 s"}
"""What issue 16 measured before: a piece with 1,000 tags, with 3,000."""
PER_PAGE_PROBE = r"""
import json, statistics, sys, time
from pathlib import Path
from ssg.build import Builder
from ssg.config import load_config
from ssg.deps import made_from
from ssg.render import page_context, render_page

config = load_config(Path(sys.argv[1]), output_dir=Path(sys.argv[2]))
builder = Builder(config)
builder.build(editions=False)
indexed = builder.memory.indexed
times = []
for page in (page for page in indexed.pages if page.kind == "tag"):
    start = time.perf_counter()
    context = page_context(indexed.site, page, indexed.static_files, indexed.pages)
    made_from(builder._layout_digest(page), config, builder._read_by(page, context), set())
    render_page(builder.env, indexed.site, page, context)
    times.append(time.perf_counter() - start)
print(json.dumps({"pages": len(times), "first": statistics.median(times[:10]), "last": statistics.median(times[-10:])}))
"""


def many_tags(count: int) -> Path:
    """A site of one piece with `count` tags."""
    site = WORK / f"tags-one-piece-{count}"
    if not (site / "content").is_dir():
        (site / "content").mkdir(parents=True)
        tags = ", ".join(f"t{number:05d}" for number in range(1, count + 1))
        (site / "content" / "many.md").write_text(f"---\ntitle: Many\ndate: 2026-01-01\ntags: [{tags}]\n---\nA dream that wanders through every room.\n")
    return site


def many_pieces(count: int) -> Path:
    """A site of `count` tiny pieces, every one tagged mist."""
    site = WORK / f"tags-one-tag-{count}"
    if not (site / "content").is_dir():
        (site / "content").mkdir(parents=True)
        for number in range(count):
            (site / "content" / f"p{number:06d}.md").write_text(f"---\ntitle: Mist {number}\ndate: 2025-{1 + number % 12:02d}-{1 + number % 28:02d}\ntags: [mist]\n---\nMist, {number}.\n")
    return site


def with_settings(site: Path, search: bool) -> None:
    (site / "pyproject.toml").write_text(f'[tool.ssg]\ntitle = "Bench"\nbase_url = "https://example.org/"\nsearch = {"true" if search else "false"}\n')


def cold_build(site: Path, ssg_root: Path, search: bool) -> tuple[float, int]:
    """Seconds of a cold `ssg build` in its own process, and the bytes of the files it wrote."""
    with_settings(site, search)
    output = site / "output"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(site / ".ssg-cache", ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ssg", "build", "-s", str(site), "-o", str(output), "-q"], check=True, cwd=ssg_root, env=_env(ssg_root))
    seconds = time.perf_counter() - start
    return seconds, sum(file.stat().st_size for file in output.rglob("*") if file.is_file())


def per_page(site: Path, ssg_root: Path) -> dict:
    """The time of the tag's listing pages: how many, the median of the first ten, of the last ten."""
    with_settings(site, False)
    output = site / "output-pages"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(site / ".ssg-cache", ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", PER_PAGE_PROBE, str(site), str(output)], check=True, cwd=ssg_root, env=_env(ssg_root), capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _env(ssg_root: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ssg_root)}


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def measure(ssg_root: Path, tag_counts: list[int], piece_counts: list[int]) -> dict:
    figures = {}
    for count in tag_counts:
        site = many_tags(count)
        print(f"  one piece, {count:,} tags…", file=sys.stderr)
        figures[("tags", count)] = (cold_build(site, ssg_root, True), cold_build(site, ssg_root, False))
    for count in piece_counts:
        site = many_pieces(count)
        print(f"  one tag, {count:,} pieces…", file=sys.stderr)
        figures[("pieces", count)] = (cold_build(site, ssg_root, True), cold_build(site, ssg_root, False), per_page(site, ssg_root))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, nargs="+", default=[1000, 3000], help="tags of the one piece")
    parser.add_argument("--pieces", type=int, nargs="+", default=[10000, 50000], help="pieces of the one tag")
    parser.add_argument("--before", help="also measure the ssg of this commit (git archive'd into a temporary folder)")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)

    runs = {"now": REPO}
    with tempfile.TemporaryDirectory() as scratch:
        if args.before:
            tree = Path(scratch) / args.before
            tree.mkdir()
            archive = subprocess.run(["git", "-C", str(REPO), "archive", args.before, "ssg"], check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
            runs = {args.before: tree, **runs}
        results = {}
        for name, root in runs.items():
            print(f"ssg {name}:", file=sys.stderr)
            results[name] = measure(root, args.tags, args.pieces)

    names = list(results)

    def tag_cells(name: str, count: int) -> list[str]:
        (with_search, size), (without, _) = results[name][("tags", count)]
        return [f"{with_search:.1f} s", f"{without:.1f} s", _mb(size)]

    def piece_cells(name: str, count: int) -> list[str]:
        (with_search, size), (without, _), pages = results[name][("pieces", count)]
        return [f"{with_search:.1f} s", f"{without:.1f} s", _mb(size), f"{pages['pages']:,}", f"{pages['first'] * 1000:.2f} ms", f"{pages['last'] * 1000:.2f} ms"]

    _table(
        "One piece with many tags: cold `ssg build`", "tags", ["issue 16 (before)"], ["with search", "without", "bytes"], names, args.tags, lambda count: [ISSUE.get(("tags", count), "—")], tag_cells
    )
    _table(
        "One tag with many pieces: cold `ssg build`, and a page of its listing",
        "pieces",
        [],
        ["with search", "without", "bytes", "pages", "page 1–10", "last 10"],
        names,
        args.pieces,
        lambda count: [],
        piece_cells,
    )


def _table(title: str, size_name: str, fixed: list[str], measured: list[str], names: list[str], sizes: list[int], fixed_cells, cells) -> None:
    """A Markdown table: a row a size, the `measured` columns of each run side by side."""
    header = [size_name] + fixed + [f"{name}: {column}" for name in names for column in measured]
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for size in sizes:
        print("| " + " | ".join([f"{size:,}"] + fixed_cells(size) + [cell for name in names for cell in cells(name, size)]) + " |")


if __name__ == "__main__":
    main()
