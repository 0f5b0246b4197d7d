"""`ssg serve` in a real browser: edits show up, errors overlay and clear (readable over any
site's styles), layouts apply, deletions 404, a moved base_url takes the tabs along."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ssg.templates import THEME_DIR
from tests.support import piece

DEADLINE_MS = 15_000
HOSTILE_CSS = """
pre, pre *, div, p, span, h2 { color: #ddd !important; background: #fff !important; font-size: 4px !important; }
#ssg-error-overlay, ssg-error-overlay, [role=alertdialog] { display: none !important; opacity: 0 !important; }
body > :last-child { visibility: hidden !important; transform: translateX(-200vw) !important; }
"""
"""Rules a site could have, or write by mistake, that would hide or recolour an overlay made of plain elements."""
COLOURS_OF_OVERLAY_TEXT = """host => [...host.shadowRoot.querySelectorAll("h2, .location, .hint, .line, .note")].map(element => {
  let layer = element;
  while (getComputedStyle(layer).backgroundColor === "rgba(0, 0, 0, 0)") layer = layer.parentElement;
  return [element.className || element.tagName, getComputedStyle(element).color, getComputedStyle(layer).backgroundColor];
})"""
"""For each text of the overlay: its colour and the colour of the first opaque background behind it."""


def anthology(make_site):
    return make_site(
        {
            "pyproject.toml": '[tool.ssg]\ntitle = "Night Book"\nbase_url = "https://user.github.io/anthology/"\n',
            "content/lake.md": piece("Lake of Glass", "2026-01-01", tags="[moonlight]", body="The lake was glass."),
            "content/fog.md": piece("Fog Hymn", "2026-01-02", tags="[mist]", body="Grey on grey."),
        }
    )


def test_a_saved_edit_shows_in_the_open_tab(make_site, preview, page):
    site = anthology(make_site)
    server = preview(site)
    assert server.url.endswith("/anthology/")
    page.goto(server.url + "lake/")
    expect(page.locator("article")).to_contain_text("The lake was glass.")
    (site / "content/lake.md").write_text(piece("Lake of Glass", "2026-01-01", tags="[moonlight]", body="The lake had *thawed* overnight."))
    expect(page.locator("article")).to_contain_text("The lake had thawed overnight.", timeout=DEADLINE_MS)


def test_a_broken_piece_overlays_the_error_until_fixed(make_site, preview, page):
    site = anthology(make_site)
    server = preview(site)
    page.goto(server.url + "fog/")
    expect(page.locator("article")).to_contain_text("Grey on grey.")
    (site / "content/fog.md").write_text("---\ntitle: Fog Hymn\ndate: 2026-13-02\n---\n\nGrey on grey.\n")
    overlay = page.locator("#ssg-error-overlay")
    expect(overlay).to_be_visible(timeout=DEADLINE_MS)
    expect(overlay).to_contain_text("content/fog.md:3: 'date' is not a date")
    expect(overlay).to_contain_text("date: 2026-13-02")  # the source around the line
    expect(page.locator("article")).to_contain_text("Grey on grey.")  # the last good page beneath
    assert "content/fog.md:3:" in server.output()

    (site / "content/fog.md").write_text(piece("Fog Hymn", "2026-01-02", tags="[mist]", body="Grey, then *white*."))
    expect(overlay).to_have_count(0, timeout=DEADLINE_MS)
    expect(page.locator("article")).to_contain_text("Grey, then white.", timeout=DEADLINE_MS)
    assert server.process.poll() is None


def test_the_overlay_shows_on_pages_opened_while_broken_and_clears_on_a_fix_that_changes_nothing(make_site, preview, page):
    site = anthology(make_site)
    server = preview(site)
    good = (site / "content/lake.md").read_text()
    (site / "content/lake.md").write_text(good.replace("title: Lake of Glass", "title: [unclosed"))
    page.goto(server.url + "tags/")
    expect(page.locator("#ssg-error-overlay")).to_contain_text("content/lake.md:2:", timeout=DEADLINE_MS)
    (site / "content/lake.md").write_text(good)
    expect(page.locator("#ssg-error-overlay")).to_have_count(0, timeout=DEADLINE_MS)


def test_a_layout_change_reaches_every_page(make_site, preview, browser):
    site = anthology(make_site)
    server = preview(site)
    tabs = [browser.new_page() for _ in range(3)]
    for tab, path in zip(tabs, ["", "lake/", "tags/mist/"], strict=False):
        tab.goto(server.url + path)
    base = site / "layouts/base.html"  # a new override of the theme's base.html
    base.parent.mkdir()
    base.write_text((THEME_DIR / "base.html").read_text().replace("</main>", '<p class="edited-by-test">A new colophon line.</p></main>', 1))
    for tab in tabs:
        expect(tab.locator(".edited-by-test")).to_have_text("A new colophon line.", timeout=DEADLINE_MS)
        tab.close()


def test_a_deleted_piece_is_gone(make_site, preview, page):
    site = anthology(make_site)
    server = preview(site)
    page.goto(server.url)
    expect(page.locator("main")).to_contain_text("Fog Hymn")
    (site / "content/fog.md").unlink()
    expect(page.locator("main")).not_to_contain_text("Fog Hymn", timeout=DEADLINE_MS)
    response = page.goto(server.url + "fog/")
    assert response.status == 404


def test_the_reload_script_is_never_written_to_the_output(make_site, preview, page, ssg):
    site = anthology(make_site)
    server = preview(site)
    page.goto(server.url)
    assert page.locator('script[src="/__ssg__/reload.js"]').count() == 1
    assert ssg("build", "-s", site).code == 0
    for file in (site / "output").rglob("*.html"):
        assert "__ssg__" not in file.read_text()


def test_the_page_reloads_after_the_server_restarts(make_site, preview, page):
    site = anthology(make_site)
    first = preview(site)
    page.goto(first.url + "lake/")
    expect(page.locator("article")).to_contain_text("The lake was glass.")
    port = re.search(r":(\d+)/", first.url).group(1)
    first.process.terminate()
    first.process.wait(timeout=10)
    (site / "content/lake.md").write_text(piece("Lake of Glass", "2026-01-01", body="Written while the server slept."))
    second = preview(site, "--port", port)  # the later --port wins over the fixture's --port 0
    assert second.url == first.url
    expect(page.locator("article")).to_contain_text("Written while the server slept.", timeout=DEADLINE_MS)


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two computed CSS colours (rgb(...) of opaque colours)."""

    def luminance(colour: str) -> float:
        red, green, blue = (int(value) / 255 for value in re.findall(r"[\d.]+", colour)[:3])
        linear = [part / 12.92 if part <= 0.04045 else ((part + 0.055) / 1.055) ** 2.4 for part in (red, green, blue)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("stylesheet", ["the anthology's theme", "a hostile stylesheet"])
def test_the_overlay_reads_at_7_to_1_in_light_and_dark_whatever_the_site_styles(make_site, preview, page, stylesheet):
    site = anthology(make_site)
    if stylesheet == "a hostile stylesheet":
        css = site / "layouts/assets/custom.css"  # linked after the theme's stylesheet
        css.parent.mkdir(parents=True)
        css.write_text(HOSTILE_CSS)
    server = preview(site)
    page.goto(server.url + "fog/")
    site_text_size = page.locator("article p").first.evaluate("e => getComputedStyle(e).fontSize")
    assert (site_text_size == "4px") == (stylesheet == "a hostile stylesheet")  # the site's rules are in force
    (site / "content/fog.md").write_text("---\ntitle: Fog Hymn\ndate: 2026-13-02\n---\n\nGrey on grey.\n")
    overlay = page.locator("#ssg-error-overlay")
    expect(overlay.locator(".line.bad")).to_have_text("   3 | date: 2026-13-02", timeout=DEADLINE_MS)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        colours = overlay.evaluate(COLOURS_OF_OVERLAY_TEXT)
        assert {name for name, _, _ in colours} >= {"H2", "location", "hint", "line", "line bad", "note"}
        for name, foreground, background in colours:
            assert background.startswith("rgb("), f"{name}: a translucent background ({background}) lets the page through"
            assert contrast(foreground, background) >= 7, f"{scheme}: {name} is {foreground} on {background}: {contrast(foreground, background):.2f}:1"
        excerpt = overlay.locator(".excerpt")
        assert excerpt.evaluate("e => getComputedStyle(e).fontSize") == "15px"  # no site rule reaches inside
    box = overlay.bounding_box()
    viewport = page.viewport_size
    assert box == {"x": 0, "y": 0, "width": viewport["width"], "height": viewport["height"]}
    assert page.evaluate("() => document.elementFromPoint(innerWidth / 2, innerHeight / 2).id") == "ssg-error-overlay"  # on top


def test_a_changed_base_url_takes_the_open_tab_to_the_new_address(make_site, preview, page):
    site = anthology(make_site)
    server = preview(site)
    page.goto(server.url + "lake/")
    expect(page.locator("article")).to_contain_text("The lake was glass.")
    settings = site / "pyproject.toml"
    settings.write_text(settings.read_text().replace("/anthology/", "/dreams/"))
    expect(page).to_have_url(server.url.replace("/anthology/", "/dreams/") + "lake/", timeout=DEADLINE_MS)
    expect(page.locator("article")).to_contain_text("The lake was glass.")
    page.locator("header a").first.click()  # the new links lead within the new base path
    expect(page).to_have_url(re.compile(r"/dreams/"))


def test_a_half_made_folder_says_what_is_missing_and_that_nothing_was_built(make_site, preview, page):
    site = make_site()
    (site / "content").rmdir()
    server = preview(site)
    page.goto(server.url + "lake/")
    overlay = page.locator("#ssg-error-overlay")
    expect(overlay).to_contain_text("content/ (the pieces) and pyproject.toml (the settings) are missing", timeout=DEADLINE_MS)
    expect(overlay).to_contain_text("Nothing has been built yet")
    assert "last good build" not in overlay.inner_text()
    expect(page.locator("h1")).to_have_text("Nothing has been built yet")  # the page itself says so, script or not
    (site / "content").mkdir()
    (site / "content/lake.md").write_text(piece("Lake of Glass", "2026-01-01", tags="[moonlight]", body="The lake was glass."))
    expect(page.locator("article")).to_contain_text("The lake was glass.", timeout=DEADLINE_MS)
    expect(overlay).to_have_count(0)
