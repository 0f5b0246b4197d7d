"""The ``ssg`` command: parse options, run a stage, report in words.

A SiteError is printed as ``path:line: message`` with a hint and exits 1;
a usage error exits 2; a traceback is shown only with --debug.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from ssg import __version__
from ssg.build import build
from ssg.config import load_config
from ssg.errors import Problem, SiteError

EXIT_OK, EXIT_SITE_ERROR, EXIT_USAGE = 0, 1, 2


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ssg",
        description="Build a poetic anthology of dreams from Markdown pieces into a static site.",
    )
    parser.add_argument("--version", action="version", version=f"ssg {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    build_parser = commands.add_parser(
        "build",
        help="build the site into the output folder",
        description="Build the site: content/ and layouts/ into output/. The output folder is replaced as a whole, and left untouched when the build fails.",
    )
    add_site_options(build_parser)
    build_parser.add_argument("-o", "--output", metavar="DIR", type=Path, help="build into DIR (default: output_dir of the settings, else 'output')")
    build_parser.add_argument("-b", "--base-url", metavar="URL", help="publish under URL, e.g. https://user.github.io/anthology/ (default: base_url of the settings, else '/')")
    build_parser.add_argument("--drafts", action="store_true", help="include pieces marked draft: true")
    build_parser.add_argument("--future", action="store_true", help="include pieces dated in the future")
    build_parser.set_defaults(run=run_build)
    return parser


def add_site_options(parser: argparse.ArgumentParser) -> None:
    """Options every command that reads a site takes."""
    parser.add_argument("-s", "--source", metavar="DIR", type=Path, default=Path("."), help="the site folder, holding pyproject.toml and content/ (default: the current folder)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    parser.add_argument("--debug", action="store_true", help="show a full traceback on errors")


def run_build(args: argparse.Namespace) -> int:
    config = load_config(args.source, output_dir=args.output and args.output.resolve(), base_url=args.base_url)
    report = build(config, drafts=args.drafts, future=args.future)
    print_warnings(report.warnings)
    if not args.quiet:
        print(
            f"Built {report.pages} pages ({report.files} files) from {report.pieces} pieces and "
            f"{report.tags} tags into {config.relative(config.output_dir)}/ in {report.seconds:.2f} s"
        )
    return EXIT_OK


def print_warnings(warnings: tuple[Problem, ...]) -> None:
    for warning in warnings:
        print(warning.format("warning: "), file=sys.stderr)


def print_problems(error: SiteError) -> None:
    for problem in error.problems:
        print(problem.format(), file=sys.stderr)
    count = len(error.problems)
    print(f"ssg: failed with {count} problem{'s' if count != 1 else ''}; the output folder was left as it was.", file=sys.stderr)


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
        print_problems(error)
        return EXIT_SITE_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if args.debug:
            raise
        print(f"ssg: internal error: {error.__class__.__name__}: {error}\n  hint: run again with --debug and report the traceback", file=sys.stderr)
        return EXIT_SITE_ERROR
