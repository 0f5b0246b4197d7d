"""Incremental rebuilds: after any sequence of edits, the output of a builder
that rebuilt after each edit (as `ssg watch` does), and the output of a warm
`ssg build` from its `.ssg-cache/`, equal a clean build of the same sources,
byte for byte.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ssg import cache, load
from ssg.build import Builder, build
from ssg.config import load_config
from ssg.errors import SiteError
from tests.support import read_tree, write_files

LAYOUTS = {
    "layouts/base.html": """\
        <!doctype html><html lang="{{ config.language }}"><title>{{ page.title }}</title>
        <link rel="stylesheet" href="{{ url('/assets/style.css') }}">{% if 'custom.css' in assets %}<link rel="stylesheet" href="{{ url('/assets/custom.css') }}">{% endif %}
        <body data-mood="{{ mood or '' }}">{% include "partials/nav.html" %}{% block main %}{% endblock %}</body></html>
        """,
    "layouts/partials/nav.html": "<nav><a href=\"{{ url('/') }}\">{{ config.title }}</a></nav>\n",
    "layouts/partials/macros.html": '{% macro chip(tag) %}<a href="{{ tag.url }}">{{ tag.name }}</a>{% endmacro %}\n',
    "layouts/home.html": """\
        {% extends "base.html" %}{% block main %}{{ welcome | safe }}
        {% for piece in pieces %}<a href="{{ piece.url }}">{{ piece.title }}</a> {{ piece.summary }}{% endfor %}
        <p>{{ site.tags | length }} tags</p>{% endblock %}
        """,
    "layouts/piece.html": """\
        {% extends "base.html" %}{% from "partials/macros.html" import chip %}{% block main %}
        <h1>{{ piece.title }}</h1><p class="by">{{ piece.author }}</p>{% for tag in tags %}{{ chip(tag) }}{% endfor %}{{ piece.body_html | safe }}
        {% if previous %}<a rel="prev" href="{{ previous.url }}">{{ previous.title }}</a>{% endif %}
        {% if next %}<a rel="next" href="{{ next.url }}">{{ next.title }}</a>{% endif %}{% endblock %}
        """,
    "layouts/tags.html": '{% extends "base.html" %}{% block main %}{% for tag in tags %}{{ tag.name }} {{ tag.count }}{% endfor %}{% endblock %}\n',
    "layouts/tag.html": """\
        {% extends "base.html" %}{% block main %}<h1>{{ tag.name }}</h1>{% for piece in pieces %}{{ piece.title }}{% endfor %}
        {{ pagination.number }}/{{ pagination.count }}{% endblock %}
        """,
    "layouts/404.html": '{% extends "base.html" %}{% block main %}Not found{% endblock %}\n',
    "layouts/assets/style.css": "body { color: black }\n",
}
SLUGS = ["lake", "fog", "ferry", "orchard"]
FOLDERS = ["", "night/"]
TAGS = ["mist", "Mist", "dawn", "sea", "rêve"]


NOW = datetime(2026, 6, 1, tzinfo=UTC)
"""The builds' clock: pieces dated 2099 are in the future."""


def piece_text(title: str, day: int, tags: list[str], draft: bool, weight: int | None, body: str, slug: str | None = None, year: int = 2026) -> str:
    lines = ["---", f"title: {title}", f"date: {year}-01-{day:02}"]
    lines += [f"tags: [{', '.join(tags)}]"] if tags else []  # without tags, a section's cascade may give some
    lines += ["draft: true"] if draft else []
    lines += [f"weight: {weight}"] if weight is not None else []
    lines += [f"slug: {slug}"] if slug else []
    return "\n".join([*lines, "---", "", body, ""])


pieces = st.builds(
    piece_text,
    title=st.sampled_from(["Lake", "Fog", "Ferry", "Orchard", "<Night>"]),
    day=st.integers(1, 4),
    tags=st.lists(st.sampled_from(TAGS), max_size=3),
    draft=st.booleans(),
    weight=st.none() | st.integers(1, 2),
    body=st.sampled_from(["A dream.", "Two *dreams*.", "```\ncode\n```", "Para one.\n\nPara two."]),
)
SUBFOLDERS = ["", "_posts/", "_drafts/"]
"""Where a piece of a folder may sit: in it, or in its _posts/ or _drafts/ (the folder's pieces too, _drafts/ as drafts)."""
SECTION_MATTER = [
    "",
    "title: Nocturnes",
    "weight: 1",
    "weight: 2\ntitle: Aubes",
    "cascade: {form: verse}",
    "cascade: {author: Ann Sexton}",
    "cascade: {tags: [sea]}",
    "draft: true",
    "cascade: {form: verse, author: Ann Sexton}",
]
"""Front matter of a section's _index.md ("" is none at all)."""
BROKEN_SECTION_MATTER = ["cascade: 3", "weight: heavy"]
BROKEN = ["---\ndate: 2026-01-01\n---\nno title\n", "---\ntitle: [unclosed\ndate: 2026-01-01\n---\n", b"---\ntitle: x\ndate: 2026-01-01\n---\n\xff\n"]


class Edits(RuleBasedStateMachine):
    """A writer editing a site while `ssg watch` rebuilds after every save, and `ssg build` now and then."""

    def __init__(self) -> None:
        super().__init__()
        # Loading two files or more goes through the worker processes, so the
        # parallel path meets the same edits as the single-process one.
        self.parallel = (load.PARALLEL_THRESHOLD, load.WORKERS)
        load.PARALLEL_THRESHOLD, load.WORKERS = 2, 2
        self.root = Path(tempfile.mkdtemp(prefix="ssg-rebuild-"))
        self.site = self.root / "site"
        write_files(self.site, LAYOUTS | {"content/lake.md": piece_text("Lake", 1, ["mist"], False, None, "x"), "content/static/a.txt": "a"})
        self.settings: dict[str, object] = {}
        """What pyproject.toml's [tool.ssg] says (nothing: no pyproject.toml, as at the start)."""
        self.broken: set[Path] = set()
        self.broken_sections: set[Path] = set()
        self.sections: dict[Path, tuple[str, str]] = {}
        """Each section's _index.md → its front matter and its body, as last written."""
        self.section_links: set[Path] = set()
        """The sections' files whose introduction links a piece's file."""
        self.saved_cache: Path | None = None
        self.twins: dict[str, bool] = {}
        """slug → whether its twin is a draft (else it is dated in the future)."""
        self.builder = self._new_builder()
        self.builder.build()

    def teardown(self) -> None:
        load.PARALLEL_THRESHOLD, load.WORKERS = self.parallel
        shutil.rmtree(self.root, ignore_errors=True)

    def _new_builder(self) -> Builder:
        """The watcher's builder: it writes watched/ in place, and keeps no cache."""
        return Builder(load_config(self.site, output_dir=self.site / "watched"), now=NOW)

    def _cached_build(self) -> None:
        """`ssg build` as a writer runs it: from .ssg-cache/, into output/."""
        build(load_config(self.site), now=NOW, cache=True)

    def _rebuild(self, *changed: Path, rescan: bool = False) -> None:
        # As `ssg watch` does: trust the events instead of listing content/ again
        # (or list it again, as after a folder came or went).  On an error the
        # preview keeps the last good site; the next good build catches up.
        with contextlib.suppress(SiteError):
            self.builder.build(changed=set(changed), rescan=rescan)

    def _write(self, relative: str, data: str | bytes) -> Path:
        file = self.site / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data if isinstance(data, bytes) else data.encode())
        return file

    def _pieces(self) -> list[Path]:
        return sorted(file for file in (self.site / "content").rglob("*.md") if file.name != "_index.md" and "-twin" not in file.stem)

    @staticmethod
    def _slug(file: Path) -> str:
        """A piece's slug: its file's name, or a leaf bundle's folder's (night/lake/index.md is lake)."""
        return file.parent.name if file.name == "index.md" else file.stem

    def _write_piece(self, relative: str, slug: str, text: str, rescan: bool = False) -> None:
        # One file per slug, so that the site stays valid apart from deliberate breakage.
        file = self.site / relative
        for other in self._pieces():
            if self._slug(other) == slug and other != file:
                other.unlink()
                self.broken.discard(other)
                self._rebuild(other, rescan=rescan)
        self._write(relative, text)
        self.broken.discard(file)
        self._rebuild(file, rescan=rescan)

    @rule(folder=st.sampled_from(FOLDERS), slug=st.sampled_from(SLUGS), text=pieces)
    def write_piece(self, folder, slug, text):
        self._write_piece(f"content/{folder}{slug}.md", slug, text)

    @rule(folder=st.sampled_from(FOLDERS), slug=st.sampled_from(SLUGS), text=pieces, rescan=st.booleans())
    def write_leaf_bundle(self, folder, slug, text, rescan):
        """A piece as Hugo's leaf bundle: night/lake/index.md is the piece lake of the section night."""
        self._write_piece(f"content/{folder}{slug}/index.md", slug, text, rescan)

    @precondition(lambda self: len(self._pieces()) > 1)
    @rule(data=st.data())
    def delete_piece(self, data):
        file = data.draw(st.sampled_from(self._pieces()))
        file.unlink()
        self.broken.discard(file)
        self._rebuild(file)

    @precondition(lambda self: len(self._pieces()) > 0)
    @rule(data=st.data(), folder=st.sampled_from(FOLDERS))
    def rename_piece(self, data, folder):
        file = data.draw(st.sampled_from(self._pieces()))
        self._move(file, self.site / f"content/{folder}{self._slug(file)}.md")

    @precondition(lambda self: len(self._pieces()) > 0)
    @rule(data=st.data(), folder=st.sampled_from(FOLDERS), where=st.sampled_from([*SUBFOLDERS, "bundle"]), rescan=st.booleans())
    def move_piece_in_its_folder(self, data, folder, where, rescan):
        """Into or out of a _posts/ or _drafts/ subfolder, or into a leaf bundle of its own."""
        file = data.draw(st.sampled_from(self._pieces()))
        slug = self._slug(file)
        self._move(file, self.site / "content" / folder / (f"{slug}/index.md" if where == "bundle" else f"{where}{slug}.md"), rescan)

    def _move(self, file: Path, target: Path, rescan: bool = False) -> None:
        if target != file:
            target.parent.mkdir(parents=True, exist_ok=True)
            file.rename(target)
            if file in self.broken:
                self.broken.discard(file)
                self.broken.add(target)
            self._rebuild(file, target, rescan=rescan)

    @precondition(lambda self: len(self._pieces()) > 0)
    @rule(data=st.data(), broken=st.sampled_from(BROKEN))
    def break_piece(self, data, broken):
        file = data.draw(st.sampled_from(self._pieces()))
        self._write(file.relative_to(self.site).as_posix(), broken)
        self.broken.add(file)
        self._rebuild(file)

    @rule(text=st.sampled_from(["<nav>{{ config.title }}</nav>\n", "<nav><a href=\"{{ url('/tags/') }}\">Tags</a></nav>\n", "<nav>{% if %}</nav>\n"]))
    def edit_partial(self, text):
        self._rebuild(self._write("layouts/partials/nav.html", text))

    @rule(text=st.sampled_from(["{% macro chip(tag) %}#{{ tag.name }}{% endmacro %}\n", LAYOUTS["layouts/partials/macros.html"]]))
    def edit_macro(self, text):
        self._rebuild(self._write("layouts/partials/macros.html", text))

    @rule(
        text=st.sampled_from(["a", "b", "c"]),
        name=st.sampled_from(["content/static/a.txt", "content/static/img/b.txt", "layouts/assets/style.css", "layouts/assets/extra.css", "layouts/assets/custom.css"]),
    )
    def edit_static(self, text, name):
        self._rebuild(self._write(name, text))

    @rule(text=st.sampled_from([None, LAYOUTS["layouts/tags.html"], '{% extends "theme/tags.html" %}\n', '{% include "theme/404.html" %}\n']))
    def override_theme_layout(self, text):
        """layouts/tags.html replaces the theme's tags.html (or reaches it by theme/), or is deleted and the theme's comes back."""
        file = self.site / "layouts/tags.html"
        if text is None:
            file.unlink(missing_ok=True)
        else:
            self._write("layouts/tags.html", text)
        self._rebuild(file)

    @precondition(lambda self: self._pieces())
    @rule(data=st.data(), draft=st.booleans())
    def write_unpublished_twin(self, data, draft):
        """A draft, or a piece dated in the future, that takes the slug of a published piece."""
        slug = data.draw(st.sampled_from(sorted({self._slug(file) for file in self._pieces()})))
        self.twins[slug] = draft
        self._write_twin(slug, "SECRET words.")

    @precondition(lambda self: self.twins)
    @rule(data=st.data(), body=st.sampled_from(["SECRET *other* words.", "SECRET words, edited."]))
    def edit_twin_body(self, data, body):
        """Only the body changes: the structure of the site holds, and rebuilds take their fast path."""
        self._write_twin(data.draw(st.sampled_from(sorted(self.twins))), body)

    def _write_twin(self, slug: str, body: str) -> None:
        draft = self.twins[slug]
        text = piece_text("Twin", 2, ["mist"], draft, None, body, slug=slug, year=2026 if draft else 2099)
        self._rebuild(self._write(f"content/{slug}-twin.md", text))

    @rule(name=st.sampled_from(["content/static/a.txt", "content/static/img/b.txt", "layouts/assets/extra.css", "layouts/assets/style.css", "layouts/assets/custom.css"]))
    def delete_static(self, name):
        """Deleting layouts/assets/style.css brings the theme's back."""
        file = self.site / name
        file.unlink(missing_ok=True)
        self._rebuild(file)

    @rule()
    def warm_build(self):
        """`ssg build` between two edits, so that the next one starts from its cache."""
        with contextlib.suppress(SiteError):
            self._cached_build()

    @rule()
    def save_cache(self):
        if (self.site / cache.CACHE_DIR).is_dir():
            self.saved_cache = self.root / "saved-cache"
            shutil.rmtree(self.saved_cache, ignore_errors=True)
            shutil.copytree(self.site / cache.CACHE_DIR, self.saved_cache)

    @precondition(lambda self: self.saved_cache is not None)
    @rule()
    def restore_an_older_cache(self):
        """As a CI restores the cache of an earlier commit: it must describe nothing it does not check."""
        shutil.rmtree(self.site / cache.CACHE_DIR, ignore_errors=True)
        shutil.copytree(self.saved_cache, self.site / cache.CACHE_DIR)

    @rule(damage=st.sampled_from([b"", b"not a pickle", b"\x80\x05truncated"]))
    def damage_the_cache(self, damage):
        for stored in (self.site / cache.CACHE_DIR).glob("*.pickle"):
            stored.write_bytes(damage)

    @rule()
    def cache_of_another_ssg(self):
        """A build by another ssg (its own code digest) leaves its cache beside the site."""
        real = cache.code_key
        cache.code_key = lambda: "another-ssg"
        try:
            self._cached_build()
        except SiteError:
            pass
        finally:
            cache.code_key = real

    @rule(welcome=st.sampled_from(["", "Welcome, *dreamer*."]))
    def edit_welcome(self, welcome):
        file = self.site / "content/_index.md"
        if welcome:
            self._write_section_file(file, "", welcome)
        else:
            self._delete_section_file(file)
        self._rebuild(file)

    @rule(
        folder=st.sampled_from(FOLDERS),
        matter=st.none() | st.sampled_from(SECTION_MATTER + BROKEN_SECTION_MATTER),
        body=st.sampled_from(["kept", "", "An *introduction*.", "link"]),
        data=st.data(),
        rescan=st.booleans(),
    )
    def write_section_file(self, folder, matter, body, data, rescan):
        """A section's _index.md written (title, weight, cascade, draft, an introduction; or broken), or deleted (None).

        With its body kept, only its front matter changes: the section's page
        may stay as it was, while every piece below it changes (its cascade, its draft).
        """
        file = self.site / f"content/{folder}_index.md"
        if matter is None:
            self._delete_section_file(file)
        else:
            if body == "kept":
                body = self.sections.get(file, ("", ""))[1]
            elif body == "link":
                target = data.draw(st.sampled_from(self._pieces())) if self._pieces() else None
                body = f"See [a piece]({Path(os.path.relpath(target, file.parent)).as_posix()})." if target else ""
            self._write_section_file(file, matter, body)
        self._rebuild(file, rescan=rescan)

    @rule(folder=st.sampled_from(FOLDERS), matter=st.sampled_from(SECTION_MATTER + BROKEN_SECTION_MATTER))
    def edit_section_front_matter(self, folder, matter):
        """Only the front matter of a section's file changes (a folder without one gets one first, without front matter).

        As write_section_file with its body kept, but every time: the
        section's own page may stay as it was while every piece below it changes.
        """
        file = self.site / f"content/{folder}_index.md"
        if file not in self.sections:
            self._write_section_file(file, "", "An *introduction*.")
            self._rebuild(file)
        self._write_section_file(file, matter, self.sections[file][1])
        self._rebuild(file)

    def _write_section_file(self, file: Path, matter: str, body: str) -> None:
        self._write(file.relative_to(self.site).as_posix(), (f"---\n{matter}\n---\n\n" if matter else "") + body + "\n")
        self.sections[file] = (matter, body)
        self.broken_sections.discard(file)
        if matter in BROKEN_SECTION_MATTER:
            self.broken_sections.add(file)
        self.section_links.discard(file)
        if "](" in body:
            self.section_links.add(file)

    def _delete_section_file(self, file: Path) -> None:
        file.unlink(missing_ok=True)
        self.sections.pop(file, None)
        self.broken_sections.discard(file)
        self.section_links.discard(file)

    @rule(title=st.sampled_from(["Dreams", "Nights"]), per_page=st.integers(1, 3))
    def edit_settings(self, title, per_page):
        self._write_settings(title=title, per_page=per_page)

    @rule(urls=st.sampled_from(["flat", "folders"]), verse=st.booleans())
    def edit_section_settings(self, urls, verse):
        """Pieces at /<slug>/ or at /<section>/<slug>/; and [tool.ssg.defaults] form = "verse", or no defaults."""
        self._write_settings(urls=urls, verse=verse)

    def _write_settings(self, **changes: object) -> None:
        self.settings.update(changes)
        text = "[tool.ssg]\n" + "".join(f"{key} = {value!r}\n".replace("'", '"') for key, value in self.settings.items() if key != "verse")
        text += '\n[tool.ssg.defaults]\nform = "verse"\n' if self.settings.get("verse") else ""
        self._write("pyproject.toml", text)
        self.builder = self._new_builder()  # as the watcher does on a settings change
        self._rebuild()

    @invariant()
    def output_equals_a_clean_build(self):
        nav = self.site / "layouts/partials/nav.html"
        if "{% if %}" in nav.read_text():
            self._rebuild(self._write("layouts/partials/nav.html", LAYOUTS["layouts/partials/nav.html"]))
        for file in list(self.broken):
            self._write(file.relative_to(self.site).as_posix(), piece_text("Fixed", 3, ["dawn"], False, None, "Fixed."))
            self.broken.discard(file)
            self._rebuild(file)
        for file in list(self.broken_sections):
            self._write_section_file(file, "title: Mended", self.sections[file][1])
            self._rebuild(file)
        clean = self.root / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        try:
            build(load_config(self.site, output_dir=clean), now=NOW)
        except SiteError as error:
            # A section's link to a piece since moved, deleted or made a draft: the writer mends it.
            dangling = {file for file in self.section_links if file.relative_to(self.site).as_posix() in {problem.path for problem in error.problems}}
            if not dangling:
                raise
            for file in dangling:
                self._write_section_file(file, self.sections[file][0], "No link now.")
                self._rebuild(file)
            shutil.rmtree(clean, ignore_errors=True)
            build(load_config(self.site, output_dir=clean), now=NOW)
        expected = read_tree(clean)
        assert read_tree(self.site / "watched") == expected
        self._cached_build()
        assert read_tree(self.site / "output") == expected
        assert not any(b"SECRET" in data for data in expected.values())


Edits.TestCase.settings = settings(max_examples=40, stateful_step_count=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
test_rebuilds_equal_a_clean_build = pytest.mark.browser(Edits.TestCase)  # the full gate: some 1,500 builds; the tests below keep rebuilds in the fast tier


def test_an_unchanged_rebuild_writes_nothing(make_site):
    site = make_site({"content/a.md": piece_text("A", 1, ["mist"], False, None, "x"), "content/b.md": piece_text("B", 2, ["dawn"], False, None, "y")})
    builder = Builder(load_config(site))
    first = builder.build()
    assert first.rendered == first.pages
    again = builder.build()
    assert again.rendered == 0 and again.written == ()


def test_an_edit_rerenders_only_the_pages_that_show_it(make_site):
    files = {f"content/p{n}.md": piece_text(f"P{n}", n, ["mist"] if n % 2 else ["dawn"], False, None, "x") for n in range(1, 7)}
    site = make_site(files)
    builder = Builder(load_config(site))
    builder.build()
    file = site / "content/p3.md"
    file.write_text(piece_text("P3", 3, ["mist"], False, None, "A new body."))
    report = builder.build(changed={file})
    # its page, its neighbours (they show its title only, but read the piece), home, its tag
    assert "p3/index.html" in report.written
    assert not {"p1/index.html", "p5/index.html", "p6/index.html", "tags/dawn/index.html"} & set(report.written)
    assert report.rendered < report.pages


def test_a_layout_edit_rerenders_only_pages_using_it(make_site):
    site = make_site({"content/a.md": piece_text("A", 1, ["mist"], False, None, "x")})
    builder = Builder(load_config(site))
    builder.build()
    themed = read_tree(site / "output")
    layout = site / "layouts/tags.html"  # a new override of the theme's tags.html
    layout.parent.mkdir()
    layout.write_text("<p>{{ tags | length }} tags</p>\n")
    report = builder.build(changed={layout})
    assert report.written == ("tags/index.html",)
    assert (site / "output/tags/index.html").read_text() == "<p>1 tags</p>\n"
    layout.unlink()
    report = builder.build(changed={layout})
    assert report.written == ("tags/index.html",)
    assert read_tree(site / "output") == themed
