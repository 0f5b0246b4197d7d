"""Verse on a phone, figures, and print, measured in Chromium with the theme's own stylesheet.

A small site holds a poem with lines at every indent level (0 to 6) and lines
long enough to run over on a phone, a poem with no indents at all, and a prose
piece with a figure 2400 px wide.  On a phone (390×844) and a desktop (1280×900):

- a runover's continuation starts at least 1em away from where a line of any
  indent level of its poem starts, so it never reads as a line of its own;
- the figure never makes the page scroll sideways.

Printed (print media, and a real PDF): prose keeps to at most 70 characters a
line, tag chips are gone, stanzas and figures are not broken across pages, and
every page carries the book's title and its number.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest

from tests.browser.sites import build
from tests.support import piece, serve, write_files

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
TITLE = "The Tideline Book"
MAX_CHARACTERS = 70
"""The longest printed line of prose, in characters."""

LONG = "and the long grey water carried every lantern of the harbour out past the breakwater into the dark"
STAIR = "\n".join(f"{'  ' * level}the stair goes down a level, {level} by {level}" for level in range(7))
STAIR_POEM = f"""{STAIR}

{LONG}
  {LONG}
    {LONG}
      {LONG}
        {LONG}
          {LONG}
            {LONG}
"""
PLAIN_POEM = f"""The tide comes in without a sound.

{LONG}
and the night is short.
"""
PROSE = " ".join(
    "The ferry left at midnight, as it always did, and the harbour lights went out one by one behind it while the passengers slept against their bags and dreamt of the far shore." for _ in range(4)
)

RUNOVERS = """() => [...document.querySelectorAll('.verse')].map(verse => {
    const starts = {};
    const runovers = [];
    for (const line of verse.querySelectorAll('.line')) {
        const range = document.createRange();
        range.selectNodeContents(line);
        const rows = [];
        for (const rect of range.getClientRects()) {
            if (rect.width === 0) continue;
            const row = rows.find(row => Math.abs(row.top - rect.top) < rect.height / 2);
            if (row) row.left = Math.min(row.left, rect.left); else rows.push({top: rect.top, left: rect.left});
        }
        rows.sort((a, b) => a.top - b.top);
        const level = (line.className.match(/indent-(\\d)/) || [0, 0])[1];
        (starts[level] ??= []).push(rows[0].left);
        for (const row of rows.slice(1)) runovers.push({level: Number(level), left: row.left, text: line.textContent.slice(0, 30)});
    }
    return {em: parseFloat(getComputedStyle(verse).fontSize), starts, runovers};
})"""
"""For each poem: its font size, where the lines of each indent level start, and where each runover row starts (px)."""

PRINTED_LINES = """selector => {
    const paragraph = document.querySelector(selector);
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    const rows = new Map();
    for (let node; (node = walker.nextNode());) {
        for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (!rect) continue;
            const top = Math.round(rect.top);
            rows.set(top, (rows.get(top) || '') + node.data[i]);
        }
    }
    return [...rows.values()].map(row => row.trim());
}"""
"""The visual lines of a paragraph, as text."""


def figure_png(width: int = 2400, height: int = 600) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (120, 130, 160)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    """The small site, built with the theme and served; yields its root URL."""
    workdir = tmp_path_factory.mktemp("verse-and-print")
    source = workdir / "source"
    write_files(
        source,
        {
            "pyproject.toml": f'[tool.ssg]\ntitle = "{TITLE}"\nlanguage = "en"\nauthor = "A. Sleeper"\n',
            "content/stair.md": piece("The Stair", "2026-01-02", STAIR_POEM, form="verse", tags="[sea, night]"),
            "content/plain.md": piece("The Plain Tide", "2026-01-03", PLAIN_POEM, form="verse"),
            "content/ferry.md": piece(
                "The Ferry",
                "2026-01-04",
                f"{PROSE}\n\n{PROSE}\n\n"
                '<figure class="figure"><img src="/static/wide.png" alt="A grey sea" width="2400" height="600">'
                "<figcaption>The sea at the harbour mouth, at night.</figcaption></figure>\n\n"
                f"{PROSE}\n",
                tags="[sea]",
            ),
            "content/static/wide.png": figure_png(),
        },
    )
    with serve(build(source, workdir / "out", "/"), "/") as url:
        yield url


def open_at(page, url: str, viewport: str, media: str = "screen") -> None:
    page.set_viewport_size(VIEWPORTS[viewport])
    page.emulate_media(media=media)
    page.goto(url, wait_until="load")


def runover_problems(poem: dict) -> list[str]:
    em = poem["em"]
    starts = {int(level): min(lefts) for level, lefts in poem["starts"].items()}
    problems = []
    for runover in poem["runovers"]:
        for level, start in starts.items():
            if abs(runover["left"] - start) < em:
                problems.append(
                    f"a runover of an indent-{runover['level']} line ({runover['text']!r}…) starts at x={runover['left']:.1f},"
                    f" {abs(runover['left'] - start):.1f} px from indent level {level} (x={start:.1f}); 1em is {em:.1f} px"
                )
    return problems


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("slug", ["stair", "plain"])
def test_a_runover_never_starts_where_a_line_could(page, site, viewport, slug):
    open_at(page, site + f"{slug}/", viewport)
    poems = page.evaluate(RUNOVERS)
    assert poems, "no verse on the page"
    if viewport == "phone":
        assert all(poem["runovers"] for poem in poems), "the long lines did not run over at 390 px: the test measures nothing"
    if slug == "stair":
        assert set(poems[0]["starts"]) == {str(level) for level in range(7)}
        lefts = [min(poems[0]["starts"][str(level)]) for level in range(7)]
        assert lefts == sorted(lefts) and len(set(lefts)) == 7, f"indent levels do not step in: {lefts}"
    assert [problem for poem in poems for problem in runover_problems(poem)] == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_wide_figure_fits_the_page(page, site, viewport):
    open_at(page, site + "ferry/", viewport)
    width, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width <= inner, f"the page scrolls sideways: {width} px wide in a {inner} px window"
    figure = page.evaluate("""() => {
        const figure = document.querySelector('.piece-body .figure'), img = figure.querySelector('img');
        const caption = getComputedStyle(figure.querySelector('figcaption'));
        const f = figure.getBoundingClientRect(), i = img.getBoundingClientRect(), body = figure.parentElement.getBoundingClientRect();
        return {imgWidth: i.width, imgHeight: i.height, bodyWidth: body.width, centre: i.left + i.width / 2 - (body.left + body.width / 2),
                indent: getComputedStyle(figure).textIndent, captionStyle: caption.fontStyle};
    }""")
    assert figure["imgWidth"] <= figure["bodyWidth"] + 0.5
    assert figure["imgHeight"] == pytest.approx(figure["imgWidth"] / 4, abs=1.5), "the image lost its aspect ratio"
    assert abs(figure["centre"]) < 1, "the image is not centred"
    assert figure["indent"] == "0px" and figure["captionStyle"] == "italic"


def test_print_keeps_a_measure_and_drops_the_clutter(page, site):
    open_at(page, site + "ferry/", "desktop", media="print")
    rows = page.evaluate(PRINTED_LINES, ".piece-body > p:nth-of-type(2)")
    assert len(rows) >= 4, rows
    longest = max(rows, key=len)
    assert len(longest) <= MAX_CHARACTERS, f"a printed line of {len(longest)} characters: {longest!r}"
    hidden = page.evaluate("""() => ['.chips', '.masthead', '.skip-link', '.colophon', '.turn']
        .filter(selector => document.querySelector(selector))
        .map(selector => [selector, getComputedStyle(document.querySelector(selector)).display])""")
    assert hidden and all(display == "none" for _, display in hidden), hidden
    assert page.evaluate("getComputedStyle(document.querySelector('.figure')).breakInside") == "avoid"
    assert page.evaluate("getComputedStyle(document.querySelector('.piece-title')).breakAfter") == "avoid"
    link = page.evaluate("""() => {
        const link = document.querySelector('.piece-head a'), style = getComputedStyle(link);
        return [style.color, getComputedStyle(link.parentElement).color, style.textDecorationLine];
    }""")
    assert link == [link[1], link[1], "none"], f"a link prints in colour or underlined: {link}"

    open_at(page, site + "stair/", "desktop", media="print")
    assert page.evaluate("[...document.querySelectorAll('.stanza')].map(s => getComputedStyle(s).breakInside)") == ["avoid"] * 2
    poems = page.evaluate(RUNOVERS)
    assert [problem for poem in poems for problem in runover_problems(poem)] == []


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    """The text of each page of a PDF, by poppler's pdftotext."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("SSG_REQUIRE_BROWSER"):
            pytest.fail("pdftotext is missing: .ci/run installs poppler-utils")
        pytest.skip("pdftotext is missing (apt-get install poppler-utils)")
    file = tmp_path / "printed.pdf"
    file.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(file), "-"], check=True, capture_output=True, text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_every_printed_page_has_the_title_and_its_number(page, site, tmp_path):
    page.emulate_media(media="print")
    page.goto(site + "ferry/", wait_until="load")
    assert page.evaluate("document.documentElement.dataset.bookTitle") == TITLE
    pages = pdf_pages(page.pdf(format="A5"), tmp_path)
    assert len(pages) >= 2, "the piece fits one page: the test measures nothing"
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[-1] == str(number), f"page {number} does not end with its number: {lines[-2:]}"
        assert "Skip to the text" not in text and "Contributors" not in text, f"clutter on page {number}"
        assert lines[0] == TITLE, f"page {number} is not headed by the book's title: {lines[:2]}"
