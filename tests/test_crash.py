"""output/ is always a whole site (issue 10): builds killed at random, builds at once.

`ssg build` of a 2,000-piece corpus is killed with SIGKILL at random moments,
cold and after edits.  After each kill output/ must equal, byte for byte, a
clean build of the sources before or after it; the next complete build must
equal a clean one and leave nothing beside output/.  The moments random kills
almost never hit (the swap itself, a rebuild in place) are killed on purpose.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench.common import MAKE_CORPUS
from ssg import write
from ssg.config import load_config
from ssg.write import output_lock
from tests.support import piece, read_tree, wait_for

PIECES = 2000
SEED = 1010
"""Kill delays and plans come from this seed: a failure reproduces."""
KILLS = {"cold": 4, "edit": 16}
"""Builds to kill: cold ones (no cache) and rebuilds after edits, in an order from SEED."""
REFUSED = ("is writing this folder", "is keeping this folder up to date")

pytestmark = pytest.mark.browser  # the full gate: real processes killed mid-build, a 2,000-piece corpus


@dataclass
class Corpus:
    """A 2,000-piece site (in ssg's own theme) with two states of its sources and a clean build of each."""

    site: Path
    originals: dict[str, bytes]
    edited: dict[str, bytes | None]
    """State B: file name → bytes, None for a removed file."""
    clean: dict[str, dict[str, bytes]] = field(default_factory=dict)
    cold_seconds: float = float("inf")
    rebuild_seconds: float = 0.0

    def use(self, state: str) -> None:
        """Make the sources those of state A or B, touching only the files that differ."""
        for name, edited in self.edited.items():
            data = edited if state == "B" else self.originals.get(name)
            if data is None:
                (self.site / "content" / name).unlink(missing_ok=True)
            else:
                (self.site / "content" / name).write_bytes(data)

    def forget(self, *, output: bool = False) -> None:
        shutil.rmtree(self.site / ".ssg-cache", ignore_errors=True)
        if output:
            shutil.rmtree(self.site / "output", ignore_errors=True)

    def held(self) -> str | None:
        """Which clean build output/ equals: 'A', 'B', or None when there is none; fails when it is neither."""
        output = self.site / "output"
        if not output.exists():
            return None
        tree = read_tree(output)
        for state, clean in self.clean.items():
            if tree == clean:
                return state
        near = min(self.clean, key=lambda state: len(set(tree.items()) ^ set(self.clean[state].items())))
        differing = sorted(name for name in tree.keys() | self.clean[near].keys() if tree.get(name) != self.clean[near].get(name))
        raise AssertionError(f"output/ is not a whole site: {len(differing)} files differ from clean build {near}, such as {differing[:5]}")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    if not MAKE_CORPUS.is_file():
        pytest.skip(f"the corpus generator is missing: {MAKE_CORPUS} (set SSG_MAKE_CORPUS)")
    site = tmp_path_factory.mktemp("crash") / "site"
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(site / "content"), "--count", str(PIECES)], check=True, stdout=subprocess.DEVNULL)
    names = sorted(file.name for file in (site / "content").glob("*.md"))
    originals = {name: (site / "content" / name).read_bytes() for name in names}
    first, second, third = names[0], names[1], names[2]
    title = next(line for line in originals[second].splitlines() if line.startswith(b"title:"))
    edited: dict[str, bytes | None] = {
        first: originals[first] + b"\nAnd then the dream went on, one line longer.\n",
        second: originals[second].replace(title, b'title: "A Dream Retold"', 1),
        third: None,
        "99999-a-late-dream.md": piece("A Late Dream", date="2024-06-01", body="Written after the others.", tags="[mist]").encode(),
    }
    corpus = Corpus(site, originals, edited)
    for state in ("B", "A"):
        corpus.use(state)
        corpus.forget(output=True)
        started = time.monotonic()
        assert run_build(site).returncode == 0
        corpus.cold_seconds = min(corpus.cold_seconds, time.monotonic() - started)
        corpus.clean[state] = read_tree(site / "output")
    assert corpus.clean["A"] != corpus.clean["B"]
    return corpus


def test_a_killed_build_leaves_a_whole_site_and_the_next_build_equals_a_clean_one(corpus: Corpus) -> None:
    site, rng = corpus.site, random.Random(SEED)
    corpus.use("A")
    assert run_build(site).returncode == 0
    corpus.use("B")
    started = time.monotonic()
    assert run_build(site).returncode == 0  # a rebuild after edits, from A's build and cache
    corpus.rebuild_seconds = time.monotonic() - started
    held = corpus.held()
    assert held == "B"
    stages, to_kill, builds = Counter(), dict(KILLS), 0
    seconds = {"cold": corpus.cold_seconds, "edit": corpus.rebuild_seconds}
    """How long a build of each kind takes, kept up to date: other work slows this machine down and up."""
    # When to kill, as a fraction of a build's duration: one in each of `count` equal slices, in a random order.
    fractions = {kind: rng.sample([(i + rng.random()) / count for i in range(count)], count) for kind, count in KILLS.items()}
    while any(to_kill.values()) and builds < 2 * sum(KILLS.values()):
        kind = rng.choice(sorted(kind for kind, left in to_kill.items() if left))
        if kind == "cold":
            corpus.forget(output=to_kill[kind] == KILLS[kind])  # the first time with no output/ at all
            held = corpus.held()
        for _ in range(min(rng.randint(1, 3) if kind == "edit" else 2, to_kill[kind])):  # killed one after another, then one let finish
            builds += 1
            before, state = held, "B" if held == "A" else "A"  # sources unlike output/'s
            corpus.use(state)
            build = Started(site)
            fraction = fractions[kind].pop() if fractions[kind] else rng.random()
            finished = wait_or_kill(build, fraction * seconds[kind])
            held = corpus.held()
            assert held in (before, state), f"after a kill, output/ holds {held}, neither {before} nor {state}"
            stage = "finished first" if finished else "before staging" if held == before else "after the swap"
            if held == before and (site / ".output.ssg-new").exists():
                stage = "writing the staging folder"
            stages[f"{kind}: {stage}"] += 1
            to_kill[kind] -= not finished
            assert lock_is_free(site), "the render workers of the killed build hold the lock"
            kill_orphans(build)
        started = time.monotonic()
        assert run_build(site).returncode == 0
        seconds[kind] = (seconds[kind] + time.monotonic() - started) / 2
        held = corpus.held()
        assert held == state
        assert leftovers(site) == []
    print(f"\n{builds} builds, killed at random (a cold build {corpus.cold_seconds:.1f} s, a rebuild {corpus.rebuild_seconds:.1f} s): {dict(sorted(stages.items()))}")
    assert not any(to_kill.values()), f"too many builds finished before their kill: {dict(sorted(stages.items()))}"


def test_two_builds_at_once_into_one_folder_both_finish_or_one_refuses_clearly(corpus: Corpus) -> None:
    site = corpus.site
    state = "A" if corpus.held() == "B" else "B"
    corpus.use(state)
    both = [Started(site) for _ in range(2)]
    codes = [build.finish(timeout=120) for build in both]
    for code, build in zip(codes, both, strict=True):
        assert "Traceback" not in build.output()
        if code != 0:
            assert code == 1 and any(refused in build.output() for refused in REFUSED) and "\n  hint: " in build.output(), build.output()
    assert codes.count(0) >= 1
    assert corpus.held() == state
    assert leftovers(site) == []


def test_a_build_waits_for_another_build_then_refuses_clearly(make_site, ssg, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"content/mist.md": piece("Mist")})
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(site)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        monkeypatch.setattr(write, "WAIT_SECONDS", 1.0)
        run = ssg("build", "-s", site)
    finally:
        holder.communicate("")
    assert run.code == 1
    assert f"output: waiting for another ssg build (process {holder.pid}) writing this folder…" in run.err
    assert f"output: another ssg build (process {holder.pid}) is writing this folder, for over 1 s\n  hint: wait for it to finish" in run.err
    assert not (site / "output").exists()
    assert ssg("build", "-s", site).code == 0  # released with its process


def test_a_build_refuses_a_folder_that_ssg_watch_keeps(make_site, tmp_path: Path) -> None:
    site = make_site({"content/mist.md": piece("Mist")})
    log = tmp_path / "watch.log"
    with log.open("w") as handle:
        watch = subprocess.Popen([sys.executable, "-m", "ssg", "watch", "-s", str(site)], stdout=handle, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        wait_for(lambda: " built in " in log.read_text() or watch.poll() is not None, 30, "ssg watch's first build")
        assert watch.poll() is None, f"ssg watch stopped:\n{log.read_text()}"
        refused = run_build(site)
        assert refused.returncode == 1
        assert refused.stderr.startswith(f"output: ssg watch (process {watch.pid}) is keeping this folder up to date\n  hint: stop it")
        assert "Traceback" not in refused.stderr
    finally:
        watch.send_signal(signal.SIGINT)
        watch.wait(timeout=30)
    assert run_build(site).returncode == 0


def test_a_kill_just_after_the_swap_leaves_the_new_site(make_site) -> None:
    site = make_site({"content/mist.md": piece("Mist"), "content/dawn.md": piece("Dawn")})
    assert run_build(site).returncode == 0
    (site / "content" / "mist.md").write_text(piece("Mist, Lifting"))
    killed = run_build(site, patch=KILL_AFTER_EXCHANGE)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = read_tree(site / "output")
    assert assert_equals_clean_build(site) == left


def test_where_folders_cannot_be_exchanged_a_kill_between_the_renames_is_undone(make_site) -> None:
    site = make_site({"content/mist.md": piece("Mist"), "content/dawn.md": piece("Dawn")})
    assert run_build(site).returncode == 0
    old = read_tree(site / "output")
    (site / "content" / "mist.md").write_text(piece("Mist, Lifting"))
    killed = run_build(site, patch=KILL_BETWEEN_RENAMES)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not (site / "output").exists() and read_tree(site / ".output.ssg-old") == old
    with output_lock(load_config(site), "build"):
        assert read_tree(site / "output") == old
    assert_equals_clean_build(site)


def test_a_killed_rebuild_in_place_leaves_nothing_in_the_output(make_site) -> None:
    site = make_site({"content/mist.md": piece("Mist"), "content/dawn.md": piece("Dawn")})
    killed = subprocess.run([sys.executable, "-c", KILL_IN_PLACE, str(site)], capture_output=True, text=True, timeout=60)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (site / ".output.ssg-tmp").is_dir()
    assert [file for file in (site / "output").rglob("*") if "ssg-tmp" in file.name] == []
    assert_equals_clean_build(site)


HOLD_THE_LOCK = """
import sys
from pathlib import Path
from ssg.config import load_config
from ssg.write import output_lock
with output_lock(load_config(Path(sys.argv[1])), "build"):
    print("held", flush=True)
    sys.stdin.read()
"""

KILL_AFTER_EXCHANGE = """
exchange = write._exchange
def exchange_and_die(one, other):
    assert exchange(one, other), "this file system cannot exchange folders"
    os.kill(os.getpid(), signal.SIGKILL)
write._exchange = exchange_and_die
"""

KILL_BETWEEN_RENAMES = """
write._exchange = lambda one, other: False
rename = Path.rename
def rename_or_die(self, target):
    if self.name.endswith(".ssg-new"):
        os.kill(os.getpid(), signal.SIGKILL)
    return rename(self, target)
Path.rename = rename_or_die
"""

KILL_IN_PLACE = """
import os, signal, sys
from pathlib import Path
from ssg.build import Builder
from ssg.config import load_config
site = Path(sys.argv[1])
builder = Builder(load_config(site))
builder.build()
(site / "content" / "mist.md").write_text("---\\ntitle: Mist, Lifting\\ndate: 2026-01-01\\n---\\n\\nA dream.\\n")
def write_then_die(self, target):
    os.kill(os.getpid(), signal.SIGKILL)
Path.replace = write_then_die
builder.build(changed=[site / "content" / "mist.md"])
"""

BUILD_WITH_PATCH = """
import os, signal, sys
from pathlib import Path
from ssg import write
{patch}
from ssg.cli import main
sys.exit(main(["build", "-s", sys.argv[1]]))
"""


def run_build(site: Path, *, patch: str = "") -> subprocess.CompletedProcess[str]:
    """`ssg build` to its end, in its own process (with patch: with ssg.write patched first)."""
    command = [sys.executable, "-c", BUILD_WITH_PATCH.format(patch=patch), str(site)] if patch else build_command(site)
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


class Started:
    """A running `ssg build`, in a session of its own so that the workers it orphans can be ended.

    What it prints goes to a file: pipes would stay open in those workers.
    """

    def __init__(self, site: Path):
        self.log = site.parent / f"build-{time.monotonic_ns()}.log"
        with self.log.open("w") as handle:
            self.process = subprocess.Popen(build_command(site), stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)

    def finish(self, timeout: float) -> int:
        return self.process.wait(timeout)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def build_command(site: Path) -> list[str]:
    return [sys.executable, "-m", "ssg", "build", "-s", str(site)]


def wait_or_kill(build: Started, delay: float) -> bool:
    """SIGKILL the build (not its render workers, as the OOM killer would) after delay; whether it finished first."""
    try:
        code = build.finish(timeout=delay)
    except subprocess.TimeoutExpired:
        build.process.kill()
        build.process.wait()
        return False
    assert code == 0, build.output()
    return True


def lock_is_free(site: Path) -> bool:
    """Whether no process holds the output lock (its file may be left by a killed build)."""
    try:
        descriptor = os.open(site / ".output.ssg-lock", os.O_RDWR)
    except FileNotFoundError:
        return True
    try:
        fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return True


def kill_orphans(build: Started) -> None:
    """End the render workers a killed build left behind (they wait forever for work)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(build.process.pid, signal.SIGKILL)


def leftovers(site: Path) -> list[str]:
    """What ssg keeps beside output/ while writing it: nothing once a build is done."""
    return sorted(path.name for path in site.iterdir() if path.name.startswith(".output."))


def assert_equals_clean_build(site: Path) -> dict[str, bytes]:
    """The next build equals a clean one, and leaves nothing beside output/; returns it."""
    assert run_build(site).returncode == 0
    built = read_tree(site / "output")
    assert leftovers(site) == []
    shutil.rmtree(site / "output")
    shutil.rmtree(site / ".ssg-cache", ignore_errors=True)
    assert run_build(site).returncode == 0
    assert read_tree(site / "output") == built
    return built
