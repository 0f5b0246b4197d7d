"""The writer's commands: ssg init, ssg new, ssg theme list|copy; and a half-made folder."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
import yaml

from ssg import frontmatter
from ssg.scaffold import NOT_REPLACEABLE, STARTER_FILES
from ssg.templates import THEME_DIR
from tests.support import REPO, read_tree, soup

BIN = REPO / ".venv/bin"


def test_init_makes_an_anthology_that_builds_styled_with_its_three_moods(tmp_path, ssg, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = ssg("init", "my-anthology")
    assert run.code == 0, run
    site = tmp_path / "my-anthology"
    assert sorted(read_tree(site)) == sorted(STARTER_FILES)
    assert "cd my-anthology" in run.out and "ssg serve" in run.out
    settings = (site / "pyproject.toml").read_text()
    assert 'title = "My Anthology"' in settings
    for commented in ("# base_url = ", "# language = ", "mood = "):
        assert commented in settings
    assert (site / ".gitignore").read_text().splitlines()[1:] == ["/output/", "/.output.ssg-*", ".ssg-cache/"]

    assert ssg("build", "-s", site).code == 0
    output = site / "output"
    pieces = {}
    for file in sorted((site / "content").glob("*.md")):
        page = soup(output / file.stem / "index.html")
        assert [link["href"] for link in page.select('link[rel="stylesheet"]')] == ["/assets/style.css"]
        pieces[page.body["data-mood"]] = page
    assert sorted(pieces) == ["dawn", "mist", "moonlight"]
    assert pieces["moonlight"].select_one("article.verse-piece .verse") is not None  # a poem
    assert pieces["mist"].select_one(".verse") is None  # prose
    assert pieces["dawn"].select_one(".piece-body p + .verse") is not None  # prose with a verse passage
    assert (output / "assets/style.css").stat().st_size > 10_000


def test_init_never_writes_over_a_file(tmp_path, ssg):
    site = tmp_path / "dreams"
    (site / "content").mkdir(parents=True)
    (site / "content/the-fog-library.md").write_text("mine\n")
    (site / "notes.txt").write_text("a folder that is not empty is fine, when nothing clashes\n")
    run = ssg("init", site)
    assert run.code == 1
    assert f"{site}/content/the-fog-library.md: already exists; ssg init never writes over a file" in run.err
    assert "nothing was written" in run.err
    assert sorted(read_tree(site)) == ["content/the-fog-library.md", "notes.txt"]
    assert (site / "content/the-fog-library.md").read_text() == "mine\n"


def test_init_here_wants_an_empty_folder(tmp_path, ssg, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text("hello\n")
    run = ssg("init")
    assert run.code == 1 and "the current folder is not empty (it holds draft.txt)" in run.err
    assert "ssg init my-anthology" in run.err
    (tmp_path / "draft.txt").unlink()
    (tmp_path / ".git").mkdir()  # a fresh `git init` is empty enough
    run = ssg("init")
    assert run.code == 0, run
    assert (tmp_path / "pyproject.toml").is_file() and "Made a new anthology in the current folder" in run.out


def test_the_written_workflow_is_the_repository_one_but_for_the_install_line(tmp_path, ssg):
    assert ssg("init", tmp_path / "site").code == 0
    written = (tmp_path / "site/.github/workflows/pages.yml").read_text()
    ours = (REPO / ".github/workflows/pages.yml").read_text()
    install = [line for line in written.splitlines() if "run: python -m pip install" in line]
    assert install == ['        run: python -m pip install "ssg @ git+https://github.com/<owner>/ssg@v0.1.0" weasyprint']
    workflow, repository = yaml.safe_load(written), yaml.safe_load(ours)
    for steps in (workflow["jobs"]["build"]["steps"], repository["jobs"]["build"]["steps"]):
        steps[:] = [step for step in steps if step.get("name") != "Install ssg"]
    assert workflow == repository
    actionlint = shutil.which("actionlint", path=str(BIN)) or shutil.which("actionlint")
    if actionlint is None:
        pytest.skip("actionlint is missing: pip install -e '.[test]' installs it")
    result = subprocess.run([actionlint, "-no-color", str(tmp_path / "site/.github/workflows/pages.yml")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_new_writes_a_piece_with_front_matter_and_prints_its_path(tmp_path, ssg, monkeypatch):
    assert ssg("init", tmp_path / "site").code == 0
    monkeypatch.chdir(tmp_path / "site")
    run = ssg("new", "Lake of Glass", "--verse", "--tags", "mist, dawn", "--draft")
    assert run.code == 0, run
    assert run.out == "content/lake-of-glass.md\n"
    text = (tmp_path / "site/content/lake-of-glass.md").read_text()
    parsed, _ = frontmatter.split(text, "content/lake-of-glass.md")
    fields, errors, warnings = frontmatter.check(parsed, "content/lake-of-glass.md")
    assert not errors and not warnings
    assert (fields.title, fields.date.date(), fields.tags, fields.form, fields.draft) == ("Lake of Glass", date.today(), ("mist", "dawn"), "verse", True)
    assert text.startswith("---\ntitle: Lake of Glass\n")

    run = ssg("new", "Lake of Glass")
    assert run.code == 1
    assert "content/lake-of-glass.md: already exists; ssg new never writes over a file" in run.err
    assert (tmp_path / "site/content/lake-of-glass.md").read_text() == text

    run = ssg("new", 'Fog: "a hymn" #1', "--tags", "night: sea")
    assert run.code == 0, run
    text = (tmp_path / "site/content/fog-a-hymn-1.md").read_text()
    fields = frontmatter.check(frontmatter.split(text, "x.md")[0], "x.md")[0]
    assert (fields.title, fields.tags, fields.draft, fields.form) == ('Fog: "a hymn" #1', ("night: sea",), False, "prose")
    assert ssg("build", "-s", ".", "--drafts").code == 0
    assert soup(tmp_path / "site/output/lake-of-glass/index.html").select_one(".verse") is not None


def test_new_outside_a_site_says_how_to_make_one(tmp_path, ssg):
    run = ssg("new", "Lake", "-s", tmp_path)
    assert run.code == 1
    assert f"{tmp_path}: this folder is not an anthology yet: content/ (the pieces) and pyproject.toml (the settings) are missing" in run.err
    assert "hint: `ssg init` makes a new anthology here" in run.err
    assert list(tmp_path.iterdir()) == []


def test_theme_list_names_layouts_then_assets_and_marks_overrides(make_site, ssg):
    site = make_site({"layouts/piece.html": "{{ piece.title }}\n"})
    run = ssg("theme", "list", "-s", site)
    assert run.code == 0, run
    names = run.out.splitlines()
    expected = sorted(file.relative_to(THEME_DIR).as_posix() for file in THEME_DIR.rglob("*") if file.is_file() and not file.relative_to(THEME_DIR).as_posix().startswith(NOT_REPLACEABLE))
    assert [name.split("  ")[0] for name in names] == sorted(expected, key=lambda name: (name.startswith("assets/"), name))
    assert "piece.html  (replaced by layouts/piece.html)" in names
    assert {"base.html", "partials/tag-list.html", "assets/style.css", "assets/favicon.svg"} <= set(names)


def test_theme_copy_copies_for_editing_and_never_writes_over_a_file(make_site, ssg):
    site = make_site()
    run = ssg("theme", "copy", "-s", site, "piece.html", "assets/style.css")
    assert run.code == 0, run
    assert run.out == "Copied layouts/piece.html\nCopied layouts/assets/style.css\n"
    assert (site / "layouts/piece.html").read_bytes() == (THEME_DIR / "piece.html").read_bytes()
    (site / "layouts/piece.html").write_text("mine\n")
    run = ssg("theme", "copy", "-s", site, "tags.html", "piece.html")
    assert run.code == 1
    assert "layouts/piece.html: already exists; ssg theme copy never writes over a file" in run.err
    assert not (site / "layouts/tags.html").exists()  # nothing is copied when one fails
    assert (site / "layouts/piece.html").read_text() == "mine\n"
    run = ssg("theme", "copy", "-s", site, "style.css")
    assert run.code == 1 and "style.css: is not a file of the theme\n  hint: did you mean 'assets/style.css'?" in run.err


def test_a_half_made_folder_lists_everything_missing_at_once(tmp_path, ssg):
    run = ssg("build", "-s", tmp_path)
    assert run.code == 1
    assert run.err.splitlines()[:2] == [
        f"{tmp_path}: this folder is not an anthology yet: content/ (the pieces) and pyproject.toml (the settings) are missing",
        "  hint: `ssg init` makes a new anthology here, with sample pieces to start from",
    ]
    (tmp_path / "pyproject.toml").write_text('[tool.ssg]\ntitle = "Dreams"\n')
    run = ssg("build", "-s", tmp_path)
    assert run.code == 1
    assert run.err.startswith("content: the content folder does not exist\n  hint: create content/ and put your pieces there")
    assert "ssg init" in run.err


def test_build_help_names_layouts_and_the_theme(ssg):
    run = ssg("build", "--help")
    assert run.code == 0
    text = " ".join(run.out.split())
    assert "layouts/" in text and "theme" in text and "custom.css" in text
