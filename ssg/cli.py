"""The ``ssg`` command: parse options, run a stage, report in words.

A SiteError is printed as ``path:line: message`` with a hint and exits 1;
a usage error exits 2; a traceback is shown only with --debug.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
import traceback
from contextlib import nullcontext
from pathlib import Path

from ssg import __version__
from ssg.build import build
from ssg.check import check_site
from ssg.config import load_config
from ssg.deploy import preflight, publish
from ssg.errors import SiteError
from ssg.report import print_problems, print_warnings, rebuild_line
from ssg.write import output_lock

EXIT_OK, EXIT_SITE_ERROR, EXIT_USAGE = 0, 1, 2
NOTHING_WRITTEN = "nothing was written"
"""What a failed init, new or theme copy did: each checks every file before writing one."""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ssg",
        description="Build a poetic anthology of dreams from Markdown pieces into a static site.",
    )
    parser.add_argument("--version", action="version", version=f"ssg {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    init_parser = commands.add_parser(
        "init",
        help="make a new anthology, with sample pieces",
        description="Make a new anthology in DIR: pyproject.toml with its settings, content/ with three sample pieces, a .gitignore and a GitHub Pages workflow. Never writes over a file.",
    )
    init_parser.add_argument("directory", metavar="DIR", nargs="?", type=Path, help="the folder to make it in (default: the current folder, which must be empty)")
    init_parser.set_defaults(run=run_init, source=Path("."), debug=False, on_failure=NOTHING_WRITTEN)

    new_parser = commands.add_parser(
        "new",
        help="start a new piece in content/",
        description="Write content/<slug>.md with front matter (the title, today's date, the tags) and print its path. Never writes over a file.",
    )
    new_parser.add_argument("title", help='the title of the piece, e.g. "Lake of Glass"')
    new_parser.add_argument("--verse", action="store_true", help="a poem: form: verse keeps every line as written")
    new_parser.add_argument("--tags", metavar="TAGS", default="", help="tags, separated by commas, e.g. mist,dawn")
    new_parser.add_argument("--draft", action="store_true", help="draft: true, left out of ssg build until you remove it")
    add_site_options(new_parser)
    new_parser.set_defaults(run=run_new, on_failure=NOTHING_WRITTEN)

    theme_parser = commands.add_parser(
        "theme",
        help="list the theme's files, or copy some into layouts/ to change them",
        description="The theme ships inside ssg. A file of the same name in the site's layouts/ replaces one of its files; a layout can extend or include the theme's own as theme/<name>.",
    )
    theme_commands = theme_parser.add_subparsers(dest="theme_command", metavar="COMMAND")
    theme_commands.required = True
    theme_list = theme_commands.add_parser("list", help="list the theme's layouts and assets", description="List the theme's layouts and assets, marking those the site's layouts/ replaces.")
    add_site_options(theme_list)
    theme_list.set_defaults(run=run_theme_list, on_failure="nothing was listed")
    theme_copy = theme_commands.add_parser(
        "copy", help="copy theme files into layouts/ for editing", description="Copy files of the theme into the site's layouts/, where they replace the theme's. Never writes over a file."
    )
    theme_copy.add_argument("names", metavar="NAME", nargs="+", help="a file as `ssg theme list` names it, e.g. piece.html or assets/style.css")
    add_site_options(theme_copy)
    theme_copy.set_defaults(run=run_theme_copy, on_failure=NOTHING_WRITTEN)

    build_parser = commands.add_parser(
        "build",
        help="build the site into the output folder",
        description="Build the site: the pieces of content/ into output/, drawn by ssg's theme; a file in layouts/ replaces the theme's "
        "file of that name (`ssg theme list` names them), and layouts/assets/custom.css is added after its stylesheet. "
        "The output folder is replaced as a whole, and left untouched when the build fails.",
    )
    add_site_options(build_parser)
    add_output_options(build_parser)
    build_parser.add_argument("--drafts", action="store_true", help="include pieces marked draft: true")
    build_parser.add_argument("--future", action="store_true", help="include pieces dated in the future")
    build_parser.add_argument("--no-strict", dest="strict", action="store_false", help="report a broken link in a piece as a warning instead of failing the build")
    add_edition_options(build_parser)
    build_parser.set_defaults(run=run_build)

    check_parser = commands.add_parser(
        "check",
        help="check every link of the built site",
        description="Check every link of the built site the way GitHub Pages serves it under the base URL: "
        "hrefs, srcs, srcsets and #fragments of every page, feed and sitemap. External links are listed, not fetched, unless --external.",
    )
    add_site_options(check_parser)
    add_output_options(check_parser, output="the built site", base_url="the URL the site was built for")
    check_parser.add_argument("--external", action="store_true", help="also fetch every external link (needs the network)")
    check_parser.add_argument("-v", "--verbose", action="store_true", help="list every external link")
    check_parser.set_defaults(run=run_check)

    deploy_parser = commands.add_parser(
        "deploy",
        help="build the site and publish it on a gh-pages branch",
        description="Build the site, check its links, commit it to a branch (gh-pages) on top of that branch's history, and push it. "
        "The working tree, the index and the checked-out branch are not touched.",
    )
    add_site_options(deploy_parser)
    add_output_options(deploy_parser)
    deploy_parser.add_argument("--remote", default="origin", help="the git remote to push to (default: origin)")
    deploy_parser.add_argument("--branch", default="gh-pages", help="the branch to commit the site to (default: gh-pages)")
    deploy_parser.add_argument("-m", "--message", metavar="MSG", help="the commit message (default: names the commit of the sources)")
    deploy_parser.add_argument("--no-push", dest="push", action="store_false", help="commit to the branch but do not push it")
    deploy_parser.set_defaults(run=run_deploy)

    serve_parser = commands.add_parser(
        "serve",
        help="preview the site with live reload while you write",
        description="Build the site with drafts and scheduled pieces into a private folder, serve it under the path of base_url, "
        "and rebuild it and reload the browser on every change. Errors show in the terminal and over the page until fixed.",
    )
    serve_parser.add_argument("-s", "--source", metavar="DIR", type=Path, default=Path("."), help="the site folder (default: the current folder)")
    serve_parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1, this machine only)")
    serve_parser.add_argument("-p", "--port", type=int, default=8000, help="the port; the next free one is taken if it is busy (default: 8000)")
    serve_parser.add_argument("--no-drafts", dest="drafts", action="store_false", help="leave out drafts and scheduled pieces, as ssg build does")
    serve_parser.add_argument("--open", dest="open_browser", action="store_true", help="open the site in a browser")
    serve_parser.add_argument("--debug", action="store_true", help="show a full traceback on errors")
    add_edition_options(serve_parser)
    serve_parser.set_defaults(run=run_serve)

    watch_parser = commands.add_parser(
        "watch",
        help="rebuild the site into the output folder on every change",
        description="Build the site, then rebuild it on every change, writing only the files that changed "
        "(for serving output/ with another server). Drafts and scheduled pieces are included unless --no-drafts.",
    )
    add_site_options(watch_parser)
    watch_parser.add_argument("-o", "--output", metavar="DIR", type=Path, help="build into DIR (default: output_dir of the settings, else 'output')")
    watch_parser.add_argument("--no-drafts", dest="drafts", action="store_false", help="leave out drafts and scheduled pieces")
    watch_parser.set_defaults(run=run_watch)

    import_parser = commands.add_parser(
        "import-config",
        help="print [tool.ssg] settings converted from a Hugo or Jekyll configuration",
        description="Print the settings of a Hugo or Jekyll configuration as a [tool.ssg] block to paste into pyproject.toml, "
        "with a '# not converted:' comment for each setting ssg has no counterpart for. Writes no file.",
    )
    import_parser.add_argument("file", metavar="FILE", type=Path, help="config.toml, hugo.toml, hugo.yaml or hugo.json (Hugo), or _config.yml (Jekyll)")
    import_parser.set_defaults(run=run_import_config, source=Path("."), debug=False, on_failure="nothing was converted")
    return parser


def add_site_options(parser: argparse.ArgumentParser) -> None:
    """Options every command that reads a site takes."""
    parser.add_argument("-s", "--source", metavar="DIR", type=Path, default=Path("."), help="the site folder, holding pyproject.toml and content/ (default: the current folder)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    parser.add_argument("--debug", action="store_true", help="show a full traceback on errors")


def add_output_options(parser: argparse.ArgumentParser, *, output: str = "build into DIR", base_url: str = "publish under URL, e.g. https://user.github.io/anthology/") -> None:
    """-o and -b, which win over output_dir and base_url of the settings."""
    parser.add_argument("-o", "--output", metavar="DIR", type=Path, help=f"{output} (default: output_dir of the settings, else 'output')")
    parser.add_argument("-b", "--base-url", metavar="URL", help=f"{base_url} (default: base_url of the settings, else '/')")


def add_edition_options(parser: argparse.ArgumentParser) -> None:
    """--epub and --pdf, which make the editions whatever the settings say."""
    parser.add_argument("--epub", action="append_const", dest="editions", const="epub", default=[], help="also make the EPUB edition, <slug of the title>.epub (as epub = true in the settings)")
    parser.add_argument("--pdf", action="append_const", dest="editions", const="pdf", help="also make the print-ready PDF, <slug of the title>.pdf (as pdf = true; needs pip install 'ssg[print]')")


def config_from(args: argparse.Namespace):
    """The site's settings, with the command line's -o, -b, --epub and --pdf winning."""
    return load_config(args.source, output_dir=args.output and args.output.resolve(), base_url=args.base_url, editions=getattr(args, "editions", ()))


def run_build(args: argparse.Namespace) -> int:
    config = config_from(args)
    progress = None if args.quiet or not sys.stderr.isatty() else ProgressLine(sys.stderr)
    try:
        with output_lock(config, "build", on_wait=print_waiting):
            report = build(config, drafts=args.drafts, future=args.future, strict=args.strict, cache=True, progress=progress)
    finally:
        if progress:
            progress.clear()
    print_warnings(report.warnings)
    if not args.quiet:
        print(f"Built {report.pages} pages ({report.files} files) from {report.pieces} pieces and {report.tags} tags into {config.relative(config.output_dir)}/ in {report.seconds:.2f} s")
        for out_file in report.editions:
            if out_file.endswith((".epub", ".pdf")):
                print(f"Made {config.relative(config.output_dir / out_file)} ({(config.output_dir / out_file).stat().st_size / 1024:,.0f} KB)")
    return EXIT_OK


def run_init(args: argparse.Namespace) -> int:
    from ssg.scaffold import STARTER_FILES, init_site

    site_dir = args.directory or Path(".")
    started = init_site(site_dir.resolve(), here=args.directory is None)
    shown = site_dir.as_posix()
    print(f"Made a new anthology in {shown}/:" if args.directory else "Made a new anthology in the current folder:")
    for name in STARTER_FILES:
        print(f"  {name}")
    print("Preview it with:" if args.directory is None else "Preview it with:\n  cd " + shlex.quote(shown))
    print("  ssg serve")
    if not started.requirement_known:
        print("Before publishing on GitHub Pages: ssg is not on PyPI, so set the line `pip install` of .github/workflows/pages.yml to where your ssg comes from (its comment shows how).")
    return EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    from ssg.scaffold import new_piece

    tags = tuple(tag.strip() for tag in args.tags.split(",") if tag.strip())
    piece_file = new_piece(load_config(args.source), args.title, verse=args.verse, tags=tags, draft=args.draft)
    print(Path(os.path.relpath(piece_file)).as_posix())
    return EXIT_OK


def run_theme_list(args: argparse.Namespace) -> int:
    from ssg.scaffold import theme_files

    config = load_config(args.source)
    for file in theme_files(config):
        print(f"{file.name}  (replaced by {config.relative(config.layouts_dir / file.name)})" if file.overridden else file.name)
    if not args.quiet:
        print("A file of the same name in layouts/ replaces the theme's; `ssg theme copy NAME` copies one there to edit.", file=sys.stderr)
    return EXIT_OK


def run_theme_copy(args: argparse.Namespace) -> int:
    from ssg.scaffold import copy_theme_files

    config = load_config(args.source)
    for copied in copy_theme_files(config, args.names):
        if not args.quiet:
            print(f"Copied {config.relative(copied)}")
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    config = config_from(args)
    report = check_site(config.output_dir, config.base_url, external=args.external)
    for broken in report.broken:
        print(broken)
    if args.verbose:
        for url in report.external:
            print(f"external: {url}")
    if not args.quiet:
        fetched = "fetched" if report.fetched else "not fetched (--external fetches them)"
        print(
            f"Checked {report.links} links in {report.files} files of {config.relative(config.output_dir)}/ under {config.base_url}: "
            f"{len(report.broken)} broken; {len(report.external)} external links {fetched}"
        )
    if report.broken:
        print(f"ssg: {len(report.broken)} broken link{'s' if len(report.broken) != 1 else ''}", file=sys.stderr)
        outside = sum(1 for broken in report.broken if broken.reason.startswith("outside the site's base path"))
        if outside * 2 > len(report.broken):
            print("  hint: most links leave the base path: was the site built for another URL? Pass the same -b to ssg build and ssg check", file=sys.stderr)
        return EXIT_SITE_ERROR
    return EXIT_OK


def run_deploy(args: argparse.Namespace) -> int:
    config = config_from(args)
    preflight(config.site_dir, branch=args.branch, remote=args.remote, push=args.push)
    with output_lock(config, "deploy", on_wait=print_waiting):  # the site published is the one just built
        report = build(config)
        print_warnings(report.warnings)
        checked = check_site(config.output_dir, config.base_url)
        if checked.broken:
            for broken in checked.broken:
                print(broken)
            print(f"ssg: {len(checked.broken)} broken links in the built site; nothing was deployed", file=sys.stderr)
            return EXIT_SITE_ERROR
        done = publish(config.output_dir, config.site_dir, branch=args.branch, remote=args.remote, message=args.message, push=args.push)
    if not args.quiet:
        if done.changed:
            on_top = f"on top of {done.parent[:7]}" if done.parent else "its first commit"
            print(f"Committed {done.files} files to {done.branch} as {done.commit[:7]} ({on_top})")
        else:
            print(f"The site is unchanged: {done.branch} stays at {done.commit[:7]}")
        print(f"Pushed {done.branch} to {done.pushed_to}" if done.pushed_to else f"Not pushed (--no-push): git push {args.remote} {done.branch} publishes it")
    return EXIT_OK


def run_import_config(args: argparse.Namespace) -> int:
    from ssg.importconfig import convert

    print(convert(args.file), end="")
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    from ssg.serve import serve

    return serve(args.source, host=args.host, port=args.port, drafts=args.drafts, open_browser=args.open_browser, editions=tuple(args.editions))


def run_watch(args: argparse.Namespace) -> int:
    from ssg.watch import SiteWatcher

    def on_build(report, error, seconds):
        if error is not None:
            print_problems(error, failed_build=False)
        else:
            print_warnings(report.warnings)
            if not args.quiet:
                print(rebuild_line(report, seconds), flush=True)

    output_dir = args.output and args.output.resolve()
    watcher = SiteWatcher(args.source, on_build, output_dir=output_dir, drafts=args.drafts)
    try:
        config = load_config(args.source, output_dir=output_dir)
    except SiteError:
        config = None  # the first build reports it; the watcher waits for the fix
    # Held while watching: a build in between would leave the watcher's idea of output/ wrong.
    with output_lock(config, "watch", on_wait=print_waiting) if config else nullcontext():
        if not args.quiet:
            print(f"Watching {args.source.resolve()} (Ctrl-C to stop)", flush=True)
        try:
            watcher.run()
        except KeyboardInterrupt:
            watcher.stop()
    return EXIT_OK


class ProgressLine:
    """Pieces loaded and pages rendered, with an estimate of the time left, on one terminal line."""

    def __init__(self, stream):
        self.stream = stream
        self.started = time.monotonic()
        self.stage_started: dict[str, float] = {}
        self.shown_at = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        began = self.stage_started.setdefault(stage, now)
        if now - self.shown_at < 0.1 and done < total:
            return
        self.shown_at = now
        left = (now - began) / done * (total - done) if done else 0
        self.stream.write(f"\r\033[K{stage} {done:,}/{total:,} ({done * 100 // max(total, 1)}%), about {left:.0f} s left")
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\033[K")
        self.stream.flush()


def print_waiting(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if not args.source.is_dir():
        print(f"ssg: error: the site folder '{args.source}' does not exist\n  hint: pass the folder holding pyproject.toml and content/ with --source", file=sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except SiteError as error:
        if args.debug:
            traceback.print_exc()
        print_problems(error, what=getattr(args, "on_failure", None))
        return EXIT_SITE_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if args.debug:
            raise
        print(f"ssg: internal error: {error.__class__.__name__}: {error}\n  hint: run again with --debug and report the traceback", file=sys.stderr)
        return EXIT_SITE_ERROR
