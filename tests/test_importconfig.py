"""ssg import-config: Hugo and Jekyll configurations printed as [tool.ssg], read back as TOML."""

from __future__ import annotations

import tomllib

import pytest

from tests.support import write_files

HUGO_TOML = """\
title = "Poèmes d'Ariane"
baseURL = "https://example.org/poemes/"
languageCode = "fr-fr"
paginate = 7
publishDir = "public"
enableRobotsTXT = true

[params]
author = "Ariane"
description = "Des rêves \\"notés\\"\\tle matin"

[markup.goldmark.renderer]
hardWraps = true

[permalinks]
poems = "/:year/:slug/"
"""

HUGO_YAML = """\
title: Night Ferries
baseurl: https://user.github.io/ferries
languagecode: pt-br
theme: ananke
pagination:
  pagerSize: 4
params:
  subtitle: Crossings
  author:
    name: Rui
markup.goldmark.renderer.hardWraps: true
taxonomies:
  tag: tags
  series: series
"""

JEKYLL_YML = """\
title: Mist Notebook
description: Dreams kept before waking
url: "https://user.github.io"
baseurl: "/poems"
lang: en-gb
author:
  name: Ada
  email: ada@example.org
kramdown:
  hard_wrap: true
collections:
  poems:
    output: true
plugins:
  - jekyll-redirect-from
  - jekyll-feed
exclude: [Gemfile]
"""


def imported(ssg, config_file):
    """Run ssg import-config on config_file: its stdout, parsed as TOML, and the raw text."""
    run = ssg("import-config", config_file)
    assert run.code == 0, run.err
    return tomllib.loads(run.out)["tool"]["ssg"], run.out


def not_converted(printed: str) -> list[str]:
    return [line.removeprefix("# not converted: ") for line in printed.splitlines() if line.startswith("# not converted: ")]


def test_hugo_toml(ssg, tmp_path):
    write_files(tmp_path, {"config.toml": HUGO_TOML})
    settings, printed = imported(ssg, tmp_path / "config.toml")
    assert settings == {
        "title": "Poèmes d'Ariane",
        "description": 'Des rêves "notés"\tle matin',
        "base_url": "https://example.org/poemes/",
        "language": "fr-FR",
        "author": "Ariane",
        "urls": "folders",
        "per_page": 7,
        "defaults": {"form": "verse"},
    }
    assert not_converted(printed) == ['permalinks = {poems = "/:year/:slug/"} — ssg publishes a piece at its path in content/; set slug to rename one, and aliases to keep an old URL alive']
    assert "publishDir" not in printed and "enableRobotsTXT" not in printed


def test_hugo_yaml_with_dotted_keys_and_keys_in_any_case(ssg, tmp_path):
    write_files(tmp_path, {"hugo.yaml": HUGO_YAML})
    settings, printed = imported(ssg, tmp_path / "hugo.yaml")
    assert settings == {
        "title": "Night Ferries",
        "subtitle": "Crossings",
        "base_url": "https://user.github.io/ferries/",
        "language": "pt-BR",
        "author": "Rui",
        "urls": "folders",
        "per_page": 4,
        "defaults": {"form": "verse"},
    }
    assert [line.split(" — ")[0] for line in not_converted(printed)] == ['theme = "ananke"', 'taxonomies = {tag = "tags", series = "series"}']


def test_jekyll_config(ssg, tmp_path):
    write_files(tmp_path, {"_config.yml": JEKYLL_YML})
    settings, printed = imported(ssg, tmp_path / "_config.yml")
    assert settings == {
        "title": "Mist Notebook",
        "description": "Dreams kept before waking",
        "base_url": "https://user.github.io/poems/",
        "language": "en-GB",
        "author": "Ada",
        "defaults": {"form": "verse"},
    }
    assert [line.split(" — ")[0] for line in not_converted(printed)] == [
        "collections = {poems = {output = true}}",
        'plugins = "jekyll-redirect-from"',
        'plugins = "jekyll-feed"',
    ]
    assert "Gemfile" not in printed


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        ("config.toml", 'title = "x"\nbaseURL = \n', 2, "invalid TOML"),
        ("_config.yml", "title: x\nauthor: [Ada\n  email: a\n", 2, "invalid YAML"),
        ("hugo.json", '{\n"title": "x",\n}\n', 3, "invalid JSON"),
    ],
)
def test_invalid_file_is_an_error_at_its_line(ssg, tmp_path, name, text, line, message):
    write_files(tmp_path, {name: text})
    run = ssg("import-config", tmp_path / name)
    assert run.code == 1 and run.out == ""
    assert run.err.startswith(f"{tmp_path / name}:{line}: {message}") and "\n  hint: " in run.err
    assert "Traceback" not in run.err


def test_unknown_file_name_names_the_accepted_ones(ssg, tmp_path):
    write_files(tmp_path, {"site.toml": 'title = "x"\n'})
    run = ssg("import-config", tmp_path / "site.toml")
    assert run.code == 1 and "is not the name of a Hugo or Jekyll configuration" in run.err
    assert "hint: pass Hugo's config.toml" in run.err and "_config.yml" in run.err and "Traceback" not in run.err


def test_control_characters_and_astral_text_stay_valid_toml(ssg, tmp_path):
    write_files(tmp_path, {"hugo.json": '{"title": "Moon \\ud83c\\udf19 \\u0007\\u007f\\\\ \\ud800", "theme": "a\\nb"}'})
    settings, printed = imported(ssg, tmp_path / "hugo.json")
    assert settings["title"] == "Moon 🌙 \x07\x7f\\ \ufffd"
    assert 'theme = "a\\nb"' in printed


def test_printed_block_builds_a_site(ssg, make_site, tmp_path):
    write_files(tmp_path, {"config.toml": HUGO_TOML})
    _, printed = imported(ssg, tmp_path / "config.toml")
    site = make_site({"pyproject.toml": printed, "content/a.md": "---\ntitle: A\n---\nThe ferry sang,\nthe river listened.\n"})
    run = ssg("build", "-s", site)
    assert run.code == 0, run.err
