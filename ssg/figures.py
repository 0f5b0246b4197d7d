"""Images in bodies: a lone image is a figure, every image has its size, a wide one a srcset.

Two steps, as for links (ssg.links):

- at load, :class:`FigureExtension` shapes the Markdown tree: an image alone
  in its paragraph becomes ``<figure class="figure">`` with its title as the
  caption, and every image is lazy (``loading``, ``decoding``).  It reads no
  image, so a piece's cached HTML depends on its bytes alone;
- at build, :func:`image_info` reads each image file's size (Pillow reads the
  header only; an SVG its width, height or viewBox) by the digest of its
  bytes, and :func:`variant` makes the narrower copies of a wide raster image
  once, kept in ``.ssg-cache/images/<digest>-<width>.<ext>``.  The resolver
  writes ``width``, ``height`` and ``srcset`` when it rewrites the image's URL,
  so a changed image changes the pages that show it, and only those.
"""

from __future__ import annotations

import html
import io
import os
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff", ".svg"})
"""Files whose size ssg reads; other files beside a piece are copied and linked all the same."""
RESIZED_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
"""Raster images that get narrower copies (a GIF may be animated: it is left as it is)."""
WIDE = 1200
"""Wider than this (in pixels), an image is wider than any text column: it gets a srcset."""
WIDTHS = (640, 1280)
"""The widths of the narrower copies of a wide image (those below its own width)."""
SIZES = "(max-width: 40em) 100vw, 40em"
"""How wide the theme shows an image: the whole phone, else the text column."""
IMAGES_DIR = "images"
"""Under .ssg-cache/: the narrower copies, by the digest of their source."""
_SAVE: dict[str, dict[str, object]] = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True, "subsampling": "4:2:0"},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80, "method": 4},
}
"""Fixed encoder settings: the same source makes the same bytes (none of these formats gets a timestamp)."""
_LENGTH = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*")


class _Figures(Treeprocessor):
    """An image alone in its paragraph → a figure, captioned by its title; every image lazy."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for position, child in enumerate(parent):
                if child.tag == "p" and len(child) == 1 and child[0].tag == "img" and not (child.text or "").strip() and not (child[0].tail or "").strip():
                    parent[position] = _figure(child[0])
        for image in root.iter("img"):
            image.set("loading", "lazy")
            image.set("decoding", "async")


def _figure(image: etree.Element) -> etree.Element:
    figure = etree.Element("figure", {"class": "figure"})
    image.tail = None
    title = image.attrib.pop("title", None)
    figure.append(image)
    if title:
        etree.SubElement(figure, "figcaption").text = title
    return figure


class FigureExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_Figures(md), "figures", 15)  # after inline (20) made the images, before prettify (10)


@dataclass(frozen=True)
class ImageInfo:
    """What a page needs to know of an image file to show it."""

    width: int | None = None
    height: int | None = None
    """As shown (EXIF orientation applied); None when the file does not say (an SVG without sizes)."""
    widths: tuple[int, ...] = ()
    """The widths of its narrower copies (``heron-640.jpg``), narrowest first."""
    error: str = ""
    """Why the file could not be read as an image ("" when it could)."""


def is_image(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in IMAGE_SUFFIXES


def image_info(data: bytes, name: str) -> ImageInfo:
    """The size of an image from its bytes, without decoding its pixels; the widths of its narrower copies."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix == ".svg":
        return _svg_info(data)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if image.getexif().get(0x0112) in (5, 6, 7, 8):  # turned a quarter: shown the other way round
                width, height = height, width
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        return ImageInfo(error=str(error) or error.__class__.__name__)
    widths = tuple(w for w in WIDTHS if w < width) if suffix in RESIZED_SUFFIXES and width > WIDE else ()
    return ImageInfo(width, height, widths)


def _svg_info(data: bytes) -> ImageInfo:
    try:
        root = etree.fromstring(data)
    except etree.ParseError as error:
        return ImageInfo(error=f"not an SVG file: {error}")
    width, height = (_length(root.get(name)) for name in ("width", "height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except ValueError:
            box_width = box_height = 0
        if box_width > 0 and box_height > 0:
            if width is None and height is None:
                width, height = round(box_width), round(box_height)
            elif width is not None and height is None:
                height = round(width * box_height / box_width)
            elif width is None and height is not None:
                width = round(height * box_width / box_height)
    return ImageInfo(width, height) if width and height else ImageInfo()


def _length(value: str | None) -> int | None:
    """A length in pixels (``120``, ``120px``); None for none, or for a length in other units (``100%``, ``3em``)."""
    match = _LENGTH.fullmatch(value or "")
    return round(float(match[1])) if match else None


def variant_name(name: str, width: int) -> str:
    """``night/heron.jpg`` → ``night/heron-640.jpg``: where the copy of that width is published."""
    stem, suffix = os.path.splitext(name)
    return f"{stem}-{width}{suffix}"


def variant_file(cache_dir: Path, digest: str, name: str, width: int) -> Path:
    """Where the copy of an image `width` pixels wide is kept: by the digest of its source's bytes."""
    return cache_dir / IMAGES_DIR / f"{digest}-{width}{os.path.splitext(name)[1].lower()}"


def make_variant(data: bytes, width: int, target: Path) -> None:
    """Make the copy of an image `width` pixels wide into target (written whole, or not at all)."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        kind = opened.format
        assert kind is not None  # Image.open names the format it read; only images made in memory have none
        icc_profile = opened.info.get("icc_profile")
        turned = opened.getexif().get(0x0112) in (5, 6, 7, 8)
        shown_width, shown_height = (opened.height, opened.width) if turned else opened.size
        height = max(1, round(shown_height * width / shown_width))
        if kind == "JPEG":  # let the decoder scale by 1/2, 1/4 or 1/8, never below twice the copy: 3 times faster
            opened.draft(opened.mode, (opened.width * 2 * width // shown_width + 1, opened.height * 2 * width // shown_width + 1))
        image = ImageOps.exif_transpose(opened)  # the copy carries no EXIF: turn its pixels instead
        resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    if kind == "JPEG" and resized.mode not in ("RGB", "L", "CMYK"):
        resized = resized.convert("RGB")
    options = dict(_SAVE.get(kind, {}))
    if icc_profile:
        options["icc_profile"] = icc_profile
    encoded = io.BytesIO()
    resized.save(encoded, format=kind, **options)
    if not target.parent.is_dir():
        target.parent.mkdir(parents=True)
        (target.parent.parent / ".gitignore").write_text("*\n")  # .ssg-cache/ is never committed
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(encoded.getvalue())
    temporary.replace(target)


def attributes(info: ImageInfo, url: str) -> str:
    """The attributes an ``<img>`` of that image at that URL gains: its size, and for a wide one its srcset."""
    parts = []
    if info.width and info.height:
        parts.append(f'width="{info.width}" height="{info.height}"')
    if info.widths:
        stem, _, rest = url.partition("?")[0].rpartition(".")
        candidates = [f"{stem}-{width}.{rest} {width}w" for width in info.widths] + [f"{url} {info.width}w"]
        parts.append(f'srcset="{html.escape(", ".join(candidates))}" sizes="{SIZES}"')
    return " ".join(parts)
