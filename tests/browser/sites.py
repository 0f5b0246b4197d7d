"""The sites a reader's browser is shown: built, served under a sub-path, and listed page by page.

Shared by the quality gate (test_quality.py), the screenshots (screenshots.py)
and the Lighthouse benchmark (bench/lighthouse.py).  Each site is built for
``http://127.0.0.1:PORT/anthology/`` and served there by the plain static
server of the publishing tests, which answers a missing path with 404.html
and status 404, as GitHub Pages does.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support import REPO, serve

FIXTURE_SITE = Path(__file__).resolve().parent / "fixture_site"
"""Every kind of page the theme draws, in one small site (built with ssg's own theme)."""

MOUNT = "/anthology/"
MISSING = "no/such/dream/"
"""A path that is not in any site, three folders deep: the 404 page must work from there."""

NODE_MODULES = REPO / "node_modules"
AXE = NODE_MODULES / "axe-core/axe.min.js"
VNU = NODE_MODULES / "vnu-jar/build/dist/vnu.jar"
LIGHTHOUSE = NODE_MODULES / ".bin/lighthouse"


@dataclass(frozen=True)
class Served:
    """One built site, running on 127.0.0.1."""

    name: str
    url: str
    """The site's root URL, ending in MOUNT."""
    out_dir: Path
    """The built output folder."""
    pages: tuple[str, ...]
    """Every HTML page as a path relative to url (``""``, ``lake/``, ``tags/sea/page/2/``), and MISSING for the 404 page."""


def require_checkers() -> None:
    """Skip (or fail, when SSG_REQUIRE_BROWSER=1) without the pinned npm tools or the Java that runs the validator."""
    import pytest

    missing = [tool.relative_to(REPO).as_posix() for tool in (AXE, VNU) if not tool.is_file()]
    reason = f"{', '.join(missing)} missing: run `npm ci` in the repository (.ci/run does)" if missing else ""
    if not missing and shutil.which("java") is None:
        reason = "java is missing: the Nu HTML Checker needs Java 11 or newer (apt-get install default-jre-headless)"
    if reason:
        if os.environ.get("SSG_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)


def build(source: Path, out_dir: Path, base_url: str) -> Path:
    """Build the site in source into out_dir for base_url, quietly; a failed build raises."""
    from ssg.cli import main

    code = main(["build", "-q", "-s", str(source), "-o", str(out_dir), "-b", base_url])
    assert code == 0, f"ssg build of {source} failed with exit code {code}"
    return out_dir


def fixture_source(workdir: Path) -> Path:
    """A copy of the fixture site in workdir (built with ssg's own theme)."""
    site = workdir / "fixture-site"
    shutil.copytree(FIXTURE_SITE, site)
    return site


def pages_of(out_dir: Path) -> tuple[str, ...]:
    """The pages of a built site, as paths relative to its root URL, with MISSING for 404.html."""
    pages = []
    for file in sorted(out_dir.rglob("*.html")):
        relative = file.relative_to(out_dir).as_posix()
        if relative == "404.html":
            pages.append(MISSING)
        elif file.name == "index.html":
            pages.append(relative.removesuffix("index.html"))
    return tuple(pages)


@contextmanager
def serve_sites(workdir: Path, names: tuple[str, ...] = ("anthology", "fixture")) -> Iterator[dict[str, Served]]:
    """Build and serve the anthology and the fixture site; yields them by name.

    Each is built once to start its server, then again for the port the
    server got, so that canonical links and feeds point at the served URL.
    """
    sources = {"anthology": REPO, "fixture": FIXTURE_SITE}
    with ExitStack() as stack:
        served = {}
        for name in names:
            source = fixture_source(workdir) if name == "fixture" else sources[name]
            out_dir = build(source, workdir / name, MOUNT)
            url = stack.enter_context(serve(out_dir, MOUNT))
            build(source, out_dir, url)
            served[name] = Served(name, url, out_dir, pages_of(out_dir))
        yield served
