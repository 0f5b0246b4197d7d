"""The pictures of the anthology in docs/screenshots/, taken in headless Chromium.

    .venv/bin/python -m tests.browser.screenshots

Builds and serves the anthology as the quality gate does, and photographs a
piece in each mood (mist, moonlight, dawn) in light and dark, on a phone
(360×740) and a desktop (1280×800); then a verse piece with line numbers and
the title page.  Each picture is one screenful (not the whole page), with
motion reduced so the sky is fully painted.  Each piece's mood is checked, so
the gallery cannot mislabel a picture.

Chromium dithers the sky's gradients, and that noise makes a plain PNG of one
screenful weigh up to half a megabyte.  Each picture is reduced to 256 colours
with Floyd–Steinberg dithering, a third to a half of that.  A light picture
takes an octree palette (the smallest files; its dithering does not show on a
pale sky).  On a dark sky an octree palette leaves specks and median cut alone
turns the rose ornaments grey, so a dark picture takes 192 colours by median
cut, for the sky, and 64 by octree, for the accents.  This needs Pillow:
`.venv/bin/pip install pillow`.
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.sites import serve_sites
from tests.support import REPO

SCREENSHOTS = REPO / "docs/screenshots"
DEVICES = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
SCHEMES = ("light", "dark")
PAGES = {
    # name: (page, the mood it must wear)
    "mist": ("the-city-that-forgot-its-streets/", "mist"),
    "moonlight": ("the-orchard-under-the-moon/", "moonlight"),
    "dawn": ("my-brother-teaches-the-tide-to-swim/", "dawn"),
    "verse": ("fog-liturgy/", "mist"),
    "home": ("", None),
    "search": ("search/?q=lake", None),
}
SHOTS = [(mood, scheme, device) for mood in ("mist", "moonlight", "dawn") for scheme in SCHEMES for device in DEVICES] + [
    ("verse", "light", "desktop"),
    ("verse", "dark", "phone"),
    ("home", "light", "desktop"),
    ("home", "dark", "desktop"),
    ("search", "light", "desktop"),
    ("search", "dark", "phone"),
]
"""(page, scheme, device) of every picture; the file is docs/screenshots/PAGE-SCHEME-DEVICE.png."""


def reduce_colours(png: bytes, scheme: str) -> bytes:
    """The picture with a palette of 256 colours, dithered (see the module's docstring)."""
    from PIL import Image

    picture = Image.open(io.BytesIO(png)).convert("RGB")
    if scheme == "light":
        palette = picture.quantize(256, method=Image.Quantize.FASTOCTREE)
    else:
        sky = picture.quantize(192, method=Image.Quantize.MEDIANCUT).getpalette()[: 192 * 3]
        accents = picture.quantize(64, method=Image.Quantize.FASTOCTREE).getpalette()[: 64 * 3]
        palette = Image.new("P", (1, 1))
        palette.putpalette(sky + accents)
    reduced = io.BytesIO()
    picture.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG).save(reduced, "PNG", optimize=True)
    return reduced.getvalue()


def take(out_dir: Path = SCREENSHOTS) -> list[Path]:
    """Take every picture of SHOTS into out_dir; the files written."""
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as work, serve_sites(Path(work), names=("anthology",)) as sites, sync_playwright() as playwright:
        site = sites["anthology"]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for device, options in DEVICES.items():
            for scheme in SCHEMES:
                context = browser.new_context(**options, color_scheme=scheme, reduced_motion="reduce")
                tab = context.new_page()
                for name in [name for name, shot_scheme, shot_device in SHOTS if (shot_scheme, shot_device) == (scheme, device)]:
                    page, mood = PAGES[name]
                    tab.goto(site.url + page)
                    worn = tab.evaluate("document.body.dataset.mood || null")
                    assert worn == mood, f"{page} wears the mood {worn}, not {mood}: choose another piece for '{name}'"
                    if name == "search":  # its results come from the index once the script has asked
                        tab.wait_for_selector(".search-result")
                    file = out_dir / f"{name}-{scheme}-{device}.png"
                    file.write_bytes(reduce_colours(tab.screenshot(animations="disabled", caret="hide"), scheme))
                    written.append(file)
                context.close()
        browser.close()
    return written


def main() -> int:
    try:
        import PIL  # noqa: F401
    except ImportError:
        print("tests.browser.screenshots needs Pillow\n  hint: .venv/bin/pip install pillow", file=sys.stderr)
        return 1
    written = take()
    for file in written:
        print(f"{file.relative_to(REPO)}  {file.stat().st_size // 1024} KiB")
    print(f"{len(written)} screenshots, {sum(file.stat().st_size for file in written) / 2**20:.2f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
