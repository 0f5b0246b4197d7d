"""ssg deploy: the built site committed to gh-pages with git plumbing and pushed, nothing else touched."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support import piece, read_tree

BASE = "https://user.github.io/anthology/"


@pytest.fixture(autouse=True)
def git_identity(monkeypatch):
    """A committer for the test repositories, whatever the machine's git config says."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Dreamer")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "dreamer@example.org")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(cwd: Path, *arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(make_site, tmp_path):
    """A site that is a git clone with a bare 'origin', its sources committed on main."""
    site = make_site(
        {
            "content/lake.md": piece("Lake of Glass", "2026-02-14", tags="[moonlight]"),
            "content/static/moon.png": bytes(range(64)),
            ".gitignore": "/output/\n",
        }
    )
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    git(site, "init", "--quiet", "--initial-branch=main")
    git(site, "add", "-A")
    git(site, "commit", "--quiet", "-m", "The anthology")
    git(site, "remote", "add", "origin", str(remote))
    return site, remote


def branch_files(repo_dir: Path, ref: str) -> dict[str, bytes]:
    names = git(repo_dir, "ls-tree", "-r", "--name-only", "-z", ref).split("\0")
    return {name: subprocess.run(["git", "show", f"{ref}:{name}"], cwd=repo_dir, check=True, capture_output=True).stdout for name in names if name}


def test_deploy_commits_the_output_to_gh_pages_and_pushes_it(repo, ssg):
    site, remote = repo
    head, index_before = git(site, "rev-parse", "HEAD"), (site / ".git/index").read_bytes()

    run = ssg("deploy", "-s", site, "-b", BASE)

    assert run.code == 0, run
    built = {name: data for name, data in read_tree(site / "output").items() if name != ".ssg-output"}
    assert branch_files(site, "gh-pages") == built
    assert ".nojekyll" in built and "feed.xml" in built and "lake/index.html" in built
    assert git(remote, "rev-parse", "gh-pages") == git(site, "rev-parse", "gh-pages")
    # the working tree, the index and the checked-out branch are as they were
    assert git(site, "rev-parse", "HEAD") == head and git(site, "branch", "--show-current") == "main"
    assert (site / ".git/index").read_bytes() == index_before
    assert git(site, "status", "--porcelain") == ""
    assert "gh-pages" in run.out and "origin" in run.out


def test_a_second_deploy_adds_a_commit_on_top_of_the_first(repo, ssg):
    site, remote = repo
    assert ssg("deploy", "-s", site, "-b", BASE).code == 0
    first = git(site, "rev-parse", "gh-pages")
    (site / "content/snow.md").write_text(piece("Snow Geese", "2026-03-01"), encoding="utf-8")

    assert ssg("deploy", "-s", site, "-b", BASE, "--message", "More snow").code == 0

    second = git(remote, "rev-parse", "gh-pages")
    assert second != first
    assert git(remote, "rev-parse", "gh-pages^") == first
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == "More snow"
    assert "snow/index.html" in branch_files(remote, "gh-pages")


def test_an_unchanged_site_makes_no_new_commit(repo, ssg):
    site, _ = repo
    assert ssg("deploy", "-s", site, "-b", BASE).code == 0
    first = git(site, "rev-parse", "gh-pages")
    run = ssg("deploy", "-s", site, "-b", BASE)
    assert run.code == 0 and git(site, "rev-parse", "gh-pages") == first
    assert "unchanged" in run.out


def test_no_push_leaves_the_remote_alone(repo, ssg):
    site, remote = repo
    run = ssg("deploy", "-s", site, "-b", BASE, "--no-push", "--branch", "pages")
    assert run.code == 0, run
    assert git(site, "rev-parse", "--verify", "pages")
    assert subprocess.run(["git", "rev-parse", "--verify", "--quiet", "pages"], cwd=remote).returncode != 0


def test_deploy_continues_from_the_remote_branch_of_a_fresh_clone(repo, ssg, tmp_path):
    site, remote = repo
    assert ssg("deploy", "-s", site, "-b", BASE).code == 0
    first = git(remote, "rev-parse", "gh-pages")
    git(site, "branch", "-D", "gh-pages")  # as in a fresh clone of main

    (site / "content/snow.md").write_text(piece("Snow Geese", "2026-03-01"), encoding="utf-8")
    assert ssg("deploy", "-s", site, "-b", BASE).code == 0
    assert git(remote, "rev-parse", "gh-pages^") == first


def test_deploy_outside_a_git_repository_is_an_error(make_site, ssg):
    site = make_site({"content/a.md": piece("A")})
    run = ssg("deploy", "-s", site)
    assert run.code == 1
    assert "not a git repository" in run.err and "hint:" in run.err


def test_a_rejected_push_is_an_error(repo, ssg, tmp_path):
    site, remote = repo
    # another machine deployed a history of its own
    other = tmp_path / "other"
    git(tmp_path, "init", "--quiet", "--initial-branch=gh-pages", str(other))
    (other / "index.html").write_text("someone else's site")
    git(other, "add", "-A")
    git(other, "commit", "--quiet", "-m", "Theirs")
    assert ssg("deploy", "-s", site, "-b", BASE, "--no-push").code == 0
    git(other, "push", "--quiet", str(remote), "gh-pages")

    run = ssg("deploy", "-s", site, "-b", BASE)
    assert run.code == 1
    assert "diverged" in run.err and "hint:" in run.err


def test_an_unknown_remote_is_an_error(repo, ssg):
    site, _ = repo
    run = ssg("deploy", "-s", site, "-b", BASE, "--remote", "upstream")
    assert run.code == 1 and "there is no git remote 'upstream'" in run.err


def test_a_push_the_remote_refuses_is_an_error(repo, ssg):
    site, remote = repo
    hook = remote / "hooks/pre-receive"
    hook.write_text("#!/bin/sh\necho 'pages are frozen today' >&2\nexit 1\n")
    hook.chmod(0o755)
    run = ssg("deploy", "-s", site, "-b", BASE)
    assert run.code == 1
    assert "git push failed" in run.err and "hint:" in run.err
    assert git(site, "rev-parse", "--verify", "gh-pages")  # committed locally; the next deploy pushes it
