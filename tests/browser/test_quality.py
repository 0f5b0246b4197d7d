"""The readers' quality gate: every page, in a real browser, is accessible, valid and whole.

The anthology and a fixture site with every kind of page (tests/browser/fixture_site)
are built for http://127.0.0.1:PORT/anthology/ and served there.  Headless Chromium
opens every page on a phone (360×740) and a desktop (1280×800), in light and dark,
with reduced motion, and finds no console error, no failed request, no sideways
scrolling, and no axe-core violation at any level (WCAG 2.2 A, AA and AAA, best
practices, and axe's experimental rules).  The Nu HTML Checker finds no error and no warning in any page or
in the stylesheet.  Every link is reached with Tab, with a visible focus ring, and
the skip link leads to the text.  Every mood's palette keeps 7:1 text contrast
against every colour of its sky, in light and dark.

The npm tools are pinned in package.json and installed with `npm ci`.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.sites import AXE, MISSING, VNU, Served, require_checkers, serve_sites

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
SCHEMES = ("light", "dark")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag2aaa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice", "experimental"]
"""Every rule of axe-core 4.14 but its two deprecated duplicate-id rules (the validator checks ids)."""
AAA = 7.0
"""WCAG's enhanced contrast (1.4.6) for normal text."""


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[dict[str, Served]]:
    with serve_sites(tmp_path_factory.mktemp("quality")) as served:
        yield served


@pytest.fixture
def checkers() -> None:
    """axe-core and the Nu HTML Checker, from node_modules (`npm ci`)."""
    require_checkers()


def all_pages(sites: dict[str, Served]) -> list[tuple[Served, str]]:
    return [(site, page) for site in sites.values() for page in site.pages]


class Watch:
    """Console errors, failed requests and error responses of one tab, page by page."""

    def __init__(self, tab):
        self.tab = tab
        self.url = ""
        self.problems: list[str] = []
        tab.on("console", lambda message: message.type == "error" and self.problems.append(f"console error: {message.text} ({message.location.get('url')})"))
        tab.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        tab.on("requestfailed", lambda request: self.problems.append(f"request failed: {request.url} ({request.failure})"))
        tab.on("response", lambda response: response.status >= 400 and not self._is_the_404_page(response) and self.problems.append(f"HTTP {response.status}: {response.url}"))

    def open(self, url: str) -> None:
        """Open url and wait for it to load; MISSING must answer 404, every other page 200."""
        self.problems.clear()
        self.url = url
        response = self.tab.goto(url, wait_until="load")
        expected = 404 if url.endswith(MISSING) else 200
        if response is None or response.status != expected:
            self.problems.append(f"the page answered {response and response.status}, not {expected}")

    def seen(self) -> list[str]:
        """What went wrong since open(), but the deliberate 404 of the 404 page (Chromium logs it in the console too)."""
        the_404 = f"console error: Failed to load resource: the server responded with a status of 404 (Not Found) ({self.url})"
        return [problem for problem in self.problems if not (self.url.endswith(MISSING) and problem == the_404)]

    def _is_the_404_page(self, response) -> bool:
        return response.url == self.url and self.url.endswith(MISSING) and response.request.resource_type == "document"


def axe_violations(tab) -> list[str]:
    """axe-core's violations on the open page, one line per element."""
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
    return [f"axe {violation['id']} ({violation['impact']}) at {node['target']}: {' '.join(node['failureSummary'].split())}" for violation in result["violations"] for node in violation["nodes"]]


def page_problems(watch: Watch, url: str) -> list[str]:
    """Everything wrong with one page as a reader's browser sees it: loading, width, axe."""
    watch.open(url)
    problems = []
    width, inner = watch.tab.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    if width > inner:
        problems.append(f"scrolls sideways: {width} px wide in a {inner} px window")
    return problems + axe_violations(watch.tab) + watch.seen()


FOCUSED = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element), box = element.getBoundingClientRect();
    return {
        index: [...document.querySelectorAll('*')].indexOf(element),
        name: element.tagName.toLowerCase() + (element.className ? '.' + element.className.split(' ').join('.') : '')
            + (element.getAttribute('href') ? ` href="${element.getAttribute('href')}"` : ''),
        ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
        onScreen: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
    };
}"""
VISIBLE_LINKS = """() => [...document.querySelectorAll('*')].flatMap((element, index) =>
    element.matches('a[href]') && element.getClientRects().length && getComputedStyle(element).visibility === 'visible'
        ? [index] : [])"""


def keyboard_problems(tab, url: str) -> list[str]:
    """Tab through a page: the skip link comes first and leads to #main, every link is reached, each with a visible ring."""
    tab.goto(url)
    links = set(tab.evaluate(VISIBLE_LINKS))
    problems, reached, first = [], set(), None
    for _ in range(len(links) + 50):
        tab.keyboard.press("Tab")
        focused = tab.evaluate(FOCUSED)
        if focused is None or focused["index"] == first:
            break  # past the last element, or round again
        if first is None:
            first = focused["index"]
            if "skip-link" not in focused["name"]:
                problems.append(f"the first Tab focuses {focused['name']}, not the skip link")
        reached.add(focused["index"])
        if not focused["ring"]:
            problems.append(f"no visible focus ring on {focused['name']}")
        if not focused["onScreen"]:
            problems.append(f"focused but off screen: {focused['name']}")
    names = tab.evaluate("indexes => indexes.map(i => document.querySelectorAll('*')[i].outerHTML.slice(0, 120))", sorted(links - reached))
    problems += [f"never reached with Tab: {name}" for name in names]

    tab.goto(url)
    tab.keyboard.press("Tab")
    tab.keyboard.press("Enter")
    landed = tab.evaluate("""() => {
        const main = document.getElementById('main'), top = main ? main.getBoundingClientRect().top : NaN;
        return {focused: document.activeElement === main, hash: location.hash,
                scrolled: Math.abs(top) < 2 || scrollY + innerHeight >= document.documentElement.scrollHeight - 1};
    }""")
    if landed != {"focused": True, "hash": "#main", "scrolled": True}:
        problems.append(f"the skip link does not lead to the text: {landed}")
    return problems


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG relative luminance of an sRGB colour."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


PALETTE = """names => {
    // Each custom property resolved to rgb() by the browser, whatever way the stylesheet writes it.
    const probe = document.body.appendChild(document.createElement('span')), colours = {};
    for (const name of names) { probe.style.color = `var(--${name})`; colours[name] = getComputedStyle(probe).color; }
    probe.remove();
    const body = getComputedStyle(document.body);
    return {colours, text: body.color, background: body.backgroundColor};
}"""
SKY = ("bg", "haze-1", "haze-2", "haze-3")
TEXT = ("ink", "ink-soft", "accent")
CODE = ("ink", "ink-soft", "hl-comment", "hl-keyword", "hl-string", "hl-number", "hl-name", "hl-builtin", "hl-escape", "hl-del", "hl-ins")
MOOD_PAGES = {"": None, MISSING: None, "tags/sea/": None, "tags/mist/": "mist", "tags/moonlight/": "moonlight", "tags/dawn/": "dawn"}
"""Fixture pages with their expected mood: the title page and the lost page (their own sky), a quiet tag, each mood."""


def rgb(css: str) -> tuple[int, int, int]:
    found = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)", css)
    assert found and found.group(4) in (None, "1"), f"not an opaque colour: {css}"
    return int(found.group(1)), int(found.group(2)), int(found.group(3))


def palette_problems(tab) -> list[str]:
    """Text colours under 7:1 against any colour of the page's sky, chips or code blocks."""
    seen = tab.evaluate(PALETTE, sorted({*SKY, *TEXT, *CODE, "chip-ink", "chip-bg", "code-bg"}))
    colour = {name: rgb(value) for name, value in seen["colours"].items()}
    pairs = [(text, sky) for text in TEXT for sky in SKY] + [("chip-ink", "chip-bg")] + [(code, "code-bg") for code in CODE]
    problems = [f"--{text} on --{back}: {contrast(colour[text], colour[back]):.2f}:1" for text, back in pairs if contrast(colour[text], colour[back]) < AAA]
    body = contrast(rgb(seen["text"]), rgb(seen["background"]))
    if body < AAA:
        problems.append(f"body text on the page background: {body:.2f}:1")
    return problems


# The gate


def test_the_fixture_site_has_every_kind_of_page(sites):
    fixture = sites["fixture"]
    assert {"", "tags/", "tags/mist/", "tags/moonlight/", "tags/dawn/", "tags/sea/page/3/", "tags/rêve/", MISSING} <= set(fixture.pages)
    verse = (fixture.out_dir / "moon-tide/index.html").read_text()
    assert 'class="line-number"' in verse and max(len(line) for line in verse.split('class="line')) > 120  # long lines, numbered
    assert '<pre tabindex="0">' in (fixture.out_dir / "a-dream-in-python/index.html").read_text()  # code, and a verse passage in prose
    assert 'class="verse"' in (fixture.out_dir / "a-dream-in-python/index.html").read_text()
    prose = (fixture.out_dir / "the-fog-archive/index.html").read_text()
    assert all(mark in prose for mark in ("<table>", "<blockquote>", 'class="footnote"', "<img ", 'class="epigraph"', 'class="dedication"'))


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_loads_cleanly_fits_the_screen_and_passes_axe(checkers, sites, browser, viewport, scheme):
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme, reduced_motion="reduce")
    watch = Watch(context.new_page())
    report = {}
    try:
        for site, page in all_pages(sites):
            problems = page_problems(watch, site.url + page)
            if problems:
                report[f"{site.name}/{page}"] = problems
    finally:
        context.close()
    assert report == {}, json.dumps(report, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("name", ["anthology", "fixture"])
def test_every_link_is_reached_with_tab_and_shows_its_focus(sites, browser, name):
    context = browser.new_context(viewport=VIEWPORTS["desktop"], reduced_motion="reduce")
    tab = context.new_page()
    site = sites[name]
    report = {}
    try:
        for page in site.pages:
            problems = keyboard_problems(tab, site.url + page)
            if problems:
                report[page] = problems
    finally:
        context.close()
    assert report == {}, json.dumps(report, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_mood_keeps_aaa_contrast_against_its_whole_sky(sites, browser, scheme):
    context = browser.new_context(color_scheme=scheme)
    tab = context.new_page()
    site = sites["fixture"]
    report = {}
    try:
        for page, mood in MOOD_PAGES.items():
            tab.goto(site.url + page)
            problems = palette_problems(tab)
            seen_mood = tab.evaluate("document.body.dataset.mood || null")
            if seen_mood != mood:
                problems.append(f"the page's mood is {seen_mood}, not {mood}")
            if problems:
                report[page] = problems
    finally:
        context.close()
    assert report == {}, json.dumps(report, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_the_sky_is_still_when_the_reader_asks_for_reduced_motion(sites, browser, motion):
    context = browser.new_context(reduced_motion=motion)
    tab = context.new_page()
    try:
        tab.goto(sites["fixture"].url + "tags/mist/")
        running = tab.evaluate("document.getAnimations().filter(a => a.playState === 'running').length")
    finally:
        context.close()
    assert (running == 0) == (motion == "reduce"), f"{running} animations running with prefers-reduced-motion: {motion}"


def test_the_nu_html_checker_finds_no_error_or_warning_in_any_page_or_the_stylesheet(checkers, sites, tmp_path):
    # A witness beside the sites: a broken page two folders deep and a broken stylesheet,
    # so a checker that reads nothing, or not recursively, cannot pass.
    witness = tmp_path / "witness"
    (witness / "deep/er").mkdir(parents=True)
    (witness / "deep/er/index.html").write_text("<!doctype html><html lang=en><title>w</title><p><div>x</div></p><img src=a.png>")
    (witness / "bad.css").write_text("p { colr: red; }\n")
    folders = [site.out_dir for site in sites.values()] + [witness]
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--skip-non-html", "--also-check-css", "--format", "json", *(f"{folder}/" for folder in folders)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    witnessed = {Path(message["url"].removeprefix("file:")).name for message in messages if str(witness) in message["url"]}
    assert witnessed == {"index.html", "bad.css"}, messages
    found = [
        f"{message['url'].removeprefix('file:')}:{message.get('lastLine')}: {message.get('subType', message['type'])}: {message['message']}"
        for message in messages
        if str(witness) not in message["url"]
    ]
    assert found == [], "\n".join(found)
    assert result.returncode == 1  # for the witness's errors alone


# Witnesses: each check above sees what it must


def test_the_checks_see_a_broken_page(checkers, browser, tmp_path):
    """A page with every fault the gate looks for, and the gate reports each one."""
    from tests.support import serve

    site = tmp_path / "broken"
    site.mkdir()
    (site / "404.html").write_text("<!doctype html><html lang=en><title>lost</title><p>lost</p>")
    (site / "index.html").write_text("""<!doctype html><html lang="en"><head><title>broken</title>
        <style>body { background: #fff; } .faint { color: #999; } .dim { color: #6f6f6f; } a.ringless:focus { outline: none; }</style></head>
        <body><a class="skip-link" href="#main">Skip</a>
        <nav><a class="ringless" href="/elsewhere/">ringless</a> <a href="/unreached/" tabindex="-1">unreached</a></nav>
        <main id="main"><p class="faint">Faint words.</p><p class="dim">Dim words.</p><img src="missing.png">
        <div style="width: 2000px">wide</div><script>console.error("a script broke")</script></main></body></html>""")
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    try:
        with serve(site, "/") as url:
            problems = page_problems(Watch(context.new_page()), url)
            lost = page_problems(Watch(context.new_page()), url + MISSING)
            keys = keyboard_problems(context.new_page(), url)
    finally:
        context.close()
    text = "\n".join(problems)
    for expected in (
        "scrolls sideways",
        "HTTP 404: " + url + "missing.png",
        "console error: a script broke",
        "favicon.ico",  # a page without an icon link: Chromium asks for one
        "axe color-contrast (serious) at ['.faint']",
        "axe color-contrast-enhanced (serious) at ['.dim']",  # AA, AAA
        "axe image-alt (critical)",
        "axe target-size",
        "axe page-has-heading-one",
    ):  # WCAG 2.2, best practice
        assert expected in text, f"{expected!r} not in:\n{text}"
    assert not any("HTTP 404" in problem for problem in lost)  # the 404 page's own 404 is expected
    assert "no visible focus ring on a.ringless" in "\n".join(keys)
    assert any(problem.startswith('never reached with Tab: <a href="/unreached/"') for problem in keys), keys
    assert "the skip link does not lead to the text: {'focused': False" in "\n".join(keys)  # main has no tabindex="-1"
