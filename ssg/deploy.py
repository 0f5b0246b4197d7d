"""``ssg deploy``: commit a built site to a ``gh-pages`` branch and push it.

For sites that GitHub Pages serves from a branch (like ``mkdocs gh-deploy``
or ghp-import).  The commit is made with git's plumbing, so the working
tree, the real index and the checked-out branch are never touched:

1. every file of the output is written to git's object store
   (``git hash-object -w --stdin-paths``) and listed in a temporary index
   (``GIT_INDEX_FILE``, ``git update-index --index-info``), which becomes a
   tree (``git write-tree``);
2. the tree is committed on top of the branch's previous commit
   (``git commit-tree -p``), so the branch keeps its history, and the branch
   is moved to it (``git update-ref``, refusing if it moved meanwhile);
3. the branch is pushed to the remote, never forced.

When the remote's branch is ahead of the local one (a fresh clone, another
machine deployed), the new commit goes on top of the remote's.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ssg import __version__
from ssg.errors import SiteError
from ssg.write import MARKER


@dataclass(frozen=True)
class Deployment:
    """What a deploy did."""

    branch: str
    commit: str
    parent: str | None
    changed: bool
    """False when the site is the same as the branch's last commit (no new commit was made)."""
    files: int
    pushed_to: str | None


def publish(output_dir: Path, repo_dir: Path, *, branch: str = "gh-pages", remote: str = "origin", message: str | None = None, push: bool = True) -> Deployment:
    """Commit the site built in output_dir to branch of the repository at repo_dir, then push it."""
    git = preflight(repo_dir, branch=branch, remote=remote, push=push)
    if not (output_dir / MARKER).is_file():
        raise SiteError.at(str(output_dir), None, "the output folder was not built by ssg", "build it first with ssg build")
    local = git.commit_of(f"refs/heads/{branch}")
    parent = _parent(git, branch, remote, local) if push else local

    names = sorted(f.relative_to(output_dir).as_posix() for f in output_dir.rglob("*") if f.is_file() and f.name != MARKER)
    tree = _tree(git, output_dir, names)
    changed = parent is None or git.out("rev-parse", f"{parent}^{{tree}}") != tree
    if parent is not None and not changed:
        commit = parent
    else:
        arguments = ["commit-tree", tree, "-m", message or _default_message(git)]
        if parent:
            arguments[2:2] = ["-p", parent]
        commit = git.out(*arguments, hint="tell git who you are: git config user.name 'Your Name' && git config user.email you@example.org")
    if commit != local:
        git.out("update-ref", "-m", f"ssg deploy: {message or 'deploy'}", f"refs/heads/{branch}", commit, local or "")
    if push:
        git.out("push", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{branch}", hint=f"the push to '{remote}' failed; if it was rejected, someone deployed meanwhile: run ssg deploy again")
    return Deployment(branch, commit, parent, changed, len(names), remote if push else None)


def preflight(repo_dir: Path, *, branch: str, remote: str, push: bool) -> _Git:
    """Fail early, before a build, on what would stop a deploy: no repository, a bad branch, no remote."""
    git = _Git(repo_dir)
    git.check_repository()
    if git.run("check-ref-format", "--branch", branch, check=False).returncode != 0:
        raise SiteError.at(branch, None, f"'{branch}' is not a valid branch name", "use a name such as gh-pages")
    if push and git.run("remote", "get-url", remote, check=False).returncode != 0:
        raise SiteError.at(remote, None, f"there is no git remote '{remote}'", "add it (git remote add origin URL), name another with --remote, or use --no-push")
    return git


def _parent(git: _Git, branch: str, remote: str, local: str | None) -> str | None:
    """The commit to build on: the local branch, or the remote's when that is ahead."""
    listed = git.run("ls-remote", "--exit-code", "--heads", remote, f"refs/heads/{branch}", check=False)
    if listed.returncode == 2:
        return local  # the remote has no such branch yet
    if listed.returncode != 0:
        raise SiteError.at(remote, None, f"cannot reach the git remote '{remote}': {_gist(listed.stderr)}", "check the remote's URL and your access, or use --no-push")
    tracking = f"refs/remotes/{remote}/{branch}"
    git.out("fetch", "--quiet", remote, f"+refs/heads/{branch}:{tracking}")
    theirs = git.commit_of(tracking)
    if local is None or theirs is None or local == theirs or git.is_ancestor(theirs, local):
        return local or theirs
    if git.is_ancestor(local, theirs):
        return theirs
    raise SiteError.at(branch, None, f"the local branch '{branch}' and '{remote}/{branch}' have diverged", f"continue from the remote's: git branch -f {branch} {remote}/{branch}, then deploy again")


def _tree(git: _Git, output_dir: Path, names: list[str]) -> str:
    """A git tree of the output's files, built in a temporary index."""
    hashes = git.out("hash-object", "-w", "--stdin-paths", input="".join(f"{output_dir / name}\n" for name in names)).split()
    with tempfile.TemporaryDirectory(prefix="ssg-deploy-") as scratch:
        index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        entries = "".join(f"{'100755' if os.access(output_dir / name, os.X_OK) else '100644'} {sha}\t{name}\0" for name, sha in zip(names, hashes, strict=True))
        git.out("update-index", "-z", "--add", "--index-info", input=entries, env=index)
        return git.out("write-tree", env=index)


def _default_message(git: _Git) -> str:
    head = git.run("rev-parse", "--short", "HEAD", check=False)
    source = f" from {head.stdout.strip()}" if head.returncode == 0 else ""
    return f"Deploy the site{source} with ssg {__version__}"


def _gist(stderr: str) -> str:
    """git's own words, shortened: its last three lines that are not hints (a remote's reason is among them)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip() and not line.startswith("hint:")]
    return "; ".join(lines[-3:]) if lines else "no message"


class _Git:
    """git commands run in one repository, their failures as SiteErrors."""

    def __init__(self, repo_dir: Path):
        self.repo_dir = repo_dir

    def run(self, *arguments: str, input: str | None = None, env: dict[str, str] | None = None, check: bool = True, hint: str | None = None) -> subprocess.CompletedProcess[str]:
        try:
            done = subprocess.run(
                ["git", *arguments],
                cwd=self.repo_dir,
                input=input,
                capture_output=True,
                text=True,
                env={**os.environ, **(env or {})},
            )
        except FileNotFoundError:
            raise SiteError.at("git", None, "git is not installed", "install git, then deploy again") from None
        if check and done.returncode != 0:
            raise SiteError.at(str(self.repo_dir), None, f"git {arguments[0]} failed: {_gist(done.stderr)}", hint)
        return done

    def out(self, *arguments: str, **options) -> str:
        return self.run(*arguments, **options).stdout.strip()

    def check_repository(self) -> None:
        if self.run("rev-parse", "--git-dir", check=False).returncode != 0:
            raise SiteError.at(str(self.repo_dir), None, "not a git repository", "run ssg deploy in a clone of the site's repository (or git init one)")

    def commit_of(self, ref: str) -> str | None:
        done = self.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    def is_ancestor(self, older: str, newer: str) -> bool:
        return self.run("merge-base", "--is-ancestor", older, newer, check=False).returncode == 0
