"""One small site whose whole output is known, byte for byte.

After an intended change of output: `.venv/bin/python tests/golden/update.py`,
then review `git diff tests/golden/`.  The search index (pagefind/) is
Pagefind's own output, compressed, named by its digests and changed by each
Pagefind release: it is not kept here (tests/test_search.py checks it).

The site is built from a copy without .ssg-cache/, so a cache left in
tests/golden/site by an earlier build can never make the test pass.
"""

from tests.golden.update import GOLDEN, site_copy
from tests.support import read_tree


def test_golden_site_output_is_exactly_as_expected(ssg, tmp_path):
    site = site_copy(tmp_path / "site")
    run = ssg("build", "-s", site, "-o", tmp_path / "out", "-q")
    assert run.code == 0, run
    built, expected = read_tree(tmp_path / "out"), read_tree(GOLDEN / "expected")
    assert "pagefind/pagefind.js" in built
    built = {name: data for name, data in built.items() if not name.startswith("pagefind/")}
    assert sorted(built) == sorted(expected)
    for name in expected:
        assert built[name].decode() == expected[name].decode(), name
