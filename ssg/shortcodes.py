"""Hugo shortcodes and Liquid tags left in a body: never shown to readers.

A site moved over from Hugo or Jekyll keeps ``{{% notice %}}``,
``{{< figure … >}}``, ``{% include … %}`` or ``{{ site.title }}`` in its
pieces.  ssg has no shortcodes, and printing them as text would show readers
the machinery.  So each one is taken out of the body before Markdown sees
it, and each is a warning at its file line:

- a paired one (``{{% notice %}}…{{% /notice %}}``, ``{% raw %}…{% endraw %}``)
  keeps its inner text, as the reader would have seen it;
- ``{% highlight lang %}…{% endhighlight %}`` becomes a fenced code block
  when its tags stand on lines of their own, and ``{% raw %}`` keeps its
  inner text exactly, braces and all;
- ``{% comment %}…{% endcomment %}`` is left out with what it holds;
- a lone one is left out;
- a link tag (Hugo's ``ref`` and ``relref``, Jekyll's ``post_url`` and
  ``link``) becomes the path of the file it names, which ssg resolves as
  any link to a piece (:mod:`ssg.links`), silently.

Code is never touched: fenced and indented code blocks and code spans keep
every brace (a poem about Jinja in a code block shows its ``{{ }}``).  A line
that held only tags becomes a blank line, so the lines below keep their
numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown.extensions.fenced_code import FencedBlockPreprocessor

from ssg.errors import Problem

_TAG = re.compile(
    r"(?P<hugo>\{\{[%<]\s*(?P<hugo_close>/)?\s*(?P<hugo_name>[\w.-]+).*?[%>]\}\})"
    r"|(?P<liquid>\{%-?\s*(?P<liquid_name>\w+)(?:[^%]|%(?!\}))*?-?%\})"
    r"|(?P<variable>\{\{-?\s*(?P<variable_name>(?:site|page|layout|include|jekyll|paginator)\b[\w.]*)[^{}]*?-?\}\})",
    re.DOTALL,
)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_INDENTED_CODE = re.compile(r"(?:^|\n)[ ]*\n((?:(?:[ ]{4}|\t).*(?:\n|$)|[ ]*(?:\n|$))+)")
_WHY = {"Hugo shortcode": "ssg does not run Hugo shortcodes", "Liquid tag": "ssg does not run Liquid", "Liquid variable": "ssg does not run Liquid"}
_HIGHLIGHT = re.compile(r"\{%-?\s*highlight\s+([\w+#.-]+)")


@dataclass(frozen=True)
class _Tag:
    start: int
    end: int
    kind: str
    """``Hugo shortcode``, ``Liquid tag`` or ``Liquid variable``."""
    name: str
    closing: bool
    shown: str
    """The tag by its name alone (``{{< figure >}}``), so that messages about one kind are alike."""


def strip(body: str, source: str, first_line: int, *, verse: bool = False) -> tuple[str, list[Problem]]:
    """The body without its shortcodes and Liquid, and a warning at each one's line."""
    if "{{" not in body and "{%" not in body:
        return body, []
    code = _code_ranges(body, verse)
    tags = [tag for tag in _tags(body) if not _inside(tag.start, code)]
    if not tags:
        return body, []

    warnings: list[Problem] = []
    cuts: list[tuple[int, int, str]] = []
    """(start, end, replacement) for every tag taken out."""
    used: set[int] = set()
    for index, tag in enumerate(tags):
        if index in used:
            continue
        target = _link_target(body[tag.start : tag.end], tag)
        if target is not None:  # a link's target: ssg resolves the file it names as any link's
            cuts.append((tag.start, tag.end, target))
            continue
        line = first_line + body.count("\n", 0, tag.start)
        close = None if tag.closing or tag.kind == "Liquid variable" else _closing(tags, index, used)
        fix = "replace it with Markdown or HTML, or remove it"
        if tag.closing:
            message, hint = f"{tag.kind} {tag.shown} closes nothing and is left out", "remove it"
        elif close is None:
            message, hint = f"{tag.kind} {tag.shown} is left out: {_WHY[tag.kind]}", fix
        elif tag.name == "comment":
            message, hint = f"{tag.kind} {tag.shown} is left out with the text it wraps: {_WHY[tag.kind]}", "write an HTML comment instead: <!-- … -->"
        elif tag.name == "highlight":
            message, hint = f"{tag.kind} {tag.shown} is left out and the text it wraps set as code: {_WHY[tag.kind]}", "write a fenced code block instead: ```python"
        else:
            message, hint = f"{tag.kind} {tag.shown} is left out and the text it wraps kept: {_WHY[tag.kind]}", fix
        if close is not None:
            used.add(close)
        warnings.append(Problem(source, line, message, hint))
        if close is None:
            cuts.append((tag.start, tag.end, ""))
            continue
        end_tag = tags[close]
        inner = (tag.end, end_tag.start)
        if tag.name == "comment":
            cuts.append((tag.start, end_tag.end, ""))
        elif tag.name == "highlight" and _alone(body, tag) and _alone(body, end_tag):
            language = _HIGHLIGHT.match(body, tag.start)
            cuts += [(tag.start, tag.end, f"```{language[1] if language else ''}"), (end_tag.start, end_tag.end, "```")]
        else:
            cuts += [(tag.start, tag.end, ""), (end_tag.start, end_tag.end, "")]
        if tag.name in {"raw", "highlight", "comment"}:
            used.update(i for i, other in enumerate(tags) if inner[0] <= other.start < inner[1])
    return _cut(body, sorted(cuts)), warnings


_LINK_TAGS = {("Hugo shortcode", "ref"), ("Hugo shortcode", "relref"), ("Liquid tag", "post_url"), ("Liquid tag", "link")}
"""Tags that stand for the URL of a file of the site: Hugo's ``ref`` and ``relref``, Jekyll's ``post_url`` and ``link``."""
_ARGUMENT = re.compile(r"""^\{[{%][<%]?-?\s*[\w.-]+\s+(?:"([^"]*)"|'([^']*)'|([^\s%>}]+))""")


def _link_target(text: str, tag: _Tag) -> str | None:
    """What a link tag names, as a link ssg resolves: ``{{< ref "passion.md" >}}`` → ``passion.md``,
    ``{% post_url 2024-01-02-lake %}`` → ``2024-01-02-lake.md`` (a file name found once), ``{% link about.md %}`` → ``/about.md``."""
    if (tag.kind, tag.name) not in _LINK_TAGS or tag.closing:
        return None
    argument = _ARGUMENT.match(text)
    if argument is None:
        return None
    written = next(group for group in argument.groups() if group is not None)
    if tag.name == "post_url":
        return written.rsplit("/", 1)[-1] + ".md"
    if tag.name == "link":
        return "/" + written.lstrip("/")
    return written


def _tags(body: str) -> list[_Tag]:
    tags = []
    for match in _TAG.finditer(body):
        if match["hugo"]:
            name, closing = match["hugo_name"], bool(match["hugo_close"])
            opening = match[0][:3]
            shown = f"{opening} {'/' if closing else ''}{name} {'%' if opening == '{{%' else '>'}}}}}"
            tags.append(_Tag(match.start(), match.end(), "Hugo shortcode", name, closing, shown))
        elif match["liquid"]:
            name = match["liquid_name"]
            closing = name.startswith("end") and name != "end"
            tags.append(_Tag(match.start(), match.end(), "Liquid tag", name.removeprefix("end") if closing else name, closing, f"{{% {name} %}}"))
        else:
            tags.append(_Tag(match.start(), match.end(), "Liquid variable", match["variable_name"], False, f"{{{{ {match['variable_name']} }}}}"))
    return tags


def _closing(tags: list[_Tag], index: int, used: set[int]) -> int | None:
    """The index of the tag that closes tags[index], nested pairs of the same name counted."""
    opened = tags[index]
    depth = 0
    for later in range(index + 1, len(tags)):
        tag = tags[later]
        if later in used or tag.kind != opened.kind or tag.name != opened.name:
            continue
        if not tag.closing:
            depth += 1
        elif depth:
            depth -= 1
        else:
            return later
    return None


def _code_ranges(body: str, verse: bool) -> list[tuple[int, int]]:
    """Where code is: fenced blocks, indented blocks (not in verse, where indentation is verse) and code spans."""
    ranges = [match.span() for match in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(body)]
    if not verse:
        ranges += [match.span(1) for match in _INDENTED_CODE.finditer(body)]
    ranges += [match.span() for match in _CODE_SPAN.finditer(body) if not _inside(match.start(), ranges)]
    return ranges


def _inside(position: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in ranges)


def _alone(body: str, tag: _Tag) -> bool:
    """Whether a tag is the only thing on its line."""
    line_start = body.rfind("\n", 0, tag.start) + 1
    line_end = body.find("\n", tag.end)
    return not body[line_start : tag.start].strip() and not body[tag.end : len(body) if line_end < 0 else line_end].strip()


def _cut(body: str, cuts: list[tuple[int, int, str]]) -> str:
    """The body with each cut replaced; a line left holding only spaces becomes blank."""
    parts, position = [], 0
    for start, end, replacement in cuts:
        if start < position:
            continue
        parts += [body[position:start], replacement + "\n" * body.count("\n", start, end)]
        position = end
    parts.append(body[position:])
    lines = "".join(parts).split("\n")
    original = body.split("\n")
    return "\n".join("" if not line.strip() and index < len(original) and original[index].strip() else line for index, line in enumerate(lines))
