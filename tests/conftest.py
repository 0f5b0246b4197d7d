"""Shared fixtures: real sites written into tmp_path and built with the real pipeline."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

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


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """make_site(files={...}, layouts=True): a site folder in tmp_path.

    With layouts=True the anthology's own layouts are copied in, so tests
    build real pages with the real theme.
    """

    def make(files: dict[str, str | bytes] | None = None, *, layouts: bool = True, name: str = "site") -> Path:
        site = tmp_path / name
        site.mkdir()
        if layouts:
            import shutil

            shutil.copytree(REPO / "layouts", site / "layouts")
        write_files(site, files or {})
        (site / "content").mkdir(exist_ok=True)
        return site

    return make


class Run:
    """The outcome of one ``ssg`` command run in-process."""

    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Run(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture
def ssg(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """ssg("build", "-s", dir): run the real command line, capture what it prints."""
    from ssg.cli import main

    def run(*argv: str | Path) -> Run:
        capsys.readouterr()
        try:
            code = main([str(arg) for arg in argv])
        except SystemExit as exit:  # argparse's usage errors and --help
            code = exit.code
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


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
