"""The command line: options, help, version and exit codes."""

from __future__ import annotations

from ssg import __version__


def test_version(ssg):
    run = ssg("--version")
    assert run.code == 0 and run.out.strip() == f"ssg {__version__}"


def test_help_explains_every_build_option(ssg):
    run = ssg("build", "--help")
    assert run.code == 0
    for option in ("--source", "-s", "--output", "-o", "--base-url", "-b", "--drafts", "--future", "--quiet", "--debug"):
        assert option in run.out


def test_usage_error_exits_2(ssg):
    assert ssg("build", "--no-such-option").code == 2
    assert ssg().code == 2


def test_missing_site_folder_is_a_usage_error(ssg, tmp_path):
    run = ssg("build", "-s", tmp_path / "nowhere")
    assert run.code == 2 and "does not exist" in run.err


def test_quiet_prints_nothing_on_success(make_site, ssg):
    from tests.support import piece

    site = make_site({"content/a.md": piece("A")})
    run = ssg("build", "-s", site, "-q")
    assert run.code == 0 and run.out == "" and run.err == ""


def test_debug_shows_a_traceback_and_plain_runs_do_not(make_site, ssg):
    site = make_site({"content/a.md": "---\ndate: 2026-01-01\n---\n"})
    plain = ssg("build", "-s", site)
    assert plain.code == 1 and "Traceback" not in plain.err
    debug = ssg("build", "-s", site, "--debug")
    assert debug.code == 1 and "Traceback" in debug.err


def test_progress_shows_counts_and_time_left_on_one_line():
    import io

    from ssg.cli import ProgressLine

    stream = io.StringIO()
    progress = ProgressLine(stream)
    progress("loaded", 5, 10)
    progress("loaded", 10, 10)
    shown = stream.getvalue()
    assert shown.startswith("\r\033[K") and "loaded 5/10 (50%)" in shown and "s left" in shown
    assert "loaded 10/10 (100%)" in shown
    progress.clear()
    assert stream.getvalue().endswith("\r\033[K")


def test_no_progress_when_not_a_terminal(make_site, ssg):
    from tests.support import piece

    site = make_site({f"content/p{n}.md": piece(f"P{n}", f"2026-01-0{n + 1}") for n in range(5)})
    run = ssg("build", "-s", site)
    assert run.code == 0 and "\r" not in run.err and "left" not in run.err
