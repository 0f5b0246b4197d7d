"""`ssg serve` and `ssg watch` over HTTP and on disk: preview paths, drafts,
ports, waiting for rebuilds, debouncing, folders made later, a moved base_url,
the server under load, and a soak of random edits."""

from __future__ import annotations

import itertools
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ssg.build import build
from ssg.cache import code_key
from ssg.config import load_config
from ssg.preview import PreviewState
from ssg.serve import KEEPALIVE_SECONDS, PreviewServer
from ssg.templates import THEME_DIR
from ssg.watch import ChangeCollector, is_scratch
from tests.support import piece, read_tree, soup, threads_of, wait_for

SETTINGS = '[tool.ssg]\ntitle = "Night Book"\nbase_url = "https://user.github.io/anthology/"\n'
SCRIPT_TAG = re.compile(rb'<script src="/__ssg__/reload.js" data-version="[^"]*"></script>')


def fetch(url: str) -> tuple[int, bytes, str]:
    """(status, body, final URL) of a GET, following redirects, 4xx included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read(), response.url
    except urllib.error.HTTPError as error:
        return error.code, error.read(), url


@contextmanager
def serving(output_dir: Path, state: PreviewState, build_wait: float | None = None):
    """A preview server in this process over output_dir; yields its root URL."""
    server = PreviewServer(("127.0.0.1", 0), output_dir, state)
    if build_wait is not None:
        server.build_wait = build_wait
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


class EventStream:
    """A tab's live-reload connection, read raw so that it can be dropped mid-stream."""

    def __init__(self, site_url: str):
        parts = urlsplit(site_url)
        self.socket = socket.create_connection((parts.hostname, parts.port), timeout=30)
        self.socket.sendall(f"GET /__ssg__/events HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        self.received = b""

    def versions(self) -> list[str]:
        return re.findall(r'^data: \{"version": "([^"]+)"', self.received.decode(), re.MULTILINE)

    def wait_for_version(self, wanted=lambda version: True) -> str:
        """Read until the server sent a version `wanted` accepts; returns it."""
        while not any(wanted(version) for version in self.versions()):
            chunk = self.socket.recv(65536)
            assert chunk, f"the stream ended; it said: {self.received!r}"
            self.received += chunk
        return next(version for version in self.versions() if wanted(version))

    def close(self) -> None:
        self.socket.close()


def test_preview_serves_under_the_base_path_and_root_redirects_there(make_site, preview):
    site = make_site({"pyproject.toml": SETTINGS, "content/lake.md": piece("Lake")})
    server = preview(site)
    root = server.url.removesuffix("anthology/")
    status, body, final = fetch(root)
    assert status == 200 and final == server.url and b"Night Book" in body
    assert fetch(server.url + "lake/")[0] == 200
    assert fetch(server.url + "lake")[2] == server.url + "lake/"
    assert fetch(root + "lake/")[0] == 404
    status, body, _ = fetch(server.url + "no/such/page/")
    assert status == 404 and b"/__ssg__/reload.js" in body


def test_preview_shows_drafts_and_scheduled_pieces_with_a_banner(make_site, preview):
    site = make_site(
        {
            "pyproject.toml": SETTINGS,
            "content/draft.md": piece("Unfinished", draft="true"),
            "content/later.md": piece("Later", "2999-01-01"),
        }
    )
    server = preview(site)
    assert b"Draft" in fetch(server.url + "draft/")[1]
    assert b"Scheduled" in fetch(server.url + "later/")[1]
    hidden = preview(site, "--no-drafts")
    assert fetch(hidden.url + "draft/")[0] == 404 and fetch(hidden.url + "later/")[0] == 404


def test_a_busy_port_moves_to_the_next_one(make_site, preview):
    site = make_site({"content/a.md": piece("A")})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = preview(site, "--port", str(port))
        assert f":{port}/" not in server.url
        assert fetch(server.url)[0] == 200


def test_serving_on_every_interface_warns(make_site, preview):
    site = make_site({"content/a.md": piece("A")})
    server = preview(site, "--host", "0.0.0.0")
    assert "warning: serving on 0.0.0.0" in server.output()


def test_a_request_during_a_rebuild_waits_for_it(tmp_path):
    (tmp_path / "index.html").write_text("<p>new site</p>")
    state = PreviewState()  # building until told otherwise
    with serving(tmp_path, state) as url:
        answers = []
        request = threading.Thread(target=lambda: answers.append(fetch(url)))
        request.start()
        wait_for(lambda: state.waiting == 1, message="the request to wait for the build")
        assert not answers, "answered while a build was running"
        state.finish_build(True, None)
        request.join(10)
        assert answers and answers[0][0] == 200 and b"new site" in answers[0][1]


def test_a_build_that_never_ends_gets_a_retry_page_not_a_hung_request(tmp_path):
    (tmp_path / "index.html").write_text("<p>old site</p>")
    state = PreviewState()
    with serving(tmp_path, state, build_wait=0.2) as url:
        status, body, _ = fetch(url)
        assert status == 503 and b"still building" in body and b'data-version=""' in body
        assert state.waiting == 0
        state.finish_build(True, None)
        status, body, _ = fetch(url)
        assert status == 200 and SCRIPT_TAG.sub(b"", body) == b"<p>old site</p>"
        assert f'data-version="{state.version}"'.encode() in body


@pytest.mark.parametrize("name", ["lake.md.swp", ".lake.md.swx", "lake.md~", ".#lake.md", "#lake.md#", "4913", "lake.md___jb_tmp___", ".goutputstream-XYZ1"])
def test_editor_scratch_files_are_ignored(name):
    assert is_scratch(Path("content") / name)
    assert not is_scratch(Path("content/lake.md"))


def test_a_burst_of_events_gives_one_change_set(tmp_path):
    from watchdog.events import FileModifiedEvent, FileMovedEvent

    content = tmp_path / "content"
    collector = ChangeCollector(tmp_path, (content,), (tmp_path / "output",))
    stop = threading.Event()
    for n in range(20):
        collector.on_any_event(FileModifiedEvent(str(content / f"p{n % 3}.md")))
    collector.on_any_event(FileMovedEvent(str(content / ".p1.md.tmp"), str(content / "p1.md")))
    collector.on_any_event(FileModifiedEvent(str(content / "p1.md.swp")))
    collector.on_any_event(FileModifiedEvent(str(tmp_path / "output/index.html")))
    changes = collector.wait(stop)
    assert changes.paths == {content / "p0.md", content / "p1.md", content / "p2.md"}
    assert not changes.settings
    collector.on_any_event(FileModifiedEvent(str(tmp_path / "pyproject.toml")))
    assert collector.wait(stop).settings


@contextmanager
def watching(site: Path, log: Path):
    """`ssg watch` of site in its own process, its output in log; stopped at the end."""
    with log.open("w") as handle:
        process = subprocess.Popen([sys.executable, "-m", "ssg", "watch", "-s", str(site)], stdout=handle, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_watch_rebuilds_the_output_folder(make_site, tmp_path):
    site = make_site({"content/lake.md": piece("Lake", body="Still water.")})
    log = tmp_path / "watch.log"
    with watching(site, log) as process:
        page = site / "output/lake/index.html"
        wait_for(lambda: page.is_file() and "Still water." in page.read_text(), message="the first build")
        (site / "content/lake.md").write_text(piece("Lake", body="Moving water."))
        wait_for(lambda: "Moving water." in page.read_text(), message="the rebuild")
        (site / "content/lake.md").write_text("---\ndate: 2026-01-01\n---\n")
        wait_for(lambda: "content/lake.md:1: missing 'title'" in log.read_text(), message="the error")
        assert "Moving water." in page.read_text()  # the last good build stays
        assert process.poll() is None


def test_watch_sees_a_content_folder_made_after_it_started(make_site, tmp_path):
    site = make_site()
    (site / "content").rmdir()
    log = tmp_path / "watch.log"
    with watching(site, log) as process:
        wait_for(lambda: "this folder is not an anthology yet" in log.read_text(), message="the first build to fail")
        (site / "content").mkdir()
        (site / "content/lake.md").write_text(piece("Lake", body="Still water."))
        page = site / "output/lake/index.html"
        wait_for(lambda: page.is_file() and "Still water." in page.read_text(), message="the piece of the new folder")
        (site / "content/lake.md").write_text(piece("Lake", body="Moving water."))
        wait_for(lambda: "Moving water." in page.read_text(), message="an edit inside the new folder")
        shutil.rmtree(site / "content")  # and made again at once, as a checkout of another branch does
        (site / "content").mkdir()
        (site / "content/lake.md").write_text(piece("Lake", body="Frozen water."))
        wait_for(lambda: "Frozen water." in page.read_text(), message="the folder made again")
        (site / "content/lake.md").write_text(piece("Lake", body="Thawed water."))
        wait_for(lambda: "Thawed water." in page.read_text(), message="an edit inside the folder made again")
        assert process.poll() is None


def test_serve_sees_content_layouts_and_settings_made_after_it_started(make_site, preview):
    site = make_site()
    (site / "content").rmdir()
    server = preview(site)
    wait_for(lambda: "this folder is not an anthology yet" in server.output(), message="the first build to fail")
    status, body, _ = fetch(server.url + "any/page/")
    assert status == 503 and b"Nothing has been built yet" in body, body  # not an overlay over a "last good build"
    assert b"content/ (the pieces) and pyproject.toml (the settings) are missing" in body
    assert b"ssg init" in body
    (site / "content").mkdir()
    (site / "content/lake.md").write_text(piece("Lake", body="Still water."))
    wait_for(lambda: b"Still water." in fetch(server.url + "lake/")[1], message="the page, drawn by ssg's theme")
    assert b'href="/assets/style.css"' in fetch(server.url + "lake/")[1]
    base = site / "layouts/base.html"  # a folder and an override made after the start
    base.parent.mkdir()
    base.write_text((THEME_DIR / "base.html").read_text().replace("</main>", '<p class="edited">A new colophon line.</p></main>', 1))
    wait_for(lambda: b"A new colophon line." in fetch(server.url + "lake/")[1], message="an override in the new layouts folder")
    base.unlink()
    wait_for(lambda: b"A new colophon line." not in fetch(server.url + "lake/")[1], message="the theme's base.html back")
    (site / "pyproject.toml").write_text(SETTINGS)
    wait_for(lambda: fetch(server.url)[2] == server.url + "anthology/", message="the new settings' base path")
    status, body, _ = fetch(server.url + "anthology/lake/")
    assert status == 200 and b"Night Book" in body
    assert server.process.poll() is None


def test_a_changed_base_url_moves_the_preview_and_old_addresses_follow(make_site, preview):
    site = make_site({"pyproject.toml": SETTINGS, "content/lake.md": piece("Lake")})
    server = preview(site)
    root = server.url.removesuffix("anthology/")
    stream = EventStream(server.url)
    first = stream.wait_for_version()
    (site / "pyproject.toml").write_text(SETTINGS.replace('"https', "https"))  # a typo on the way
    wait_for(lambda: "pyproject.toml:3: invalid TOML" in server.output(), message="the typo reported")
    assert fetch(server.url + "lake/")[0] == 200  # the last good build, where it was
    (site / "pyproject.toml").write_text(SETTINGS.replace("/anthology/", "/dreams/"))
    wait_for(lambda: fetch(root)[2] == root + "dreams/", message="the root to redirect to the new base path")
    stream.wait_for_version(lambda version: version != first)  # open tabs are told to reload
    status, body, final = fetch(root + "anthology/lake/?from=bookmark")
    assert (status, final) == (200, root + "dreams/lake/")
    assert b'href="/dreams/' in body and b'href="/anthology/' not in body
    assert fetch(root + "anthology")[2] == root + "dreams/"
    assert fetch(root + "dreams/no/such/page/")[0] == 404
    assert f"now serving at {root}dreams/" in server.output()
    stream.close()


@pytest.mark.browser  # the full gate: 200 tabs and 50 streams against a real server
def test_the_preview_under_load_answers_every_request_whole_and_frees_every_thread(make_site, preview):
    """200 tabs requesting pages and 50 live-reload streams while the layout is saved again and again."""
    clients, streams_open, generations = 200, 50, 4
    pieces = {f"content/dream-{n}.md": piece(f"Dream {n}", f"2026-01-{n % 28 + 1:02}", body="Night. " * 200) for n in range(40)}
    site = make_site({"pyproject.toml": SETTINGS, **pieces}, layouts=True)
    server = preview(site)
    pid = server.process.pid
    wait_for(lambda: " built in " in server.output(), message="the first build")
    idle = threads_of(pid)  # before any request, so no request's thread is still ending
    streams = [EventStream(server.url) for _ in range(streams_open)]
    first = {stream.wait_for_version() for stream in streams}
    assert len(first) == 1
    wait_for(lambda: threads_of(pid) >= idle + streams_open, message="a thread per stream")

    layout = site / "layouts/base.html"
    text = layout.read_text()
    generation = re.compile(rb'<meta name="test-generation" content="(\d+)">')

    def generation_of(body: bytes) -> int:
        found = generation.findall(body)
        assert len(found) <= 1
        return int(found[0]) if found else 0

    saved = threading.Event()

    def save_again_and_again() -> None:
        for number in range(1, generations + 1):
            # Saved whole, as editors that write a copy and rename it do: a build that read a layout
            # cut in the middle of its writing would serve whole pages of half a layout.
            saving = layout.with_name(layout.name + ".saving")
            saving.write_text(text.replace("</head>", f'<meta name="test-generation" content="{number}"></head>', 1))
            saving.replace(layout)
            wait_for(lambda number=number: generation_of(fetch(server.url)[1]) == number, deadline=60, message=f"generation {number} to be served")
        saved.set()

    answers: list[list[tuple[int, bytes]]] = [[] for _ in range(clients)]
    start = threading.Barrier(clients + 1)

    def tab(number: int) -> None:
        start.wait()
        while not saved.is_set() or len(answers[number]) < 2:
            path = "" if len(answers[number]) % 2 else f"dream-{(number + len(answers[number])) % 40}/"
            try:
                status, body, _ = fetch(server.url + path)
            except Exception as error:  # a timeout, a reset, a response cut short (urllib checks the length)
                status, body = repr(error), b""
            answers[number].append((status, body))

    tabs = [threading.Thread(target=tab, args=(number,)) for number in range(clients)]
    for thread in tabs:
        thread.start()
    saver = threading.Thread(target=save_again_and_again)
    saver.start()
    start.wait()
    saver.join(120)
    for thread in tabs:
        thread.join(60)
    assert saved.is_set() and not any(thread.is_alive() for thread in tabs)

    every = [answer for answered in answers for answer in answered]
    assert all(status == 200 for status, _ in every), {status for status, _ in every}
    assert all(body.rstrip().endswith(b"</html>") and b"</body>" in body for _, body in every)
    seen = [[generation_of(body) for _, body in answered] for answered in answers]
    assert all(later >= earlier for tab_seen in seen for earlier, later in itertools.pairwise(tab_seen)), "a page older than the one before: a half-built site was served"
    assert len({number for tab_seen in seen for number in tab_seen}) > 1, "no request overlapped a rebuild"

    assert fetch(server.url + "dream-1/")[0] == 200  # still answering
    last = re.search(rb'data-version="([^"]+)"', fetch(server.url)[1]).group(1).decode()
    for stream in streams:
        stream.wait_for_version(lambda version: version == last)  # every tab was told
    for stream in streams:
        stream.close()  # mid-stream, while the server is idle: only the socket can tell
    wait_for(lambda: threads_of(pid) <= idle, deadline=KEEPALIVE_SECONDS / 3, message=f"the stream threads to end ({threads_of(pid)} threads, {idle} when idle)")
    assert fetch(server.url)[0] == 200 and server.process.poll() is None


@pytest.mark.browser  # the full gate: a real server soaked with 300 edits
def test_soak_300_random_edits_keep_the_server_up_and_end_equal_to_a_clean_build(make_site, preview, tmp_path):
    rng = random.Random(20261125)
    slugs = [f"dream-{n}" for n in range(12)]
    tags = ["mist", "moonlight", "dawn", "sea", "Mist"]
    files = {f"content/{slug}.md": piece(slug.title(), f"2026-02-{n + 1:02}", tags=f"[{tags[n % 5]}]") for n, slug in enumerate(slugs[:6])}
    site = make_site({"pyproject.toml": SETTINGS, **files})
    server = preview(site, "--no-drafts")
    wait_for(lambda: fetch(server.url)[0] == 200, deadline=30, message="the first build")  # before any edit races it
    broken = ["---\ndate: 2026-01-01\n---\n", "---\ntitle: [x\ndate: 2026-01-01\n---\n", "no front matter at all\n", b"---\ntitle: x\ndate: 2026-01-01\n---\n\xfe\n"]
    for step in range(300):
        slug = rng.choice(slugs)
        file = site / "content" / f"{slug}.md"
        roll = rng.random()
        if roll < 1 / 3:
            data = rng.choice(broken)
        elif roll < 0.45 and file.exists():
            file.unlink()
            data = None
        else:
            data = piece(slug.title(), f"2026-03-{rng.randint(1, 28):02}", tags=f"[{', '.join(rng.sample(tags, 2))}]", body=f"Edit {step}: *{rng.random()}*")
        if data is not None:
            file.write_bytes(data if isinstance(data, bytes) else data.encode())
        if step % 10 == 0:
            status, _body, _ = fetch(server.url + rng.choice(["", "tags/", f"{slug}/"]))
            assert status in (200, 404)
    for slug in slugs:  # end on valid sources
        file = site / "content" / f"{slug}.md"
        if file.exists():
            file.write_text(piece(slug.title(), "2026-04-01", tags="[dawn]", body=f"Final {slug}."))
    assert server.process.poll() is None

    clean = tmp_path / "clean"
    build(load_config(site, output_dir=clean))
    expected = {name: data for name, data in read_tree(clean).items() if not name.startswith(".")}

    def served_equals_clean() -> bool:
        for name, data in expected.items():
            url = server.url + (name.removesuffix("index.html") if name.endswith("index.html") else name)
            status, body, _ = fetch(url)
            if status != 200 or SCRIPT_TAG.sub(b"", body) != data:
                return False
        return True

    finals = [slug for slug in slugs if (site / "content" / f"{slug}.md").exists()]
    assert finals and all(f"Final {slug}." in soup(clean / slug / "index.html").get_text() for slug in finals)
    wait_for(served_equals_clean, deadline=30, message="the served site to equal a clean build")


def test_ctrl_c_stops_the_preview_cleanly(make_site, preview):
    import signal

    site = make_site({"content/a.md": piece("A")})
    server = preview(site)
    assert fetch(server.url)[0] == 200
    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=15) == 0
    assert "Stopped." in server.output() and "Traceback" not in server.output()


def test_the_preview_starts_from_the_last_build_and_never_writes_into_it(make_site, ssg, preview):
    """After `ssg build`, the preview takes every page made from the same values from output/ (none rendered);
    its own edits then go to its private folder, never into output/."""
    site = make_site(
        {
            "pyproject.toml": '[tool.ssg]\ntitle = "Night Book"\n',
            "content/lake.md": piece("Lake of Glass", "2026-01-01", tags="[moonlight]", body="The lake was glass."),
            "content/fog.md": piece("Fog Hymn", "2026-01-02", tags="[mist]", body="Grey on grey."),
        }
    )
    code_key.cache_clear()  # the build's memory is keyed by ssg's files as they are now, as the preview's process reads them
    assert ssg("build", "-s", site, "-q").code == 0
    built = (site / "output/lake/index.html").read_bytes()
    server = preview(site)
    wait_for(lambda: "pages rendered" in server.output(), message="the first build's line")
    first = next(line for line in server.output().splitlines() if "pages rendered" in line)
    assert ": 0 pages rendered" in first, server.output()
    status, body, _ = fetch(server.url + "lake/")
    assert status == 200 and b"The lake was glass." in body

    (site / "content/lake.md").write_text(piece("Lake of Glass", "2026-01-01", tags="[moonlight]", body="The lake had thawed."))
    wait_for(lambda: b"The lake had thawed." in fetch(server.url + "lake/")[1], message="the edit in the preview")
    assert (site / "output/lake/index.html").read_bytes() == built
