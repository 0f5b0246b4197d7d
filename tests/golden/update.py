"""Regenerate tests/golden/expected/ from tests/golden/site/.

Run after an intended change of output, then review the diff:
    .venv/bin/python tests/golden/update.py && git diff tests/golden/

The site is built from a fresh copy (see site_copy), as tests/test_golden.py
builds it, so no .ssg-cache/ of an earlier build can make the expected output.
"""

import shutil
import sys
import tempfile
from pathlib import Path

from ssg.cache import CACHE_DIR
from ssg.cli import main

GOLDEN = Path(__file__).resolve().parent


def site_copy(into: Path) -> Path:
    """The golden site copied into a new folder `into`, without any .ssg-cache/: every build of it starts cold."""
    return Path(shutil.copytree(GOLDEN / "site", into, ignore=shutil.ignore_patterns(CACHE_DIR)))


if __name__ == "__main__":
    shutil.rmtree(GOLDEN / "expected", ignore_errors=True)
    with tempfile.TemporaryDirectory() as scratch:
        site = site_copy(Path(scratch) / "site")
        code = main(["build", "-s", str(site), "-o", str(GOLDEN / "expected"), "--quiet"])
    shutil.rmtree(GOLDEN / "expected" / "pagefind", ignore_errors=True)  # Pagefind's own output: see tests/test_golden.py
    sys.exit(code)
