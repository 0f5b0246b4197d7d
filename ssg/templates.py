"""The Jinja environment that layouts are rendered in."""

from __future__ import annotations

from functools import partial

import jinja2

from ssg.model import Config
from ssg.urls import absolute_url, url_for


def make_environment(config: Config) -> jinja2.Environment:
    """Layouts from the site's layouts folder, autoescaped, strict about typos.

    StrictUndefined makes a misspelt variable an error at its line instead of
    an empty string that nobody notices.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(config.layouts_dir),
        autoescape=jinja2.select_autoescape(["html", "htm", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        config=config,
        url=partial(url_for, config.base_path),
        absolute_url=partial(absolute_url, config.base_url),
    )
    return env
