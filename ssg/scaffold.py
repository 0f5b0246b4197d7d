"""The writer's commands: ``ssg init`` (a new anthology), ``ssg new`` (a new piece), ``ssg theme``.

Unlike a build, these may read the clock (a new piece is dated today) and
they write into the site folder; but they never write over a file: every
file they would write is checked first, and one that exists stops the
command before anything is written, named in the message.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

from ssg import __version__, frontmatter
from ssg.config import SETTINGS_FILE
from ssg.errors import Problem, SiteError
from ssg.load import files_under, missing_content
from ssg.model import Config
from ssg.slugs import MAX_SLUG_BYTES, slugify, too_long
from ssg.templates import ASSETS_DIR, THEME_DIR

STARTER_DIR = Path(__file__).resolve().parent / "starter"
STARTER_FILES = {
    SETTINGS_FILE: "settings.toml",
    ".gitignore": "gitignore",
    ".github/workflows/pages.yml": "pages.yml",
    "content/the-fog-library.md": "content/the-fog-library.md",
    "content/inventory-by-moonlight.md": "content/inventory-by-moonlight.md",
    "content/what-the-baker-sang-at-dawn.md": "content/what-the-baker-sang-at-dawn.md",
}
"""What ``ssg init`` writes (relative to the new site) → its file in ssg/starter/.

The package keeps them under other names: a pyproject.toml or a dotfile
inside ssg's own source would be taken for ssg's by the tools that read them."""
REQUIREMENT_PLACEHOLDER = "ssg @ git+https://github.com/<owner>/ssg@v" + __version__
"""What the workflow installs when ssg cannot tell where it was installed from."""


@dataclass(frozen=True)
class Started:
    """What ``ssg init`` wrote."""

    site_dir: Path
    files: tuple[str, ...]
    requirement_known: bool
    """Whether the workflow installs the ssg that wrote it (else a placeholder to edit)."""


def init_site(site_dir: Path, *, here: bool) -> Started:
    """Write a new anthology into site_dir; `here`: it is the current folder, which must be empty."""
    if site_dir.exists() and not site_dir.is_dir():
        raise SiteError.at(str(site_dir), None, "is a file, not a folder", "name a new folder: ssg init my-anthology")
    if here:
        held = sorted(entry.name for entry in site_dir.iterdir() if entry.name != ".git")
        if held:
            shown = ", ".join(held[:5]) + (", …" if len(held) > 5 else "")
            raise SiteError.at(str(site_dir), None, f"the current folder is not empty (it holds {shown})", "make the anthology in a new folder: ssg init my-anthology")
    existing = [name for name in STARTER_FILES if (site_dir / name).exists() or (site_dir / name).is_symlink()]
    if existing:
        raise SiteError(
            [
                Problem(str(site_dir / name), None, "already exists; ssg init never writes over a file", "move it away, or make the anthology in a new folder: ssg init my-anthology")
                for name in existing
            ]
        )
    requirement = installed_requirement()
    values = {
        "@TITLE@": json.dumps(_title_of(site_dir), ensure_ascii=False),
        "@SSG_REQUIREMENT@": requirement or REQUIREMENT_PLACEHOLDER,
    }
    for name, starter in STARTER_FILES.items():
        text = (STARTER_DIR / starter).read_text(encoding="utf-8")
        for marker, value in values.items():
            text = text.replace(marker, value)
        _write_new(site_dir / name, text)
    return Started(site_dir, tuple(STARTER_FILES), requirement is not None)


def installed_requirement() -> str | None:
    """``ssg @ git+URL@commit`` when this ssg was installed from a git repository (PEP 610), else None."""
    try:
        found = metadata.distribution("ssg").read_text("direct_url.json")
        direct = json.loads(found) if found else {}
    except (metadata.PackageNotFoundError, ValueError):
        return None
    vcs = direct.get("vcs_info") or {}
    url = direct.get("url", "")
    if vcs.get("vcs") != "git" or not url.startswith("https://") or not vcs.get("commit_id"):
        return None
    return f"ssg @ git+{url}@{vcs['commit_id']}"


def new_piece(config: Config, title: str, *, verse: bool = False, tags: tuple[str, ...] = (), draft: bool = False, today: date | None = None) -> Path:
    """Write content/<slug>.md with front matter for a new piece; returns its file."""
    if not config.content_dir.is_dir():
        raise SiteError([missing_content(config)])
    title = title.strip()
    slug = slugify(title)
    if not slug:
        raise SiteError.at("ssg new", None, f"the title {title!r} has no letters or digits to name the file after", 'give it a title made of words: ssg new "Lake of Glass"')
    if too_long(slug):
        raise SiteError.at(
            "ssg new",
            None,
            f"the title makes a file name of {len(slug.encode())} bytes, more than the {MAX_SLUG_BYTES} a slug may take",
            "give the piece a shorter title (you can lengthen it in the file afterwards)",
        )
    piece_file = config.content_dir / f"{slug}.md"
    if piece_file.exists() or piece_file.is_symlink():
        raise SiteError.at(config.relative(piece_file), None, "already exists; ssg new never writes over a file", "open it to go on writing, or choose another title")
    fields: list[tuple[str, str | list[str]]] = [("title", title), ("date", (today or date.today()).isoformat())]
    if tags:
        fields.append(("tags", list(tags)))
    if verse:
        fields.append(("form", "verse"))
    if draft:
        fields.append(("draft", "true"))
    body = "Write the poem here, one line a line;\na blank line between stanzas.\n" if verse else "Write the dream here.\n"
    _write_new(piece_file, _front_matter(fields, config.relative(piece_file)) + "\n" + body)
    return piece_file


def _front_matter(fields: list[tuple[str, str | list[str]]], source: str) -> str:
    """The front matter of fields, each value written plain when it reads back the same, else quoted."""
    plain = _yaml_lines(fields, quoted=False)
    parsed, _ = frontmatter.split(plain, source)
    checked = frontmatter.check(parsed, source)[0] if parsed else None
    wanted = dict(fields)
    if checked is not None and checked.title == wanted["title"] and list(checked.tags) == wanted.get("tags", []):
        return plain
    return _yaml_lines(fields, quoted=True)


def _yaml_lines(fields: list[tuple[str, str | list[str]]], *, quoted: bool) -> str:
    def scalar(value: str) -> str:
        return json.dumps(value, ensure_ascii=False) if quoted else value  # a JSON string is a YAML double-quoted scalar

    lines = ["---"]
    for key, value in fields:
        written = "[" + ", ".join(map(scalar, value)) + "]" if isinstance(value, list) else value if key in ("date", "form", "draft") else scalar(value)
        lines.append(f"{key}: {written}")
    return "\n".join([*lines, "---", ""])


@dataclass(frozen=True)
class ThemeFile:
    """One file of the theme, as ``ssg theme list`` shows it."""

    name: str
    """Its name under layouts/ (``piece.html``, ``partials/tag-list.html``, ``assets/style.css``)."""
    overridden: bool
    """Whether the site's layouts/ has a file of that name, which is used instead."""


NOT_REPLACEABLE = ("book/", "epub/", "fonts/", "locales/")
"""Folders of the theme that a site's layouts/ does not replace: the EPUB's and the PDF's own layouts and fonts, and the theme's words."""


def _replaceable() -> list[str]:
    """The theme's files that a file of the same name in layouts/ replaces."""
    return [name for name in files_under(THEME_DIR) if not name.startswith(NOT_REPLACEABLE)]


def theme_files(config: Config | None) -> tuple[ThemeFile, ...]:
    """Every file of the theme that a site can replace, layouts first, then assets; marked when the site does."""
    names = _replaceable()
    ordered = sorted(names, key=lambda name: (name.startswith(ASSETS_DIR + "/"), name))
    return tuple(ThemeFile(name, config is not None and (config.layouts_dir / name).exists()) for name in ordered)


def copy_theme_files(config: Config, names: list[str]) -> list[Path]:
    """Copy theme files into the site's layouts/, for editing; nothing is copied if one is unknown or exists."""
    known = set(_replaceable())
    problems = []
    for name in names:
        if name not in known:
            candidates = [other for other in sorted(known) if other.rsplit("/", 1)[-1] == name.rsplit("/", 1)[-1]]
            hint = f"did you mean '{candidates[0]}'?" if candidates else "`ssg theme list` names every file of the theme"
            problems.append(Problem(name, None, "is not a file of the theme", hint))
        elif (config.layouts_dir / name).exists() or (config.layouts_dir / name).is_symlink():
            problems.append(Problem(config.relative(config.layouts_dir / name), None, "already exists; ssg theme copy never writes over a file", "delete it first to start again from the theme's"))
    if problems:
        raise SiteError(problems)
    copied = []
    for name in dict.fromkeys(names):
        target = config.layouts_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(THEME_DIR / name, target)
        copied.append(target)
    return copied


def _title_of(site_dir: Path) -> str:
    """A first title from the folder's name: my-anthology → My Anthology."""
    words = site_dir.resolve().name.replace("-", " ").replace("_", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or "Dreams"


def _write_new(file: Path, text: str) -> None:
    """Write a file that must not exist yet ('x': even a file made in between is never overwritten)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    try:
        with file.open("x", encoding="utf-8", newline="\n") as written:
            written.write(text)
    except FileExistsError:
        raise SiteError.at(str(file), None, "already exists; ssg never writes over a file", "move it away and run the command again") from None
