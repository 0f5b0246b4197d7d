"""ssg check: a built site's links resolved the way GitHub Pages serves them."""

from __future__ import annotations

from pathlib import Path

from ssg.check import check_site
from tests.support import piece, write_files

BASE = "https://user.github.io/anthology/"


def output(tmp_path: Path, files: dict[str, str]) -> Path:
    out = tmp_path / "out"
    write_files(out, files)
    return out


def reasons(out: Path, base: str = BASE) -> list[str]:
    return [str(broken) for broken in check_site(out, base).broken]


def test_a_whole_site_under_a_sub_path_resolves(tmp_path):
    out = output(
        tmp_path,
        {
            "index.html": '<a href="/anthology/lake/">l</a> <a href="lake/#shore">s</a> <a href="/anthology/tags/r%C3%AAve/">r</a> <a href="https://user.github.io/anthology/">home</a> <img src="/anthology/static/moon.png" srcset="/anthology/static/moon.png 1x, static/moon.png 2x">',
            "lake/index.html": '<h2 id="shore">Shore</h2><a href="../">up</a><a href="#shore">here</a><a href="#top">top</a><a href="#">nowhere</a>',
            "tags/rêve/index.html": '<link rel="stylesheet" href="/anthology/assets/style.css">',
            "assets/style.css": "body { background: url('../static/moon.png') } @import 'more.css';",
            "assets/more.css": "",
            "static/moon.png": "png",
            "404.html": '<a href="/anthology/">home</a>',
        },
    )
    report = check_site(out, BASE)
    assert report.broken == ()
    assert report.links == 15 and report.files == 6


def test_each_kind_of_broken_link_is_reported_with_its_page_and_reason(tmp_path):
    out = output(
        tmp_path,
        {
            "index.html": ('<a href="/anthology/missing/">a</a><a href="/elsewhere/">b</a><a href="/anthology/lake/#nowhere">c</a><a href="/anthology/empty/">d</a><img src="pic.png">'),
            "lake/index.html": '<p id="shore"></p>',
            "empty/readme.txt": "no index here",
            "404.html": '<a href="lake/">relative</a>',
        },
    )
    assert reasons(out) == [
        "404.html: lake/ → 404.html is served for missing URLs at any depth, so its links must start with / or a scheme",
        "index.html: /anthology/missing/ → no missing/index.html in the output",
        "index.html: /elsewhere/ → outside the site's base path /anthology/",
        "index.html: /anthology/lake/#nowhere → no element with id 'nowhere' in lake/index.html",
        "index.html: /anthology/empty/ → no empty/index.html in the output (the folder exists but has no index.html)",
        "index.html: pic.png → no file pic.png in the output",
    ]


def test_urls_are_served_like_github_pages_serves_them(tmp_path):
    out = output(
        tmp_path,
        {
            "index.html": '<a href="/anthology/lake">redirected to lake/</a> <a href="/anthology/about">about.html</a> <a href="/anthology">the base without slash</a>',
            "lake/index.html": "",
            "about.html": "",
        },
    )
    assert reasons(out) == []


def test_feeds_sitemaps_and_robots_are_checked(tmp_path):
    out = output(
        tmp_path,
        {
            "index.html": "",
            "feed.xml": """<?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <link rel="self" href="https://user.github.io/anthology/feed.xml"/>
              <entry>
                <link rel="alternate" href="https://user.github.io/anthology/gone/"/>
                <content type="html" xml:base="https://user.github.io/anthology/lake/">&lt;a href="#fn:1"&gt;1&lt;/a&gt;</content>
              </entry>
            </feed>
        """,
            "lake/index.html": '<li id="fn:1"></li>',
            "sitemap.xml": '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://user.github.io/anthology/nope/</loc></url></urlset>',
            "robots.txt": "User-agent: *\nSitemap: https://user.github.io/anthology/sitemap.xml\n",
            "broken.xml": "<feed>",
        },
    )
    assert reasons(out) == [
        "broken.xml:  → not well-formed XML: no element found: line 1, column 6",
        "feed.xml: https://user.github.io/anthology/gone/ → no gone/index.html in the output",
        "sitemap.xml: https://user.github.io/anthology/nope/ → no nope/index.html in the output",
    ]


def test_external_links_are_listed_not_fetched(tmp_path):
    out = output(tmp_path, {"index.html": '<a href="https://example.org/a">x</a> <a href="https://example.org/a#b">y</a> <a href="mailto:me@example.org">m</a>'})
    report = check_site(out, BASE)
    assert report.broken == () and report.external == ("https://example.org/a",) and not report.fetched


def test_a_site_at_the_root_of_a_domain(tmp_path):
    out = output(tmp_path, {"index.html": '<a href="/lake/">l</a> <a href="https://dreams.example.org/lake/">abs</a>', "lake/index.html": ""})
    assert reasons(out, "https://dreams.example.org/") == []
    assert reasons(out, "/") == []


def test_check_command_exits_1_on_broken_links_and_0_on_a_good_site(make_site, ssg):
    site = make_site({"content/a.md": piece("A")})
    assert ssg("build", "-s", site, "-b", BASE).code == 0
    good = ssg("check", "-s", site, "-b", BASE)
    assert good.code == 0, good
    assert "0 broken" in good.out
    (site / "output/index.html").write_text('<a href="/anthology/nowhere/">x</a>', encoding="utf-8")
    bad = ssg("check", "-s", site, "-b", BASE)
    assert bad.code == 1
    assert "index.html: /anthology/nowhere/ → no nowhere/index.html in the output" in bad.out


def test_check_without_a_built_site_says_to_build_first(make_site, ssg):
    site = make_site({"content/a.md": piece("A")})
    run = ssg("check", "-s", site)
    assert run.code == 1 and "build the site first" in run.err


def test_check_help_lists_its_options(ssg):
    run = ssg("check", "--help")
    assert run.code == 0
    for option in ("--source", "--output", "--base-url", "--external", "--verbose"):
        assert option in run.out


def test_external_links_are_fetched_when_asked(tmp_path):
    import functools
    import http.server
    import threading

    served = tmp_path / "elsewhere"
    write_files(served, {"here.html": "hello"})

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        other = f"http://127.0.0.1:{server.server_address[1]}"
        out = output(tmp_path, {"index.html": f'<a href="{other}/here.html">ok</a> <a href="{other}/gone.html">gone</a> <img src="{other}/gone.html">'})
        report = check_site(out, BASE, external=True, timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert report.fetched and report.external == (f"{other}/gone.html", f"{other}/here.html")
    assert [str(b) for b in report.broken] == [f"index.html: {other}/gone.html → HTTP 404 File not found (and 1 more)"]
