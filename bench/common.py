"""Shared by the benchmarks: the corpus generator, timing and memory helpers."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ssg.templates import THEME_DIR

REPO = Path(__file__).resolve().parent.parent
MAKE_CORPUS = Path(os.environ.get("SSG_MAKE_CORPUS", REPO.parent / "shared" / "bench" / "make_corpus.py"))
WORK = Path(os.environ.get("SSG_BENCH_DIR", "/tmp/ssg-bench"))


def corpus_site(count: int, *, fmt: str = "plain", layouts: bool = True) -> Path:
    """A site folder with `count` pieces from the shared generator (made once, then reused)."""
    site = WORK / f"site-{fmt}-{count}"
    content = site / "content"
    if not content.is_dir():
        if not MAKE_CORPUS.is_file():
            sys.exit(f"the corpus generator is missing: {MAKE_CORPUS} (set SSG_MAKE_CORPUS)")
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(content), "--count", str(count), "--format", fmt], check=True, stdout=subprocess.DEVNULL)
    if layouts:
        shutil.rmtree(site / "layouts", ignore_errors=True)
        shutil.copytree(THEME_DIR, site / "layouts")
    return site


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms"


class Stopwatch:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
