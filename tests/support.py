"""Helpers for tests: writing sites, reading built output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

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
    return "\n".join(lines + ["---", "", body, ""])


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
        stdout=handle, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
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
