"""Verse keeps its shape: lines, stanzas, indentation, breaks, numbers, typography.

Most tests render a body with ``markup.to_html`` and read the parsed HTML;
the last ones build whole sites (and the anthology itself) with the real CLI.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from ssg import markup
from ssg.errors import Problem, SiteError
from ssg.templates import THEME_DIR
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.support import REPO, piece, soup


def html(body: str, **options) -> BeautifulSoup:
    return BeautifulSoup(markup.to_html(textwrap.dedent(body), **options), "html.parser")


def verse(body: str, **options) -> BeautifulSoup:
    return html(body, verse=True, **options)


def stanzas(doc: BeautifulSoup) -> list[list[str]]:
    """The text of every line, stanza by stanza."""
    return [[line.get_text() for line in stanza.find_all("span", class_="line")] for stanza in doc.select(".verse > .stanza")]


def levels(doc: BeautifulSoup) -> list[int]:
    result = []
    for line in doc.select(".line"):
        indent = [c for c in line["class"] if c.startswith("indent-")]
        result.append(int(indent[0].removeprefix("indent-")) if indent else 0)
    return result


def text(doc: BeautifulSoup) -> str:
    return " ".join(doc.get_text().split())


# --- Lines and stanzas --------------------------------------------------------


@pytest.mark.parametrize(
    "body, expected",
    [
        ("one\ntwo\nthree", [["one", "two", "three"]]),
        ("one\ntwo\n\nthree", [["one", "two"], ["three"]]),
        ("one\n\n\n\ntwo", [["one"], ["two"]]),
        ("\n\none\n\n", [["one"]]),
        ("one   \ntwo\t\n  \nthree", [["one", "two"], ["three"]]),
        (
            "a line that is long enough to run over onto a second row on any phone, and then some more words " * 3,
            [[("a line that is long enough to run over onto a second row on any phone, and then some more words " * 3).strip()]],
        ),
    ],
    ids=["lines", "stanzas", "many-blank-lines", "leading-and-trailing-blanks", "trailing-spaces", "runover"],
)
def test_every_line_is_kept_and_blank_lines_make_stanzas(body, expected):
    doc = verse(body)
    assert stanzas(doc) == expected
    assert len(doc.select("div.verse")) == 1


_words = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzÀé,;", min_size=1, max_size=6), min_size=1, max_size=5).map(" ".join)
_lines = st.lists(st.one_of(st.just(""), st.tuples(st.integers(0, 16), _words)), max_size=25)


@given(_lines)
@settings(max_examples=60, deadline=None)
def test_any_poem_keeps_its_lines_stanzas_and_levels(lines):
    body = "\n".join(line if line == "" else " " * line[0] + line[1] for line in lines)
    expected: list[list[tuple[int, str]]] = [[]]
    for line in lines:
        if line == "":
            expected.append([])
        else:
            expected[-1].append((min(line[0] // 2, 6), line[1]))
    expected = [stanza for stanza in expected if stanza]
    doc = BeautifulSoup(markup.to_html(body, verse=True), "html.parser")
    assert stanzas(doc) == [[words for _, words in stanza] for stanza in expected]
    assert levels(doc) == [level for stanza in expected for level, _ in stanza]
    assert len(doc.find_all("br")) == sum(len(stanza) - 1 for stanza in expected)


def test_html_structure_of_a_stanza():
    """p.stanza > span.line, one <br> between lines, none at the end, nothing nested."""
    doc = verse("one  \ntwo  \nthree  \n")
    stanza = doc.select_one("div.verse > p.stanza")
    children = [child.name for child in stanza.children if child.name]
    assert children == ["span", "br", "span", "br", "span"]
    assert all(not line.find("br") for line in stanza.find_all("span", class_="line"))


def test_a_runover_line_is_one_line_element():
    """The theme's hanging indent needs the whole line in one element, however long."""
    long = "and the mist comes in off the open water and wraps us together like a parcel someone means to post a long way"
    doc = verse(f"short\n  {long}\nshort")
    assert [line.get_text() for line in doc.select(".line")] == ["short", long, "short"]
    assert doc.select(".line")[1]["class"] == ["line", "indent-1"]
    assert len(doc.find_all("br")) == 2


@pytest.mark.parametrize(
    "line, level",
    [
        ("flush", 0),
        (" one space", 0),
        ("  two spaces", 1),
        ("   three spaces", 1),
        ("    four spaces", 2),
        ("\ta tab", 2),
        ("  \ta tab after two spaces", 2),
        ("\t\ttwo tabs", 4),
        ("      six spaces", 3),
        (" " * 20 + "twenty spaces", 6),
    ],
)
def test_leading_spaces_are_indentation_levels(line, level):
    """Two spaces a level, rounded down; a tab to the next multiple of four columns; at most 6."""
    doc = verse(f"first\n{line}")
    assert levels(doc) == [0, level]
    assert doc.select(".line")[1].get_text() == line.strip()


@pytest.mark.parametrize(
    "line, tag",
    [
        ("1. not a list", None),
        ("# not a heading", None),
        ("- not a list either", None),
        ("+ nor this", None),
        ("> not a quote", None),
        ("    not code, only indented", None),
        ("*keep going...*", "em"),
        ("  *keep going*", "em"),
        ("* not a list, not emphasis", None),
        ("**held**", "strong"),
    ],
)
def test_line_starts_are_text_never_blocks(line, tag):
    doc = verse(f"before\n{line}\nafter")
    assert not doc.find(["ol", "ul", "li", "h1", "blockquote", "pre", "hr"])
    assert len(doc.select(".line")) == 3
    second = doc.select(".line")[1]
    if tag:
        assert second.find(tag) is not None
    else:
        assert second.find(True) is None
        assert second.get_text() == line.strip()


def test_inline_markdown_works_inside_a_line():
    doc = verse(
        """\
        a *soft* and **loud** line with `co--de`
        a [link](https://example.org/a--b) and a note[^1]
        an <abbr title="x">inline tag</abbr>

        [^1]: The note -- in prose.
        """
    )
    first, second, third = doc.select(".line")
    assert first.find("em").get_text() == "soft" and first.find("strong").get_text() == "loud"
    assert first.find("code").get_text() == "co--de"
    assert second.find("a", href="https://example.org/a--b").get_text() == "link"
    assert second.find("sup").find("a", class_="footnote-ref")["href"] == "#fn:1"
    assert third.find("abbr").get_text() == "inline tag"
    notes = doc.select_one("div.footnote")
    assert notes is not None and "The note\u00a0– in prose." in notes.get_text()
    assert len(stanzas(doc)) == 1, "definitions end the verse, they are not a stanza"


def test_trailing_spaces_make_no_stray_breaks():
    doc = verse("one  \ntwo  \n\nthree  ")
    assert len(doc.find_all("br")) == 1
    assert stanzas(doc) == [["one", "two"], ["three"]]


# --- Section breaks and attribution --------------------------------------------


@pytest.mark.parametrize("mark", ["* * *", "***", "⁂", "  * * *", "*  *  *"])
def test_a_line_of_stars_is_a_section_break(mark):
    doc = verse(f"one\n\n{mark}\n\ntwo")
    breaks = doc.select("div.verse > .verse-break")
    assert len(breaks) == 1
    assert breaks[0].name == "p" and breaks[0]["role"] == "separator" and breaks[0]["aria-label"] == "section break"
    assert breaks[0].get_text() == "⁂"
    assert [child["class"][0] for child in doc.select("div.verse > *")] == ["stanza", "verse-break", "stanza"]


def test_a_section_break_inside_a_stanza_splits_it():
    doc = verse("one\n* * *\ntwo")
    assert stanzas(doc) == [["one"], ["two"]]
    assert len(doc.select(".verse-break")) == 1


@pytest.mark.parametrize(
    "body, attribution",
    [
        ("line\n\n— Someone", "— Someone"),
        ("line\n\n-- Someone", "— Someone"),
        ("line\n\n--- Someone", "— Someone"),
        ("line\n\n– Someone", "— Someone"),
        ("line\n\n—Someone *Else*", "— Someone Else"),
        ("line\n\n* * *\n\n-- after a break", "— after a break"),
        ("line\n-- no blank line before", None),
        ("-- the only line", None),
        ("line\n\n-- not the last\n\nline", None),
        ("line\n\n-- two lines\n-- in the last stanza", None),
    ],
)
def test_a_last_dash_line_after_a_blank_line_is_the_attribution(body, attribution):
    doc = verse(body)
    found = doc.select("div.verse > p.attribution")
    if attribution is None:
        assert not found
    else:
        assert [p.get_text() for p in found] == [attribution]
        assert doc.select("div.verse > *")[-1] is found[0]


# --- Line numbers --------------------------------------------------------------


def test_line_numbers_count_across_stanzas_not_breaks_or_attribution():
    doc = verse(
        """\
        one
        two
        three

        four
          five

        * * *

        six
        seven

        — Someone
        """,
        line_numbers=2,
    )
    numbers = doc.select(".line-number")
    assert [n["data-n"] for n in numbers] == ["2", "4", "6"]
    assert [n.parent.get_text() for n in numbers] == ["two", "four", "six"]
    for number in numbers:
        assert number.name == "span" and number["aria-hidden"] == "true"
        assert number.get_text() == "" and not number.contents, "the number shows through CSS, so copying never takes it"
        assert number.parent.contents[0] is number, "first in its line, beside a runover line's first row"
    assert not re.search(r"\d", doc.get_text())


def test_no_line_numbers_unless_asked():
    assert not verse("one\ntwo\nthree\nfour\nfive").select(".line-number")


def test_line_numbers_run_through_a_verse_piece_and_restart_in_each_verse_block():
    poem = verse("one\ntwo\n\n```\ncode\n```\n\nthree\nfour", line_numbers=1)
    assert [n["data-n"] for n in poem.select(".line-number")] == ["1", "2", "3", "4"]
    prose = html("Prose.\n\n::: verse\none\ntwo\n:::\n\nMore.\n\n::: verse\nthree\n:::\n", line_numbers=1)
    assert [n["data-n"] for n in prose.select(".line-number")] == ["1", "2", "1"]


# --- Verse blocks in prose, code in verse ----------------------------------------


def test_a_verse_block_inside_prose():
    doc = html(
        """\
        He sings to it:
        ::: verse
        Sleep, old wood, and keep your sweetness
          down where the roots drink the dark;

        the moon will mind the blossom.
        :::
        I ask him what it *means*.

        - a list
        - stays a list
        """
    )
    assert [p.get_text() for p in doc.find_all("p", class_=False)] == ["He sings to it:", "I ask him what it means."]
    assert stanzas(doc) == [["Sleep, old wood, and keep your sweetness", "down where the roots drink the dark;"], ["the moon will mind the blossom."]]
    assert levels(doc) == [0, 1, 0]
    assert len(doc.find_all("li")) == 2
    assert [child.name for child in doc.find_all(recursive=False)] == ["p", "div", "p", "ul"]


@pytest.mark.parametrize("opening", ["::: verse", ":::verse", ":::   verse  "])
def test_the_opening_line_may_be_spaced(opening):
    assert stanzas(html(f"{opening}\none\n:::")) == [["one"]]


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_fenced_code_inside_verse_stays_code(fence):
    doc = verse(f"one\n\n{fence}python\nprint('a -- b...')\n  # indented -- \"quoted\"\n{fence}\n\ntwo")
    code = doc.select_one("div.codehilite")
    assert code is not None
    assert code.get_text() == "print('a -- b...')\n  # indented -- \"quoted\"\n"
    assert [stanzas(BeautifulSoup(str(part), "html.parser")) for part in doc.select("div.verse")] == [[["one"]], [["two"]]]
    assert [child.name for child in doc.find_all(recursive=False)] == ["div", "div", "div"]


def test_a_verse_marker_inside_code_is_code():
    doc = html("Prose.\n\n```\n::: verse\nnot verse\n:::\n```\n\nMore prose.")
    assert not doc.select(".verse")
    assert "::: verse\nnot verse\n:::" in doc.find("pre").get_text()


def test_a_fence_opened_inside_a_verse_block_keeps_the_block_open():
    """The closing ':::' is code there, so the block is never closed."""
    with pytest.raises(SiteError) as caught:
        markup.to_html("::: verse\none\n```\n:::\n```\n", source="content/x.md")
    assert caught.value.problems[0].line == 1


@pytest.mark.parametrize(
    "body, options",
    [
        ("::: verse\n:::\n", {}),
        ("Prose.\n\n::: verse\n\n\n:::\n", {}),
        ("", {"verse": True}),
        ("\n\n  \n", {"verse": True}),
        ("::: verse\n:::\n", {"verse": True}),
    ],
)
def test_an_empty_verse_renders_nothing(body, options):
    doc = html(body, **options)
    assert not doc.select(".stanza, .line, .verse-break, .attribution")


def test_prose_is_rendered_exactly_as_before():
    """No verse block: the same HTML as plain Python-Markdown with the same settings."""
    plain = markdown.Markdown(extensions=[*markup.EXTENSIONS, "smarty"], extension_configs=markup.EXTENSION_CONFIGS, output_format="html")
    bodies = [
        'A *dream* -- of "glass"...\n\n    indented code\n\n1. one\n2. two\n\n> quote\n\n* * *\n\n# Heading\n',
        "Lines\nare joined\nin prose.\n\n-- not an attribution\n",
        ":::\n\nA stray fence of colons stays text.\n\n::: note\n",
        "```\ncode\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^n].\n\n[^n]: Here.\n",
    ]
    for body in bodies:
        # ssg's additions: code blocks are tab stops, so a keyboard can scroll them;
        # a spaced dash is tied to the word before it, so it never starts a line.
        assert markup.to_html(body) == plain.convert(body).replace("<pre>", '<pre tabindex="0">').replace(" &ndash; ", "&nbsp;&ndash; "), body
        plain.reset()


# --- Errors --------------------------------------------------------------------


def test_a_verse_block_never_closed_is_an_error_at_its_file_line():
    with pytest.raises(SiteError) as caught:
        markup.to_html("Prose.\n\n::: verse\none\n", source="content/x.md", first_line=6)
    assert caught.value.problems == (Problem("content/x.md", 8, "verse block opened here is never closed", "close it with a line ':::'"),)


def test_a_verse_block_inside_another_is_an_error():
    with pytest.raises(SiteError) as caught:
        markup.to_html("::: verse\none\n::: verse\ntwo\n:::\n", source="content/x.md", first_line=5)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == ("content/x.md", 7)
    assert "line 5" in problem.hint


def test_windows_line_endings_give_the_same_verse():
    body = "::: verse\none\n  two\n\n* * *\n\nthree\n\n-- Someone\n:::\n"
    assert markup.to_html(body.replace("\n", "\r\n")) == markup.to_html(body)
    assert markup.to_html(body.replace("\n", "\r")) == markup.to_html(body)


# --- Typography ----------------------------------------------------------------


@pytest.mark.parametrize(
    "source, expected",
    [
        ("'Twas brillig", "’Twas brillig"),
        ("and 'twas night", "and ’twas night"),
        ("rock 'n' roll", "rock ’n’ roll"),
        ("the '90s", "the ’90s"),
        ("the summer of '69", "the summer of ’69"),
        ("'tis the season; give 'em 'til dawn 'cause", "’tis the season; give ’em ’til dawn ’cause"),
        ("singin' in the rain", "singin’ in the rain"),
        ("the sea's edge", "the sea’s edge"),
        ("she said 'hello' and \"goodbye\"", "she said ‘hello’ and “goodbye”"),
        ("'Hello,' she said", "‘Hello,’ she said"),
        ("a -- b --- c...", "a – b — c…"),
    ],
)
@pytest.mark.parametrize("form", ["prose", "verse"])
def test_smart_quotes_dashes_and_apostrophes(source, expected, form):
    doc = html(source, verse=form == "verse")
    assert text(doc) == expected


def test_typography_never_touches_code_attributes_or_urls():
    body = (
        "`'twas -- \"x\"...` [a--b's](https://example.org/a--b/it...) "
        "<https://example.org/x--y...> ![it's -- alt](/i.png \"it's -- title\") "
        '<span title="\'twas -- here">in--side</span>\n\n'
        '```\n\'twas -- "x"...\n```\n'
    )
    for options in ({}, {"verse": True}):
        doc = html(body, **options)
        assert doc.find("code").get_text() == '\'twas -- "x"...'
        assert doc.find("a", string="a–b’s")["href"] == "https://example.org/a--b/it..."
        assert doc.find("a", href="https://example.org/x--y...").get_text() == "https://example.org/x--y..."
        image = doc.find("img")
        assert image["src"] == "/i.png" and image["title"] == "it's -- title"
        assert doc.find("span", title="'twas -- here").get_text() == "in–side"
        assert doc.find("pre").get_text() == '\'twas -- "x"...\n'


@pytest.mark.parametrize(
    "source, expected",
    [
        ("Quoi ? Oui !", "Quoi\u202f? Oui\u202f!"),
        ("Note : fin ; voilà", "Note\u00a0: fin\u202f; voilà"),
        ("« Bonjour »", "«\u00a0Bonjour\u00a0»"),
        ("Déjà? Non!", "Déjà? Non!"),
        ("12:30 et http://exemple.fr", "12:30 et http://exemple.fr"),
    ],
)
def test_french_gets_no_break_spaces_before_high_punctuation(source, expected):
    assert html(source, language="fr").get_text().strip() == expected
    assert html(source, language="fr-CA").get_text().strip() == expected
    assert html(source, language="en").get_text().strip() == source


def test_french_spacing_leaves_code_alone_and_works_in_verse():
    doc = html("`a ?` et *b* ?\n", language="fr")
    assert doc.find("code").get_text() == "a ?"
    assert doc.get_text().strip().endswith("b\u202f?")
    assert verse("Où es-tu ?", language="fr").select_one(".line").get_text() == "Où es-tu\u202f?"


# --- Hard breaks and escapes, as Hugo and Jekyll sites write them -------------------


@pytest.mark.parametrize(
    "body, expected",
    [
        ("the lake was a door \\\nI knocked with a stone \\", [["the lake was a door", "I knocked with a stone"]]),
        ("the lake was a door  \nI knocked with a stone  ", [["the lake was a door", "I knocked with a stone"]]),
        ("the owl kept the hours \\\n \\\nand the hours kept nothing", [["the owl kept the hours"], ["and the hours kept nothing"]]),
        ("first\n\\\nsecond\n\n \\\n\nthird", [["first"], ["second"], ["third"]]),
        ("a coin of salt\\\\\nunder the tongue \\\\", [["a coin of salt", "under the tongue"]]),
    ],
    ids=["backslash", "two-spaces", "backslash-line-is-a-stanza-break", "backslash-lines-beside-blank-lines", "two-backslashes-as-kramdown"],
)
def test_hard_breaks_in_verse_are_lines_and_never_show(body, expected):
    assert stanzas(verse(body)) == expected


@pytest.mark.parametrize("mark", ["*", "\\*", "* * *", "***", "\\* \\* \\*", "⁂"])
def test_a_line_of_stars_in_verse_is_a_section_break(mark):
    doc = verse(f"the moon went under\n{mark}\nthe moon came up")
    assert stanzas(doc) == [["the moon went under"], ["the moon came up"]]
    assert [p.get_text() for p in doc.select(".verse-break")] == ["⁂"]


@pytest.mark.parametrize(
    "body, paragraphs, breaks",
    [
        ("I slept in a boat \\\nthat was also a bed", ["I slept in a boat that was also a bed"], 1),
        ("the tide read to me \\\n \\\nfrom a book of shells", ["the tide read to me from a book of shells"], 2),
        ("a window \\\n \\\n\n \\\n\nof rain \\", ["a window", "of rain"], 0),
        ("the clock struck thirteen\\\\\nand stopped\\\\", ["the clock struck thirteen and stopped"], 1),
    ],
    ids=["backslash-breaks-a-line", "backslash-line-between-lines", "backslash-lines-beside-blank-lines", "two-backslashes-as-kramdown"],
)
def test_hard_breaks_in_prose_break_lines_and_never_show(body, paragraphs, breaks):
    doc = html(body)
    assert "\\" not in doc.get_text()
    assert [" ".join(p.get_text().split()) for p in doc.find_all("p")] == paragraphs
    assert len(doc.find_all("br")) == breaks


def test_a_backslash_in_code_stays():
    doc = html("`C:\\`\n\n```\nline \\\n \\\n```\n\n    kept \\\n")
    assert [c.get_text() for c in doc.find_all("code")] == ["C:\\", "line \\\n \\\n", "kept \\\n"]
    assert not doc.find_all("br")


@pytest.mark.parametrize("char", list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"))
def test_a_backslash_before_any_ascii_punctuation_shows_the_character_alone(char):
    for form in (False, True):
        doc = html(f"price \\{char}10", verse=form)
        assert doc.get_text().strip() == f"price {char}10", form


# --- Whole sites ---------------------------------------------------------------


def test_a_built_site_sets_verse_pieces_and_verse_blocks(make_site, ssg):
    site = make_site(
        {
            "content/poem.md": piece("Poem", form="verse", line_numbers="2", body="one\n  two 'twas\n\n* * *\n\nthree *soft*\nfour\n\n-- Someone"),
            "content/story.md": piece("Story", body="He sang:\n\n::: verse\nSleep, old wood,\n  sleep.\n:::\n\nThen he left."),
        }
    )
    run = ssg("build", "-s", site, "-q")
    assert run.code == 0, run

    poem = soup(site / "output/poem/index.html").select_one("div.verse")
    assert stanzas(poem) == [["one", "two ’twas"], ["three soft", "four"]]
    assert levels(poem) == [0, 1, 0, 0]
    assert [n["data-n"] for n in poem.select(".line-number")] == ["2", "4"]
    assert len(poem.select(".verse-break")) == 1
    assert poem.select_one(".attribution").get_text() == "— Someone"

    story = soup(site / "output/story/index.html")
    assert stanzas(story.select_one("div.verse")) == [["Sleep, old wood,", "sleep."]]
    assert "Then he left." in story.get_text()


def test_a_verse_block_never_closed_fails_the_build_with_its_file_line(make_site, ssg):
    site = make_site(
        {
            "content/broken.md": "---\ntitle: Broken\ndate: 2026-01-01\n---\nProse.\n\n::: verse\nSleep, old wood\n",
            "content/untitled.md": "---\ndate: 2026-01-01\n---\nBody.\n",
            "content/fine.md": piece("Fine"),
        }
    )
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert "content/broken.md:7: verse block opened here is never closed\n  hint: close it with a line ':::'" in run.err
    assert "content/untitled.md" in run.err, "every file's problems are reported together"
    assert "Traceback" not in run.err


def test_the_anthology_sets_its_poems(tmp_path, ssg):
    site = tmp_path / "anthology"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "pyproject.toml", site)
    run = ssg("build", "-s", site, "-q")
    assert run.code == 0, run
    out = site / "output"

    fog = soup(out / "fog-liturgy/index.html").select_one(".piece-body .verse")
    numbers = [int(n["data-n"]) for n in fog.select(".line-number")]
    assert numbers and numbers == list(range(5, 5 * len(numbers) + 1, 5))
    assert len(fog.select(".line")) // 5 == len(numbers)

    aubade = soup(out / "aubade-for-a-borrowed-house/index.html").select_one(".piece-body .verse")
    assert [child["class"][0] for child in aubade.find_all(recursive=False)].count("verse-break") == 2

    geese = soup(out / "snow-geese/index.html").select_one(".piece-body .verse")
    assert geese.find_all(recursive=False)[-1]["class"] == ["attribution"]
    assert geese.select_one(".attribution").get_text().startswith("— ")

    orchard = soup(out / "the-orchard-under-the-moon/index.html").select_one(".piece-body")
    assert len(orchard.select(".verse .line")) == 4
    assert "::: verse" not in orchard.get_text()


# --- The theme's side of the bargain --------------------------------------------

BR_RULE = re.compile(r"\.stanza\s*>\s*br\s*(,[^{]*)?\{[^}]*display:\s*none")


def test_the_theme_hides_the_breaks_between_lines():
    """Lines are blocks in the theme, so the <br> between them (kept for readers without CSS) must not show."""
    css = (THEME_DIR / "assets/style.css").read_text(encoding="utf-8")
    assert re.search(r"\.line\s*\{[^}]*display:\s*block", css), "the theme must set .line { display: block }"
    assert BR_RULE.search(css), "the theme must hide the <br> between lines: .stanza > br { display: none; }"


@pytest.mark.browser
def test_copying_a_poem_in_chromium_gives_its_lines_and_stanzas_back(tmp_path):
    """What a reader pastes after selecting a poem: lines, one blank line between stanzas, no numbers."""
    require_chromium()  # a skip only where there is no browser and none is required
    body = markup.to_html("one\n  two\n\nthree\nfour\n\n* * *\n\nfive\n\n-- Someone", verse=True, line_numbers=2)
    css = (THEME_DIR / "assets/style.css").read_text(encoding="utf-8")
    if not BR_RULE.search(css):
        css += "\n.stanza > br { display: none; }\n"  # checked by the test above
    page = tmp_path / "poem.html"
    page.write_text(
        f"<!doctype html><meta charset=utf-8><style>{css}</style><body><main>{body}</main><script>"
        "const range = document.createRange(); range.selectNodeContents(document.querySelector('main'));"
        "getSelection().addRange(range); const out = document.createElement('pre'); out.id = 'copied';"
        "out.textContent = getSelection().toString(); document.body.append(out);</script>",
        encoding="utf-8",
    )
    ran = subprocess.run([CHROMIUM, *CHROMIUM_ARGS, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=60)
    copied = BeautifulSoup(ran.stdout, "html.parser").find("pre", id="copied")
    assert copied is not None, f"Chromium gave no page (exit {ran.returncode}): {ran.stderr[-2000:]}"
    assert copied.get_text().strip() == "one\ntwo\n\nthree\nfour\n\n⁂\n\nfive\n\n— Someone"
