"""Front matter keeps the text written, and no front matter or body can crash a build."""

from __future__ import annotations

import itertools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssg.frontmatter import check, split
from tests.support import piece, soup


def chips(page) -> list[str]:
    return [chip.get_text(strip=True) for chip in page.select("header .chip")]


def test_values_keep_the_text_written(make_site, ssg):
    site = make_site(
        {
            "content/clock.md": piece("4:30", author="0x1F", summary="1:30:00", tags="[1_000, No, '010', 2024-01-01]", dedication="~ for you ~"),
            "content/no.md": piece("No", "2026-01-02"),
            "content/day.md": piece("2024-01-01", "2026-01-03", author="'null'"),
            "content/octal.md": piece("010", "2026-01-04", summary='"yes"'),
        }
    )
    run = ssg("build", "-s", site)
    assert run.code == 0, run
    clock = soup(site / "output/clock/index.html")
    assert clock.find("h1").get_text() == "4:30"
    assert clock.find(class_="author").get_text() == "0x1F"
    assert clock.find("meta", attrs={"name": "description"})["content"] == "1:30:00"
    assert chips(clock) == ["1_000", "No", "010", "2024-01-01"]
    assert clock.find(class_="dedication").get_text() == "~ for you ~"
    assert soup(site / "output/no/index.html").find("h1").get_text() == "No"
    day = soup(site / "output/day/index.html")
    assert day.find("h1").get_text() == "2024-01-01"
    assert day.find(class_="author").get_text() == "null"
    octal = soup(site / "output/octal/index.html")
    assert octal.find("h1").get_text() == "010"
    assert octal.find("meta", attrs={"name": "description"})["content"] == "yes"


def test_each_field_is_read_as_its_type(make_site, ssg):
    site = make_site(
        {
            "content/a.md": piece("A", weight="010", draft="No"),
            "content/b.md": piece("B", weight="+2", draft="off"),
            "content/c.md": piece("C", weight="-1", draft="FALSE", form="verse", line_numbers="2", body="one\ntwo\nthree\nfour"),
            "content/hidden.md": piece("Hidden", draft="Yes"),
            "content/also-hidden.md": piece("Also hidden", draft="on"),
            "content/empty.md": piece("Empty", draft="", weight="~", line_numbers="null", form="", tags="", author=""),
        }
    )
    run = ssg("build", "-s", site)
    assert run.code == 0, run
    titles = [a.get_text(strip=True) for a in soup(site / "output/index.html").select("main .toc-title")]
    assert [t for t in titles if t in "ABC"] == ["C", "B", "A"]
    assert not (site / "output/hidden").exists() and not (site / "output/also-hidden").exists()
    assert (site / "output/empty/index.html").is_file()
    numbers = [n["data-n"] for n in soup(site / "output/c/index.html").select(".line-number")]
    assert numbers == ["2", "4"], numbers


def test_lists_and_mappings_keep_their_shape_with_text_inside():
    parsed, problems = split("---\ntitle: x\ndate: 2026-01-01\nnotes:\n  when: 4:30\n  list: [1, 0x1F, {a: No}]\n  none: ~\n---\nBody.\n", "content/x.md")
    assert problems == []
    assert parsed.fields["notes"] == {"when": "4:30", "list": ["1", "0x1F", {"a": "No"}], "none": None}
    assert parsed.lines == {"title": 2, "date": 3, "notes": 4}
    _fields, errors, warnings = check(parsed, "content/x.md")
    assert errors == [] and [w.message for w in warnings] == ["unknown front matter key 'notes'"]


def test_a_date_is_a_date_and_nothing_else():
    def date_of(text):
        parsed, _ = split(f"---\ntitle: x\ndate: {text}\n---\n", "content/x.md")
        fields, errors, _ = check(parsed, "content/x.md")
        return (fields.date.isoformat(), fields.timed) if fields else errors[0].message

    assert date_of("2026-05-01") == ("2026-05-01T00:00:00+00:00", False)
    assert date_of("'2026-05-01 21:30'") == ("2026-05-01T21:30:00+00:00", True)
    assert date_of("2026-05-01T21:30:00+02:00") == ("2026-05-01T21:30:00+02:00", True)
    assert date_of("[2026-05-01]") == "'date' is not a date (got ['2026-05-01']): expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS"
    assert date_of("1:30") == "'date' is not a date (got '1:30'): expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS"


# The fuzz test: front matter and bodies made of the pieces most likely to
# break a parser, joined at random, go through the real `ssg build`.
LINES = [
    "title: 4:30",
    "title: No",
    "title:",
    "title: ~",
    "title: [a, [b]]",
    "title: {a: {b: c}}",
    "date: 2026-01-01",
    "date: 2026-13-45",
    "date: 0001-01-01T00:00:00+14:00",
    "date: 9999-12-31T23:59:59-12:00",
    "date: 2026-01-01T25:61",
    "date: [2026-01-01]",
    "tags: [mist, Mist, ' mist ']",
    "tags: [a, *x]",
    "tags: {a: 1}",
    "tags: '#, ?, ..'",
    "tags: [[a]]",
    "a: &x [1, 2]",
    "b: *x",
    "c: &y",
    "d: *nowhere",
    "<<: {title: merged}",
    "title: !!python/object/apply:os.system [ls]",
    "title: !!binary aGk=",
    "title: !!int 7",
    "title: !str x",
    "!!map {a: b}",
    "weight: 99999999999999999999999999",
    "weight: " + "9" * 5000,
    "weight: 1.5",
    "weight: 0x10",
    "line_numbers: -3",
    "line_numbers: 1e3",
    "draft: maybe",
    "draft: TRUE",
    "form: verse",
    "form: [verse]",
    "slug: " + "x" * 300,
    "slug: ../../../etc",
    "slug: '...'",
    "slug: 夢",
    "tags: [" + "é" * 150 + "]",
    "? [a, b]\n: c",
    "? {a: b}",
    "--- x",
    "...",
    "%YAML 1.1",
    "%TAG ! tag:yaml.org,2002:",
    "- a",
    "[[[[[[[[",
    '"unclosed',
    "title: 'it''s'",
    "\ttitle: x",
    "title:\tx",
    "\ufefftitle: x",
    "title: a\x00b",
    "summary: |\n  a\n   b",
    "summary: >-\n\n",
    "epigraph: \x85next",
    "author: \u2028",
    "title: \ud7ff\ue000\ufffd",
    "title: a\ntitle: b",
    "n:\n  k: 1\n  k: 2",
    "  indented: x",
    "title: " + "[" * 1200,
    "title: " + "{a: " * 300,
    "slug: static",
    "slug: assets",
    "slug: tags",
    "slug: '404'",
    "slug: page",
    "tags: [page, feed, tags]",
    "title: </title><script>",
]
BODIES = [
    "# Main",
    "## Contents heading",
    "[see](lake.md#why?)",
    "[q](x.md?a=1#b)",
    "[up](../../x.md)",
    "[s](/static/%ZZ)",
    "::: verse",
    ":::",
    "```",
    "    code",
    "[^1]\n\n[^1]: note",
    "# Top {#main}",
    "<div id=main>",
    "<!--",
    "\x00",
    "\x02\x03",
    "\ufeff",
    "&#0;",
    "&#x110000;",
    "![i](<a b.png>)",
    "*" * 100,
    "> " * 50 + "deep",
    "[x]: <>",
    "<a href='#'>",
    "---",
    "[x](?only)",
    "[x](#)",
    "[x](/)",
    "[x](.)",
    "[x](%)",
    "[x](/%C3)",
    "[x](fuzz.md#%ZZ)",
    "[x](fuzz.md?#)",
    "[x](/tags/)",
]
VALID = "title: A dream\ndate: 2026-01-01\n"
printable = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=30)
words = st.one_of(printable, printable, st.text(max_size=10))
lines = st.lists(st.sampled_from(LINES) | words, max_size=6).map("\n".join)
front = st.just(VALID) | st.builds(str.__add__, st.sampled_from([VALID, ""]), lines)
body = st.lists(st.sampled_from(BODIES) | words, max_size=6).map("\n\n".join)
_sites = itertools.count()
_LOCATED = re.compile(r"^[^\s:][^:]*(:\d+)?: ")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(front=front, body=body, dashes=st.sampled_from(["---\n"] * 4 + ["\ufeff---\n", "---  \n", ""]), name=st.sampled_from(["fuzz", "fuzz", "a b", "夢", "-", "index", "tags"]))
def test_no_front_matter_or_body_crashes_a_build(make_site, ssg, front, body, dashes, name):
    site = make_site({f"content/{name}.md": (dashes + front + "\n---\n" + body).encode("utf-8", "surrogatepass")}, name=f"site{next(_sites)}")
    run = ssg("build", "-s", site, "--drafts", "--future")
    assert run.code in (0, 1), run
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    if run.code == 1:
        lines = [line for line in run.err.splitlines() if not line.startswith(("  hint: ", "ssg: "))]
        assert lines and all(_LOCATED.match(line) for line in lines), run.err
