"""Benchmark: how fast a save shows up.

1. Edit-to-visible latency in a real tab: `ssg serve` on the anthology,
   headless Chromium on a piece, save an edit, time until the new text is on
   screen (goal: 300 ms median; the debounce is included).
2. A single-piece rebuild (file event to last byte written, debounce not
   included) on the 1,000- and 10,000-piece corpora of the shared generator.

    .venv/bin/python bench/live_reload.py [--edits 15] [--sizes 1000,10000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, THEME_DIR, corpus_site, median_ms
from ssg.build import Builder
from ssg.config import load_config
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.support import start_preview


def edit_to_visible(edits: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="ssg-bench-reload-"))
    site = work / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copytree(THEME_DIR, site / "layouts")
    shutil.copy(REPO / "pyproject.toml", site / "pyproject.toml")
    piece = site / "content" / "i-am-dreaming.md"
    original = piece.read_text()
    server = start_preview(site)
    samples = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            tab = browser.new_page()
            tab.goto(server.url + "i-am-dreaming/")
            for n in range(edits):
                marker = f"Saved edit number {n}."
                started = time.perf_counter()
                piece.write_text(original + f"\n\n{marker}\n")
                tab.wait_for_function("marker => document.body && document.body.innerText.includes(marker)", arg=marker, timeout=15_000, polling="raf")
                samples.append(time.perf_counter() - started)
            browser.close()
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    return samples


def single_piece_rebuild(count: int, edits: int) -> tuple[list[float], int]:
    site = corpus_site(count)
    output = site / "output-rebuild"
    shutil.rmtree(output, ignore_errors=True)
    builder = Builder(load_config(site, output_dir=output))
    builder.build()
    piece = sorted((site / "content").glob("*.md"))[count // 2]
    original = piece.read_text()
    samples, rendered = [], 0
    try:
        for n in range(edits):
            piece.write_text(original.replace("\n\n", f"\n\nA new line, edit {n}.\n\n", 1))
            started = time.perf_counter()
            report = builder.build(changed={piece}, rescan=False, editions=False)  # as the preview rebuilds: the search index waits for the edits to settle
            samples.append(time.perf_counter() - started)
            rendered = report.rendered
    finally:
        piece.write_text(original)
    return samples, rendered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    if not args.no_browser:
        samples = edit_to_visible(args.edits)
        print(f"edit to visible in a real tab (anthology, {len(samples)} saves): median {median_ms(samples)}, min {min(samples) * 1000:.0f} ms, max {max(samples) * 1000:.0f} ms  (goal: 300 ms)")
    for count in (int(size) for size in args.sizes.split(",") if size):
        samples, rendered = single_piece_rebuild(count, args.edits)
        print(
            f"single-piece rebuild, {count:,} pieces: median {median_ms(samples)} over {len(samples)} edits, "
            f"{rendered} pages rendered each (p90 {statistics.quantiles(samples, n=10)[-1] * 1000:.1f} ms)"
        )


if __name__ == "__main__":
    main()
