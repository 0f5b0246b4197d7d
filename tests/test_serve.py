"""`ssg serve` and `ssg watch` over HTTP and on disk: preview paths, drafts,
ports, waiting for rebuilds, debouncing, folders made later, and a soak of random edits."""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from ssg.build import build
from ssg.config import load_config
from ssg.serve import PreviewServer, PreviewState
from ssg.watch import ChangeCollector, is_scratch
from tests.support import piece, read_tree, soup, wait_for

SETTINGS = '[tool.ssg]\ntitle = "Night Book"\nbase_url = "https://user.github.io/anthology/"\n'


def fetch(url: str) -> tuple[int, bytes, str]:
    """(status, body, final URL) of a GET, following redirects, 4xx included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read(), response.url
    except urllib.error.HTTPError as error:
        return error.code, error.read(), url


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
    site = make_site({
        "pyproject.toml": SETTINGS,
        "content/draft.md": piece("Unfinished", draft="true"),
        "content/later.md": piece("Later", "2999-01-01"),
    })
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
    server = PreviewServer(("127.0.0.1", 0), tmp_path, "/", state)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    answers = []
    request = threading.Thread(target=lambda: answers.append(fetch(f"http://127.0.0.1:{server.server_address[1]}/")))
    request.start()
    request.join(timeout=0.5)
    assert request.is_alive() and not answers, "answered while a build was running"
    state.finish_build(True, None)
    request.join(timeout=10)
    assert answers and answers[0][0] == 200 and b"new site" in answers[0][1]
    server.shutdown()
    server.server_close()


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
        (site / "content/lake.md").write_text("---\ntitle: Lake\n---\n")
        wait_for(lambda: "content/lake.md:1: missing 'date'" in log.read_text(), message="the error")
        assert "Moving water." in page.read_text()  # the last good build stays
        assert process.poll() is None


def test_watch_sees_a_content_folder_made_after_it_started(make_site, tmp_path):
    site = make_site()
    (site / "content").rmdir()
    log = tmp_path / "watch.log"
    with watching(site, log) as process:
        wait_for(lambda: "the content folder does not exist" in log.read_text(), message="the first build to fail")
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


def test_soak_300_random_edits_keep_the_server_up_and_end_equal_to_a_clean_build(make_site, preview, tmp_path):
    rng = random.Random(20261125)
    slugs = [f"dream-{n}" for n in range(12)]
    tags = ["mist", "moonlight", "dawn", "sea", "Mist"]
    files = {f"content/{slug}.md": piece(slug.title(), f"2026-02-{n + 1:02}", tags=f"[{tags[n % 5]}]") for n, slug in enumerate(slugs[:6])}
    site = make_site({"pyproject.toml": SETTINGS, **files})
    server = preview(site, "--no-drafts")
    broken = ["---\ntitle: x\n---\n", "---\ntitle: [x\ndate: 2026-01-01\n---\n", "no front matter at all\n", b"---\ntitle: x\ndate: 2026-01-01\n---\n\xfe\n"]
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
            status, _, _ = fetch(server.url + rng.choice(["", "tags/", f"{slug}/"]))
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
            if status != 200 or body.replace(b'<script src="/__ssg__/reload.js"></script>', b"") != data:
                return False
        return True

    wait_for(served_equals_clean, deadline=30, message="the served site to equal a clean build")
    home = soup(clean / "index.html")
    assert "Final" in home.get_text() or home.find("main")


def test_ctrl_c_stops_the_preview_cleanly(make_site, preview):
    import signal

    site = make_site({"content/a.md": piece("A")})
    server = preview(site)
    assert fetch(server.url)[0] == 200
    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=15) == 0
    assert "Stopped." in server.output() and "Traceback" not in server.output()
