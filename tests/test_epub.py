"""The EPUB edition (issue 15): what a reader's e-book holds, in what order, in which language, and
that EPUBCheck finds nothing to say about it; built with the real `ssg build`."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.support import REPO, piece, soup

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FIXTURE = REPO / "tests/browser/fixture_site"
SETTINGS = """\
[tool.ssg]
title = "Night Book"
subtitle = "Dreams kept in the dark"
language = "en"
epub = true

[tool.ssg.contributors."Anna Lee"]
bio = "Anna Lee writes down her dreams at dawn."
"""
POEM = """\
The lake was glass and I walked on it,
  every step a bell,
    and under me the fish looked up

as if I were the weather.
"""
ROUGH_HTML = """\
<p>Typed by hand&hellip; an open paragraph<br>
<img id="owl" src="https://example.org/owl.png" alt="an owl, far away">
<div><center>centred</center></div>
<p>A <b>bold <i>mix</b> of tags</i> &amp; an&nbsp;entity.</p><script>alert(1)</script>
"""


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (40, 60, 120)).save(buffer, "PNG")
    return buffer.getvalue()


def night_book() -> dict[str, str | bytes]:
    """A small book: a part with a sub-part, two authors and a translator, a poem, a French piece with an image, a draft."""
    return {
        "pyproject.toml": SETTINGS,
        "content/salt-stairs.md": piece("Salt Stairs", "2026-01-01", "The stairs went down to [the lake](lake/lake-of-glass.md) and [the owl](lake/deep/rough.md#owl).", author="Anna Lee"),
        "content/lake/_index.md": "---\ntitle: The Lake\n---\nWhere the water holds still.\n",
        "content/lake/lake-of-glass.md": piece("Lake of Glass", "2026-01-02", POEM, author="Anna Lee", form="verse"),
        "content/lake/deep/_index.md": "---\ntitle: Deep Water\n---\n",
        "content/lake/deep/la-barque.md": piece("La barque", "2026-01-04", "La barque dérivait.\n\n![Une barque sur le lac](barque.png)\n", author="Dora Vale", translator="Ben Ito", lang="fr"),
        "content/lake/deep/barque.png": png(),
        "content/lake/deep/rough.md": piece("Rough Hands", "2026-01-03", ROUGH_HTML, author="Ben Ito", epigraph="What the hand forgets, the page keeps."),
        "content/secret.md": piece("Secret Draft", "2026-01-05", "Not yet.", draft="true"),
    }


class Epub:
    """A built EPUB, read as a reading system reads it."""

    def __init__(self, data: bytes):
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.opf = etree.fromstring(self.zip.read("OEBPS/package.opf"))

    def xhtml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(f"OEBPS/{name}"))

    def meta(self, expression: str) -> list[str]:
        return [element.text for element in self.opf.xpath(expression, namespaces=NS)]

    @property
    def spine(self) -> list[str]:
        items = {item.get("id"): item.get("href") for item in self.opf.xpath("//opf:manifest/opf:item", namespaces=NS)}
        return [items[ref.get("idref")] for ref in self.opf.xpath("//opf:spine/opf:itemref", namespaces=NS)]

    def media_type(self, href: str) -> str:
        return self.opf.xpath(f'//opf:item[@href="{href}"]/@media-type', namespaces=NS)[0]

    def title_of(self, name: str) -> str:
        return "".join(self.xhtml(name).xpath("//x:h1", namespaces=NS)[0].itertext())


def build_epub(ssg, site: Path, output: str = "output") -> Epub:
    run = ssg("build", "-s", site, "-o", site / output)
    assert run.code == 0, run
    [book] = (site / output).glob("*.epub")
    return Epub(book.read_bytes())


def with_epub(site: Path) -> Path:
    """A copy of a site folder whose settings ask for the EPUB."""
    settings = site / "pyproject.toml"
    text = settings.read_text()
    if not tomllib.loads(text)["tool"]["ssg"].get("epub"):  # the anthology asks for it already
        settings.write_text(text.replace("[tool.ssg]\n", "[tool.ssg]\nepub = true\n", 1))
    return site


@pytest.fixture
def night(make_site, ssg) -> Epub:
    return build_epub(ssg, make_site(night_book()))


def test_two_builds_make_the_same_bytes_with_the_mimetype_first_and_stored(make_site, ssg):
    first = build_epub(ssg, make_site(night_book(), name="one"))
    second = build_epub(ssg, make_site(night_book(), name="two"))
    assert first.data == second.data
    entries = first.zip.infolist()
    assert entries[0].filename == "mimetype" and entries[0].compress_type == zipfile.ZIP_STORED and entries[0].extra == b""
    assert first.zip.read("mimetype") == b"application/epub+zip"
    assert all(entry.compress_type == zipfile.ZIP_DEFLATED for entry in entries[1:])
    assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}


def test_the_package_names_the_book_its_people_its_date_and_how_it_can_be_read(night):
    assert night.meta("//dc:title") == ["Night Book", "Dreams kept in the dark"]
    assert night.meta("//dc:language") == ["en"]
    unique = night.opf.get("unique-identifier")
    [identifier] = night.meta(f'//dc:identifier[@id="{unique}"]')
    assert identifier.startswith("urn:uuid:")
    assert night.meta('//opf:meta[@property="dcterms:modified"]') == ["2026-01-04T00:00:00Z"]  # the latest piece's date; the draft is not in the book
    creators = {element.text: element.get("id") for element in night.opf.xpath("//dc:creator", namespaces=NS)}
    assert sorted(creators) == ["Anna Lee", "Ben Ito", "Dora Vale"]
    assert night.meta(f'//opf:meta[@refines="#{creators["Ben Ito"]}"][@property="role"]') == ["aut", "trl"]
    assert night.meta('//opf:meta[@property="schema:accessMode"]') == ["textual", "visual"]
    assert night.meta('//opf:meta[@property="schema:accessModeSufficient"]') == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"} <= set(night.meta('//opf:meta[@property="schema:accessibilityFeature"]'))
    assert night.meta('//opf:meta[@property="schema:accessibilityHazard"]') == ["none"]
    assert night.meta('//opf:meta[@property="schema:accessibilitySummary"]')[0]


def test_a_translator_who_wrote_nothing_is_a_contributor_with_the_role_trl(make_site, ssg):
    files = night_book() | {"content/lake/deep/rough.md": piece("Rough Hands", "2026-01-03", "Hands.", author="Dora Vale")}
    epub = build_epub(ssg, make_site(files))
    [translator] = epub.opf.xpath("//dc:contributor", namespaces=NS)
    assert translator.text == "Ben Ito"
    assert epub.meta(f'//opf:meta[@refines="#{translator.get("id")}"][@property="role"]') == ["trl"]


def test_the_spine_reads_the_pieces_in_the_sites_order_each_part_before_its_pieces(make_site, ssg):
    site = make_site(night_book())
    epub = build_epub(ssg, site)
    home = [a.get_text(strip=True) for a in soup(site / "output/index.html").select("main .toc-entry .toc-title")]
    pieces = [name for name in epub.spine if name.startswith("piece-")]
    assert [epub.title_of(name) for name in pieces] == home == ["Salt Stairs", "Lake of Glass", "Rough Hands", "La barque"]
    assert [epub.title_of(name) for name in epub.spine if name.startswith("part-")] == ["The Lake", "Deep Water"]
    assert epub.spine[:3] == ["cover.xhtml", "title.xhtml", "nav.xhtml"] and epub.spine[-3:] == ["contributors.xhtml", "first-lines.xhtml", "colophon.xhtml"]
    assert epub.spine.index("part-02.xhtml") < epub.spine.index(pieces[2])


def test_the_contents_nest_the_parts_and_list_every_piece(night):
    nav = night.xhtml("nav.xhtml")
    [toc] = nav.xpath('//x:nav[@epub:type="toc"]/x:ol', namespaces=NS)

    def tree(ol) -> list:
        return [(("".join(li.find("x:a", NS).itertext())), tree(li.find("x:ol", NS)) if li.find("x:ol", NS) is not None else []) for li in ol.findall("x:li", NS)]

    assert tree(toc) == [
        ("Night Book", []),
        ("Salt Stairs", []),
        ("The Lake", [("Lake of Glass", []), ("Deep Water", [("Rough Hands", []), ("La barque", [])])]),
        ("Contributors", []),
        ("First lines and titles", []),
        ("Colophon", []),
    ]
    assert nav.xpath('//x:nav[@epub:type="landmarks"]//x:a/@epub:type', namespaces=NS)[:3] == ["cover", "titlepage", "toc"]
    assert night.opf.xpath('//opf:item[@properties="cover-image"]/@href', namespaces=NS) == ["cover.svg"]


def test_a_poem_keeps_its_lines_stanzas_and_indents(night):
    chapter = night.xhtml("piece-0002.xhtml")
    [verse] = chapter.xpath('//x:div[contains(@class, "verse")]', namespaces=NS)
    assert verse.get("class") == "verse deepest-2"
    lines = verse.xpath('.//x:span[contains(@class, "line")]', namespaces=NS)
    assert ["".join(line.itertext()) for line in lines] == ["The lake was glass and I walked on it,", "every step a bell,", "and under me the fish looked up", "as if I were the weather."]
    assert [line.get("class") for line in lines] == ["line", "line indent-1", "line indent-2", "line"]
    assert len(verse.xpath('.//x:p[@class="stanza"]', namespaces=NS)) == 2 and len(verse.xpath(".//x:br", namespaces=NS)) == 2
    css = night.zip.read("OEBPS/book.css").decode()
    assert ".deepest-2 .line { padding-left: 5em; text-indent: -5em; }" in css and ".deepest-2 .indent-1 { text-indent: -3.5em; }" in css
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    assert not any(word in rules for word in ("var(", "vw", "vh", "float", "grid", ":has(", "position"))


def test_every_page_is_well_formed_xhtml_even_from_rough_html(night):
    for name in night.zip.namelist():
        if name.endswith(".xhtml"):
            etree.fromstring(night.zip.read(name))  # raises on anything not well-formed
    rough = night.zip.read("OEBPS/piece-0003.xhtml").decode()
    assert "Typed by hand… an open paragraph<br/>" in rough and "an\u00a0entity" in rough
    assert "an owl, far away" in rough and "example.org/owl.png" not in rough  # a remote image becomes its words
    assert "<script" not in rough and "<center" not in rough
    assert "What the hand forgets, the page keeps." in "".join(night.xhtml("piece-0003.xhtml").xpath('//x:blockquote[@epub:type="epigraph"]', namespaces=NS)[0].itertext())


def test_a_french_piece_is_in_french_and_carries_its_image(night):
    chapter = night.xhtml("piece-0004.xhtml")
    assert chapter.get(XML_LANG) == "fr" and chapter.get("lang") == "fr"
    assert night.xhtml("piece-0001.xhtml").get(XML_LANG) == "en"
    [image] = chapter.xpath("//x:img", namespaces=NS)
    assert image.get("alt") == "Une barque sur le lac"
    assert night.zip.read(f"OEBPS/{image.get('src')}") == png() and night.media_type(image.get("src")) == "image/png"
    byline = "".join(chapter.xpath('//x:p[@class="byline"]', namespaces=NS)[0].itertext())
    assert byline == "Dora Vale, translated by Ben Ito"


def test_a_link_between_pieces_points_to_the_chapter_and_its_anchor(night):
    links = night.xhtml("piece-0001.xhtml").xpath('//x:div[@class="piece-body"]//x:a/@href', namespaces=NS)
    assert links == ["piece-0002.xhtml", "piece-0003.xhtml#owl"]
    assert night.title_of("piece-0003.xhtml") == "Rough Hands" and night.xhtml("piece-0003.xhtml").xpath('//*[@id="owl"]', namespaces=NS)


def test_a_wide_photo_travels_as_its_lighter_copy_and_a_link_to_a_file_goes_to_the_web(make_site, ssg):
    from PIL import Image

    photo = io.BytesIO()
    Image.effect_noise((2000, 1000), 60).convert("RGB").save(photo, "JPEG", quality=90)
    site = make_site(
        {
            "pyproject.toml": '[tool.ssg]\ntitle = "Photos"\nbase_url = "https://example.org/dreams/"\nepub = true\n',
            "content/night/photo.jpg": photo.getvalue(),
            "content/night/notes.pdf": b"%PDF-1.4\n",
            "content/night/dark.md": piece("Dark", body="![A grey night](photo.jpg)\n\nSee [the photo](photo.jpg) and [the notes](notes.pdf)."),
        }
    )
    epub = build_epub(ssg, site)
    chapter = epub.xhtml("piece-0001.xhtml")
    [source] = chapter.xpath("//x:img/@src", namespaces=NS)
    assert Image.open(io.BytesIO(epub.zip.read(f"OEBPS/{source}"))).width == 1280 and epub.media_type(source) == "image/jpeg"
    assert chapter.xpath("//x:p/x:a/@href", namespaces=NS) == ["https://example.org/dreams/night/photo.jpg", "https://example.org/dreams/night/notes.pdf"]


def test_a_link_to_an_anchor_the_piece_lacks_in_the_book_goes_to_the_piece(make_site, ssg):
    files = night_book() | {"content/salt-stairs.md": piece("Salt Stairs", "2026-01-01", "Skip to [the text](lake/deep/rough.md#main).", author="Anna Lee")}
    epub = build_epub(ssg, make_site(files))
    assert epub.xhtml("piece-0001.xhtml").xpath('//x:div[@class="piece-body"]//x:a/@href', namespaces=NS) == ["piece-0003.xhtml"]


def test_the_index_of_first_lines_links_each_entry_to_its_chapter(night):
    entries = night.xhtml("first-lines.xhtml").xpath('//x:li[@class="index-entry"]/x:a', namespaces=NS)
    by_text = {"".join(entry.itertext()): entry.get("href") for entry in entries}
    assert by_text["Lake of Glass"] == by_text["The lake was glass and I walked on it,"] == "piece-0002.xhtml"
    assert all(night.title_of(href) for href in by_text.values())
    assert [entry.get(XML_LANG) for entry in entries if entry.get("href") == "piece-0004.xhtml"] == ["fr", "fr"]


def test_contributors_link_their_pieces_and_the_colophon_states_its_facts(night):
    contributors = night.xhtml("contributors.xhtml")
    [anna] = contributors.xpath('//x:section[@id="anna-lee"]', namespaces=NS)
    assert "Anna Lee writes down her dreams at dawn." in "".join(anna.itertext())
    assert anna.xpath(".//x:li/x:a/@href", namespaces=NS) == ["piece-0001.xhtml", "piece-0002.xhtml"]
    assert "Night Book" in "".join(night.xhtml("colophon.xhtml").itertext())


def test_the_title_page_names_the_editors_else_the_authors(make_site, ssg, night):
    assert "".join(night.xhtml("title.xhtml").xpath('//x:p[@class="book-people"]', namespaces=NS)[0].itertext()) == "Anna Lee, Ben Ito and Dora Vale"
    files = night_book() | {"pyproject.toml": SETTINGS + '\n[tool.ssg.colophon]\neditors = ["Iris Moll"]\nlicence = "CC BY 4.0"\n'}
    epub = build_epub(ssg, make_site(files, name="edited"))
    assert "".join(epub.xhtml("title.xhtml").xpath('//x:p[@class="book-people"]', namespaces=NS)[0].itertext()) == "Edited by Iris Moll"
    colophon = " ".join("".join(epub.xhtml("colophon.xhtml").itertext()).split())
    assert "Edited by Iris Moll." in colophon and "Published under CC BY 4.0." in colophon
    assert epub.meta("//dc:rights") == ["CC BY 4.0"]


def test_a_draft_is_not_in_the_book(night):
    assert not any(b"Secret Draft" in night.zip.read(name) for name in night.zip.namelist())


def test_a_french_book_speaks_french(make_site, ssg):
    files = night_book() | {"pyproject.toml": SETTINGS.replace('language = "en"', 'language = "fr"')}
    epub = build_epub(ssg, make_site(files))
    nav = epub.xhtml("nav.xhtml")
    assert nav.get(XML_LANG) == "fr" and epub.meta("//dc:language") == ["fr"]
    assert nav.xpath("//x:h1/text()", namespaces=NS) == ["Table des matières"]
    assert "Premiers vers et titres" in "".join(nav.itertext())


def epubcheck(book: Path) -> dict:
    jar = Path(__import__("epubcheck").__file__).parent / "epubcheck.jar"
    report = book.with_suffix(".json")
    subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-jar", str(jar), str(book), "--json", str(report), "-q"], capture_output=True, check=False)
    return json.loads(report.read_text())


@pytest.mark.browser  # the full gate: EPUBCheck runs on Java
@pytest.mark.parametrize("which", ["anthology", "fixture", "night"])
def test_epubcheck_finds_no_error_and_no_warning(which, tmp_path, make_site, ssg):
    if which == "night":
        site = make_site(night_book())
    else:
        site = tmp_path / which
        source = REPO if which == "anthology" else FIXTURE
        shutil.copytree(source / "content", site / "content")
        shutil.copy(source / "pyproject.toml", site / "pyproject.toml")
        with_epub(site)
    build_epub(ssg, site)
    report = epubcheck(next((site / "output").glob("*.epub")))
    problems = [(message["severity"], message["ID"], message["message"]) for message in report["messages"] if message["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert problems == []
    assert report["checker"]["nFatal"] == report["checker"]["nError"] == report["checker"]["nWarning"] == 0
