"""Images in bodies: figures and their captions, sizes read from the files, images beside a piece, srcset copies."""

from __future__ import annotations

import io
import shutil

import pytest
from PIL import Image

from tests.support import piece, read_tree, soup

BASE = "https://example.org/anthology/"


def image(width: int, height: int, kind: str = "JPEG", colour=(180, 90, 40)) -> bytes:
    """An image made here, with a gradient so that resizing has something to do."""
    made = Image.new("RGB", (width, height), colour)
    made.paste((20, 60, 200), (0, 0, width // 3, height // 2))
    data = io.BytesIO()
    made.save(data, format=kind)
    return data.getvalue()


def test_an_image_alone_is_a_figure_captioned_by_its_title_and_every_image_has_its_size(make_site, ssg):
    site = make_site(
        {
            "content/night/ferry.md": piece("Night Ferry", body=('![A heron](/static/heron.jpg "The heron at dawn")\n\n![Untitled](/static/heron.jpg)\n\nThe moon ![moon](/static/moon.png) rose.')),
            "content/static/heron.jpg": image(800, 600),
            "content/static/moon.png": image(30, 20, "PNG"),
        }
    )
    assert ssg("build", "-s", site).code == 0
    page = soup(site / "output/ferry/index.html")
    first, second = page.find_all("figure", class_="figure")
    img = first.img
    assert (img["src"], img["alt"], img["width"], img["height"], img["loading"], img["decoding"]) == ("/static/heron.jpg", "A heron", "800", "600", "lazy", "async")
    assert first.figcaption.get_text() == "The heron at dawn"
    assert not img.has_attr("title") and not img.has_attr("srcset")
    assert second.figcaption is None and second.img["alt"] == "Untitled"
    moon = page.find("img", alt="moon")
    assert moon.parent.name == "p" and "The moon" in moon.parent.get_text()
    assert (moon["width"], moon["height"], moon["loading"], moon["decoding"]) == ("30", "20", "lazy", "async")


def test_an_svg_takes_its_size_from_its_attributes_or_view_box(make_site, ssg):
    site = make_site(
        {
            "content/a.md": piece("A", body="![w](w.svg) ![v](v.svg) ![n](n.svg)"),
            "content/w.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="120px" height="80"/>',
            "content/v.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"/>',
            "content/n.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="100%"/>',
        }
    )
    assert ssg("build", "-s", site).code == 0
    page = soup(site / "output/a/index.html")
    assert [(img.get("width"), img.get("height")) for img in page.find_all("img")] == [("120", "80"), ("300", "150"), (None, None)]


@pytest.mark.parametrize("urls", ["flat", "folders"])
def test_an_image_beside_a_piece_is_published_where_its_link_points(make_site, ssg, urls):
    site = make_site(
        {
            "pyproject.toml": f'[tool.ssg]\ntitle = "Dreams"\nurls = "{urls}"\n',
            "content/night/ferry.md": piece("Night Ferry", body="![The moon](moon.jpg)\n\n[sky](../sky.png)"),
            "content/sky.png": image(40, 40, "PNG"),
            "content/night/moon.jpg": image(400, 300),
            "content/night/_notes.txt": "not for readers",
        }
    )
    assert ssg("build", "-s", site, "-b", BASE).code == 0, ssg("build", "-s", site, "-b", BASE)
    page_file = site / ("output/night/ferry/index.html" if urls == "folders" else "output/ferry/index.html")
    page = soup(page_file)
    img = page.find("img", alt="The moon")
    assert img["src"] == "/anthology/night/moon.jpg" and (img["width"], img["height"]) == ("400", "300")
    assert (site / "output/night/moon.jpg").read_bytes() == (site / "content/night/moon.jpg").read_bytes()
    assert page.find("a", string="sky")["href"] == "/anthology/sky.png"
    assert (site / "output/sky.png").is_file()
    assert not (site / "output/night/_notes.txt").exists()


def test_a_wide_image_gets_a_srcset_of_narrower_copies_made_once_and_the_same_every_time(make_site, ssg):
    site = make_site(
        {
            "content/night/ferry.md": piece("Night Ferry", body='![A heron](heron.jpg "Dawn")'),
            "content/night/heron.jpg": image(2400, 1600),
        }
    )
    assert ssg("build", "-s", site, "-b", BASE).code == 0
    img = soup(site / "output/ferry/index.html").find("img")
    assert img["srcset"] == "/anthology/night/heron-640.jpg 640w, /anthology/night/heron-1280.jpg 1280w, /anthology/night/heron.jpg 2400w"
    assert img["sizes"] == "(max-width: 40em) 100vw, 40em"
    for width, height in ((640, 427), (1280, 853)):
        with Image.open(site / f"output/night/heron-{width}.jpg") as made:
            assert made.size == (width, height)
    cached = sorted((site / ".ssg-cache/images").iterdir())
    assert [file.name.rsplit("-", 1)[1] for file in cached] == ["1280.jpg", "640.jpg"]
    made_at = [file.stat().st_mtime_ns for file in cached]
    first = read_tree(site / "output")

    shutil.rmtree(site / "output")
    assert ssg("build", "-s", site, "-b", BASE).code == 0
    assert [file.stat().st_mtime_ns for file in cached] == made_at  # not encoded again
    assert read_tree(site / "output") == first

    shutil.rmtree(site / "output")
    shutil.rmtree(site / ".ssg-cache")
    assert ssg("build", "-s", site, "-b", BASE).code == 0
    assert read_tree(site / "output") == first  # encoded again, byte for byte the same


def test_a_deleted_image_is_a_broken_link_at_its_line_and_leaves_the_output(make_site, ssg):
    site = make_site(
        {
            "content/night/ferry.md": piece("Night Ferry", body="A line.\n\n![The moon](moon.jpg)"),
            "content/night/moon.jpg": image(100, 80),
        }
    )
    assert ssg("build", "-s", site).code == 0
    assert (site / "output/night/moon.jpg").is_file()
    (site / "content/night/moon.jpg").unlink()
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert "content/night/ferry.md:8: broken link 'moon.jpg'" in run.err
    (site / "content/night/ferry.md").write_text(piece("Night Ferry", body="A line."), encoding="utf-8")
    assert ssg("build", "-s", site).code == 0
    assert not (site / "output/night/moon.jpg").exists()


def test_an_image_that_cannot_be_read_is_a_problem_at_its_line(make_site, ssg):
    site = make_site(
        {
            "content/night/ferry.md": piece("Night Ferry", body="A line.\n\n![The moon](moon.jpg)"),
            "content/night/moon.jpg": b"not a JPEG at all",
        }
    )
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert "content/night/ferry.md:8: cannot read the image 'moon.jpg'" in run.err
    assert "hint: save it again as a JPEG, PNG, WebP, GIF or SVG file" in run.err


def test_a_changed_image_changes_the_size_on_the_page(make_site, ssg):
    site = make_site(
        {
            "content/a.md": piece("A", body="![m](m.png)"),
            "content/m.png": image(30, 20, "PNG"),
        }
    )
    assert ssg("build", "-s", site).code == 0
    (site / "content/m.png").write_bytes(image(60, 50, "PNG"))
    assert ssg("build", "-s", site).code == 0
    img = soup(site / "output/a/index.html").find("img")
    assert (img["width"], img["height"]) == ("60", "50")


def test_a_file_published_where_a_page_is_is_a_problem(make_site, ssg):
    site = make_site(
        {
            "content/a.md": piece("A"),
            "content/index.html": "<p>an old home page</p>",
        }
    )
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert "content/index.html: would be published at /index.html, where the site has a page of its own" in run.err
