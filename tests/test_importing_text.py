"""Pieces written for Hugo or Jekyll build as their writers meant them.

Each test builds a real site of original dream poems, written in the habits
of those sites (hard wraps with backslashes, `` \\`` lines between stanzas,
escaped punctuation), and reads the pages a reader gets.
"""

from __future__ import annotations

from tests.support import piece, soup, wait_for

HUGO_POEM = """\
the house had a lake where the cellar should be \\
and I went down with a lamp \\
 \\
the fish wore my grandmother's rings \\
they asked for \\$10 and a song \\
 \\
\\* \\* \\*
 \\
I paid in \\<3 and woke \\
with wet sleeves
"""

HUGO_PROSE = """\
Written on waking, \\
before the birds: \\
 \\
the stairs went down into \\#water\\#. \\

A last line, \\~ almost \\~ asleep.
"""


def lines_and_stanzas(page) -> list[list[str]]:
    return [[line.get_text() for line in stanza.select(".line")] for stanza in page.select(".verse > .stanza")]


def test_a_hugo_poem_keeps_its_lines_and_stanzas_and_shows_no_backslash(make_site, ssg):
    site = make_site(
        {
            "content/cellar-lake.md": piece("Cellar Lake", form="verse", body=HUGO_POEM),
            "content/waking.md": piece("Waking", body=HUGO_PROSE),
        }
    )
    run = ssg("build", "-s", site, "-q")
    assert run.code == 0, run

    poem = soup(site / "output/cellar-lake/index.html")
    assert lines_and_stanzas(poem) == [
        ["the house had a lake where the cellar should be", "and I went down with a lamp"],
        ["the fish wore my grandmother’s rings", "they asked for $10 and a song"],
        ["I paid in <3 and woke", "with wet sleeves"],
    ]
    assert len(poem.select(".verse-break")) == 1
    assert "\\" not in poem.select_one("main").get_text()

    prose = soup(site / "output/waking/index.html")
    body = prose.select_one("main")
    assert "\\" not in body.get_text()
    assert "the stairs went down into #water#." in " ".join(body.get_text().split())
    assert "A last line, ~ almost ~ asleep." in body.get_text()
    assert len(body.select("p br")) >= 2


HUGO_SHORTCODES = """\
{{% notice note %}}
I dreamed the lighthouse was a library
{{% /notice %}}

{{< figure src="/lighthouse.jpg" caption="the lamp" >}}

Every beam was a page {{< sidenote >}}turned by gulls{{< /sidenote >}} at dawn.

```jinja
{{ keep.these }} {% and_these %} {{% and %}}
```

`{{< not-a-shortcode >}}` stays in code.
"""

JEKYLL_LIQUID = """\
Written for {{ site.title }} on {{ page.date | date: "%B" }}.

{% include epigraph.html %}

{% raw %}She said {{ the tide }} in braces.{% endraw %}

{% comment %}
a note to myself: the owl stanza is weak
{% endcomment %}

{% highlight text %}
salt  :  moon
{% endhighlight %}
"""


def test_shortcodes_and_liquid_are_never_shown_and_each_is_a_warning_at_its_line(make_site, ssg):
    site = make_site(
        {
            "content/lighthouse.md": piece("Lighthouse", summary="A lamp of books.", body=HUGO_SHORTCODES),
            "content/tide.md": piece("Tide", body=JEKYLL_LIQUID),
        }
    )
    run = ssg("build", "-s", site, "-q")
    assert run.code == 0, run

    for page in (site / "output").rglob("*.html"):
        doc = soup(page)
        for code in doc.find_all("code"):
            code.decompose()
        shown = doc.get_text()
        assert "{{%" not in shown and "{%" not in shown and "{{<" not in shown and "{{ site" not in shown, page

    lighthouse = soup(site / "output/lighthouse/index.html").select_one("main")
    text = " ".join(lighthouse.get_text().split())
    assert "I dreamed the lighthouse was a library" in text
    assert "Every beam was a page turned by gulls at dawn." in text
    assert [code.get_text() for code in lighthouse.find_all("code")] == ["{{ keep.these }} {% and_these %} {{% and %}}\n", "{{< not-a-shortcode >}}"]

    tide = soup(site / "output/tide/index.html").select_one("main")
    text = " ".join(tide.get_text().split())
    assert "Written for on ." in text
    assert "She said {{ the tide }} in braces." in text
    assert "owl stanza" not in text
    assert tide.select_one("pre code").get_text() == "salt  :  moon\n"

    for expected in [
        "content/lighthouse.md:7: warning: Hugo shortcode {{% notice %}} is left out and the text it wraps kept: ssg does not run Hugo shortcodes\n  hint: replace it with Markdown or HTML, or remove it",
        "content/lighthouse.md:11: warning: Hugo shortcode {{< figure >}} is left out: ssg does not run Hugo shortcodes",
        "content/lighthouse.md:13: warning: Hugo shortcode {{< sidenote >}} is left out and the text it wraps kept",
        "content/tide.md:6: warning: Liquid variable {{ site.title }} is left out: ssg does not run Liquid",
        "content/tide.md:6: warning: Liquid variable {{ page.date }} is left out",
        "content/tide.md:8: warning: Liquid tag {% include %} is left out",
        "content/tide.md:10: warning: Liquid tag {% raw %} is left out and the text it wraps kept",
        "content/tide.md:12: warning: Liquid tag {% comment %} is left out with the text it wraps",
        "content/tide.md:16: warning: Liquid tag {% highlight %} is left out and the text it wraps set as code",
    ]:
        assert expected in run.err, expected
    assert "keep.these" not in run.err and "not-a-shortcode" not in run.err


def test_a_verse_poem_keeps_its_stanzas_around_a_shortcode(make_site, ssg):
    site = make_site(
        {
            "content/owl.md": piece("Owl", form="verse", body="{{< epigraph >}}\nthe owl said my name \\\nbackwards \\\n \\\n{{% aside %}}and I answered{{% /aside %}} \\\nin the same way\n"),
        }
    )
    run = ssg("build", "-s", site, "-q")
    assert run.code == 0, run
    poem = soup(site / "output/owl/index.html")
    assert lines_and_stanzas(poem) == [["the owl said my name", "backwards"], ["and I answered", "in the same way"]]
    assert run.err.count("warning:") == 2


# --- Reporting: like warnings folded, keys ignored on purpose, warnings of a failed build -----


def hugo_site(make_site, settings: str = "", **extra: str):
    files = {
        "content/amber.md": piece("Amber", locale="en-GB", body="{{< figure src=amber.jpg >}}\nA bee asleep in a bead of light.\n\n{{< figure src=bee.jpg >}}"),
        "content/basalt.md": piece("Basalt", locale="en-GB", toc="false", body="The stone was warm as a palm. {{< figure src=stone.jpg >}}"),
        "content/cinder.md": piece("Cinder", locale="fr", body="Ash wrote my name on the snow."),
        **extra,
    }
    if settings:
        files["pyproject.toml"] = "[tool.ssg]\n" + settings
    return make_site(files)


def test_like_warnings_are_folded_with_a_count(make_site, ssg):
    run = ssg("build", "-s", hugo_site(make_site), "-q")
    assert run.code == 0, run
    warnings = [line for line in run.err.splitlines() if "warning:" in line]
    assert "content/amber.md:4: warning: unknown front matter key 'locale' (and in 2 more files)" in warnings
    assert "content/basalt.md:5: warning: unknown front matter key 'toc'" in warnings
    assert "content/amber.md:7: warning: Hugo shortcode {{< figure >}} is left out: ssg does not run Hugo shortcodes (and 2 more, in 2 files in all)" in warnings
    assert len(warnings) == 3, run.err


def test_ignore_keys_silences_unknown_keys_on_purpose(make_site, ssg):
    run = ssg("build", "-s", hugo_site(make_site, 'ignore_keys = ["locale", "toc"]\n'), "-q")
    assert run.code == 0, run
    assert "front matter key" not in run.err
    assert "{{< figure >}}" in run.err


def test_ignore_keys_must_be_a_list_of_strings(make_site, ssg):
    run = ssg("build", "-s", hugo_site(make_site, 'title = "Embers"\nignore_keys = ["locale", 7]\n'))
    assert run.code == 1
    assert 'pyproject.toml:3: \'ignore_keys\' must be a list of strings (got 7 in it)\n  hint: for example: ignore_keys = ["locale", "toc"]' in run.err
    run = ssg("build", "-s", make_site({"pyproject.toml": '[tool.ssg]\nignore_keys = "locale"\n'}, name="other"))
    assert run.code == 1
    assert "pyproject.toml:2: 'ignore_keys' must be a list of strings (got str 'locale')" in run.err


def test_warnings_are_shown_when_a_build_fails(make_site, ssg):
    site = hugo_site(make_site, 'ignore_keys = ["toc"]\n', **{"content/broken.md": "---\ntitle: Broken\ndate: 2026-13-01\n---\nA month that never came.\n"})
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert "content/broken.md:3: 'date' is not a date" in run.err
    assert "content/amber.md:4: warning: unknown front matter key 'locale' (and in 2 more files)" in run.err
    assert "'toc'" not in run.err
    assert run.err.index("warning:") < run.err.index("content/broken.md:3"), "the problems come last, nearest the prompt"


def test_warnings_are_shown_when_a_link_fails_the_build(make_site, ssg):
    site = hugo_site(make_site, **{"content/door.md": piece("Door", body="It opened onto [the cellar lake](cellar-lake.md).")})
    run = ssg("build", "-s", site)
    assert run.code == 1
    assert "content/door.md:6: broken link 'cellar-lake.md'" in run.err
    assert "content/amber.md:4: warning: unknown front matter key 'locale' (and in 2 more files)" in run.err


def test_the_preview_folds_warnings_and_ignores_keys_as_a_build_does(make_site, preview):
    server = preview(hugo_site(make_site, 'ignore_keys = ["toc"]\n'))
    wait_for(lambda: "content/amber.md:4: warning: unknown front matter key 'locale' (and in 2 more files)" in server.output(), message="the folded warning")
    assert "'toc'" not in server.output()
