"""Regenerate tests/golden/expected/ from tests/golden/site/.

Run after an intended change of output, then review the diff:
    .venv/bin/python tests/golden/update.py && git diff tests/golden/
"""

import shutil
import sys
from pathlib import Path

from ssg.cli import main

GOLDEN = Path(__file__).resolve().parent

if __name__ == "__main__":
    shutil.rmtree(GOLDEN / "expected", ignore_errors=True)
    code = main(["build", "-s", str(GOLDEN / "site"), "-o", str(GOLDEN / "expected"), "--quiet"])
    shutil.rmtree(GOLDEN / "expected" / "pagefind", ignore_errors=True)  # Pagefind's own output: see tests/test_golden.py
    sys.exit(code)
