"""The print-ready PDF edition (issue 15), read back with poppler as a reader's PDF viewer would show it:
the title pages, the contents and the index of first lines with the pages the pieces are on, a new page a
piece, running heads, the trim size, embedded fonts, the same bytes from build to build, and the message
when WeasyPrint is not installed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import piece, write_files

LONG_PROSE = "\n\n".join(f"Night {n} came down the salt stairs and the sea kept counting them, one by one, as a clerk counts coins he will never spend." for n in range(60))
LONG_LINE = "and the long grey boat went on beyond the harbour lights without a single oar or sail or any sound at all"
SITE = {
    "pyproject.toml": """\
        [tool.ssg]
        title = "Night Book"
        subtitle = "Dreams of the salt coast"
        pdf = true

        [tool.ssg.colophon]
        editors = ["Ada Vale"]
        licence = "CC BY 4.0"
        """,
    "content/salt-stairs.md": piece("Salt Stairs", "2026-01-01", LONG_PROSE, author="Anna Lee"),
    "content/moth-lantern.md": piece("Moth Lantern", "2026-01-02", f"The moth carried the lantern home\n  past the orchard\n    past the well\n{LONG_LINE}", author="Dora Vale", form="verse"),
    "content/tides/_index.md": "---\ntitle: Tides\n---\n\nPieces of the sea.\n",
    "content/tides/ferry.md": piece("Ferry", "2026-01-03", "We crossed at night.", author="Anna Lee", translator="Chiara Neri"),
    "content/tides/unfinished.md": piece("Unfinished Dream", "2026-01-04", "Not yet.", draft="true"),
}
PIECES = ("Salt Stairs", "Moth Lantern", "Ferry")
weasyprint = pytest.mark.browser
"""A test that lays out a book with WeasyPrint (seconds each): the full gate, left out by -m 'not browser'."""


def build_pdf(site: Path, *args: str) -> subprocess.CompletedProcess:
    """`ssg build` run as a user runs it, in its own process."""
    return subprocess.run([sys.executable, "-m", "ssg", "build", "-s", str(site), *args], capture_output=True, text=True, timeout=300)


def made_site(root: Path, files: dict[str, str]) -> Path:
    write_files(root, files)
    run = build_pdf(root)
    assert run.returncode == 0, run.stderr
    return root / "output" / "night-book.pdf"


def pages_of(pdf: Path) -> list[list[str]]:
    """Each page's lines of text, blank lines left out, as pdftotext lays them out."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")[:-1]]


def info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def page_size(pdf: Path) -> tuple[int, int]:
    width, height = re.match(r"\s*([\d.]+) x ([\d.]+) pts", info(pdf)["Page size"]).groups()
    return round(float(width)), round(float(height))


def opening_page(pages: list[list[str]], title: str) -> int:
    """The number of the page a piece opens on: its title is the page's first line (an opening page has no running head)."""
    found = [number for number, lines in enumerate(pages, start=1) if lines and lines[0] == title]
    assert len(found) == 1, (title, found)
    return found[0]


def listed_pages(lines: list[str], text: str) -> list[int]:
    """The page numbers a contents or index gives for a line: ``Ferry . . . . 12``."""
    return [int(found.group(1)) for line in lines if line.startswith(text) and (found := re.search(r"[ .]\s*(\d+)$", line))]


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    return made_site(tmp_path_factory.mktemp("pdf") / "site", SITE)


@weasyprint
def test_the_book_is_a5_with_a_page_count(book):
    assert page_size(book) == (420, 595)
    assert int(info(book)["Pages"]) >= 10
    assert info(book)["Title"].strip() == "Night Book"


@weasyprint
def test_half_title_and_title_page_without_running_head_or_number(book):
    pages = pages_of(book)
    assert pages[0] == ["Night Book"]
    title_page = next(lines for lines in pages[1:] if lines)
    assert title_page == ["Night Book", "Dreams of the salt coast", "Edited by", "Ada Vale"]


@weasyprint
def test_contents_give_the_page_each_piece_opens_on(book):
    pages = pages_of(book)
    contents = next(lines for lines in pages if lines and lines[0] == "Contents")
    for title in PIECES:
        assert listed_pages(contents, title) == [opening_page(pages, title)], title
    assert contents.index(next(line for line in contents if line.startswith("Tides"))) < contents.index(next(line for line in contents if line.startswith("Ferry")))


@weasyprint
def test_each_piece_opens_a_page_with_its_byline(book):
    pages = pages_of(book)
    openings = [opening_page(pages, title) for title in PIECES]
    assert openings == sorted(set(openings))
    ferry = pages[opening_page(pages, "Ferry") - 1]
    assert ferry[1] == "Anna Lee, translated by Chiara Neri"
    tides = pages[opening_page(pages, "Ferry") - 3 : opening_page(pages, "Ferry") - 1]
    assert ["Tides", "Pieces of the sea."] in tides, "the part's title page, on a page of its own before its pieces"


@weasyprint
def test_running_heads_name_the_book_on_the_left_and_the_piece_on_the_right(book):
    pages = pages_of(book)
    start = opening_page(pages, "Salt Stairs")
    continued = range(start + 1, opening_page(pages, "Moth Lantern"))
    assert len(continued) >= 2, "a long piece runs over more than two pages"
    for number in continued:
        head = pages[number - 1][0].split()
        if number % 2:
            assert head == ["Salt", "Stairs", str(number)]
        else:
            assert head == [str(number), "Night", "Book"]
    assert pages[start - 1][-1] == str(start), "an opening page has its number at the foot"


@weasyprint
def test_a_draft_is_not_in_the_book(book):
    text = "\n".join(line for lines in pages_of(book) for line in lines)
    assert "Unfinished Dream" not in text and "Not yet." not in text


@weasyprint
def test_the_index_of_first_lines_gives_pages(book):
    pages = pages_of(book)
    start = next(number for number, lines in enumerate(pages) if lines and lines[0] == "First lines and titles")
    index = [line for lines in pages[start:] for line in lines]
    assert listed_pages(index, "The moth carried the lantern home") == [opening_page(pages, "Moth Lantern")]
    assert listed_pages(index, "We crossed at night.") == [opening_page(pages, "Ferry")]
    assert listed_pages(index, "Salt Stairs") == [opening_page(pages, "Salt Stairs")]


@weasyprint
def test_verse_keeps_its_indents_and_a_runover_hangs_deeper(book):
    lines = subprocess.run(["pdftotext", "-bbox-layout", str(book), "-"], capture_output=True, text=True, check=True).stdout
    starts = {}
    for block in re.finditer(r'<line xMin="([\d.]+)"[^>]*>(.*?)</line>', lines, re.DOTALL):
        words = re.findall(r">([^<]+)</word>", block.group(2))
        starts.setdefault(" ".join(words), float(block.group(1)))
    first, second, third = starts["The moth carried the lantern home"], starts["past the orchard"], starts["past the well"]
    assert first < second < third
    runover = next(x for text, x in starts.items() if text and LONG_LINE.endswith(text) and not LONG_LINE.startswith(text))
    assert runover > third, "a runover goes on deeper than the poem's deepest indent"


@weasyprint
def test_fonts_are_all_embedded(book):
    out = subprocess.run(["pdffonts", str(book)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert out and all(line.split()[-5] == "yes" for line in out), out
    assert any("EB-Garamond" in line for line in out)


@weasyprint
def test_two_builds_give_the_same_bytes(book, tmp_path):
    again = made_site(tmp_path / "site", SITE)
    assert again.read_bytes() == book.read_bytes()


@weasyprint
def test_the_trim_size_and_the_language_come_from_the_settings(tmp_path):
    files = dict(SITE)
    files["pyproject.toml"] = '[tool.ssg]\ntitle = "Night Book"\nlanguage = "fr"\npdf_page = "6in 9in"\npdf = true\n'
    pdf = made_site(tmp_path / "site", files)
    assert page_size(pdf) == (432, 648)
    firsts = [lines[0] for lines in pages_of(pdf) if lines]
    assert "Sommaire" in firsts and "Premiers vers et titres" in firsts


@weasyprint
def test_pdf_flag_writes_the_book_into_the_chosen_output(tmp_path):
    files = dict(SITE)
    files["pyproject.toml"] = '[tool.ssg]\ntitle = "Night Book"\n'
    write_files(tmp_path / "site", files)
    run = build_pdf(tmp_path / "site", "--pdf", "-o", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    assert page_size(tmp_path / "out" / "night-book.pdf") == (420, 595)


def test_without_weasyprint_the_build_names_the_extra_to_install(tmp_path):
    write_files(tmp_path / "site", SITE)
    blocked = "import sys; sys.modules['weasyprint'] = None; from ssg.cli import main; sys.exit(main(sys.argv[1:]))"
    run = subprocess.run([sys.executable, "-c", blocked, "build", "-s", str(tmp_path / "site")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "pyproject.toml: the PDF edition needs WeasyPrint" in run.stderr
    assert "hint: pip install 'ssg[print]'" in run.stderr
    assert "Traceback" not in run.stderr
