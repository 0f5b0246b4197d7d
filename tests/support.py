"""Helpers for tests: writing sites, reading built output, serving it as GitHub Pages would."""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
"""The repository: the anthology's own site folder."""


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write files (dedented text, or bytes as they are) under root."""
    for name, data in files.items():
        file = root / name
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            file.write_bytes(data)
        else:
            file.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path, with its bytes."""
    return {f.relative_to(root).as_posix(): f.read_bytes() for f in sorted(root.rglob("*")) if f.is_file()}


def soup(file: Path):
    """Parsed HTML of a built page."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def piece(title: str, date: str = "2026-01-01", body: str = "A dream.", **fields: str) -> str:
    """The text of a piece with front matter, for make_site's files."""
    lines = ["---", f"title: {title}", f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join([*lines, "---", "", body, ""])


class Preview:
    """A running `ssg serve` in its own process."""

    def __init__(self, process: subprocess.Popen, url: str, log: Path):
        self.process, self.url, self.log = process, url, log

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_preview(site: Path, *args: str, deadline: float = 30) -> Preview:
    """Start `ssg serve` on a free port and wait until it prints its URL."""
    log = site.parent / f"serve-{time.monotonic_ns()}.log"
    handle = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "ssg", "serve", "-s", str(site), "--port", "0", *args],
        stdout=handle,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        found = re.search(r"at (http://\S+) ", log.read_text(errors="replace"))
        if found:
            return Preview(process, found.group(1), log)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"ssg serve did not start:\n{log.read_text(errors='replace')}")


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder at one path, like GitHub Pages: /x → /x/, /x → x.html, 404.html for the rest."""

    mount = "/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):
        raw_path = urlsplit(self.path).path
        path = unquote(raw_path)
        if not (path + "/").startswith(self.mount):
            return self._not_found()
        relative = path[len(self.mount) :]
        target = Path(self.directory) / relative
        if target.is_dir():
            if not (target / "index.html").is_file():
                return self._not_found()
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", raw_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
        elif not target.is_file():
            if not (Path(self.directory) / f"{relative}.html").is_file():
                return self._not_found()
            relative += ".html"
        self.path = "/" + quote(relative)
        return super().send_head()

    def _not_found(self):
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


@contextmanager
def serve(folder: Path, mount: str) -> Iterator[str]:
    """Serve folder at mount on a free port of 127.0.0.1; yields the site's URL once it answers."""
    handler = type("Handler", (PagesHandler,), {"mount": mount})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}{mount}"
    try:
        deadline = time.monotonic() + 10
        while True:  # the socket listens already; this waits for the loop to answer
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def wait_for(condition, deadline: float = 15, message: str = "condition") -> None:
    """Poll condition() until it is true; fail after `deadline` seconds naming what was awaited."""
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {deadline} s waiting for {message}")
        time.sleep(0.02)


def threads_of(pid: int) -> int:
    """How many threads a process runs now (Linux: /proc/PID/status)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^Threads:\s+(\d+)", status, re.MULTILINE).group(1))


def failed_build(site: Path, ssg) -> list[str]:
    """Build a site that must fail; returns its error lines, having checked the rest of the contract:
    exit 1, no traceback, a hint under every error, and output/ (an earlier build) left as it was."""
    previous = site / "output"
    previous.mkdir()
    (previous / ".ssg-output").write_text("an earlier build\n")
    (previous / "index.html").write_text("the last good site\n")
    before = read_tree(previous)

    run = ssg("build", "-s", site)

    assert run.code == 1, run
    assert "Traceback" not in run.err
    lines = run.err.splitlines()
    errors = [line for line in lines if not line.startswith(("  hint: ", "ssg: "))]
    assert len([line for line in lines if line.startswith("  hint: ")]) == len(errors), run.err
    assert read_tree(previous) == before, "a failed build must leave output/ as it was"
    return errors
