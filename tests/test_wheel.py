"""The wheel carries the theme, its type marker and its licence: installed (not editable) in a fresh environment, `ssg init` and `ssg build` make a styled site."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.support import REPO, soup

pytestmark = pytest.mark.browser  # the full gate: builds a wheel and installs it in a fresh venv


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    return done


def test_the_wheel_installed_in_a_fresh_venv_makes_a_styled_site(tmp_path):
    source = tmp_path / "source"  # a copy: building in the checkout would write build/ into it
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source)
    shutil.copytree(REPO / "ssg", source / "ssg", ignore=shutil.ignore_patterns("__pycache__"))
    run(sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--quiet", "--wheel-dir", tmp_path / "dist", cwd=source)
    [wheel] = (tmp_path / "dist").glob("ssg-*.whl")
    dist_info = wheel.name.split("-py3-")[0] + ".dist-info"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        licence = archive.read(f"{dist_info}/licenses/LICENSE")
        metadata = archive.read(f"{dist_info}/METADATA").decode().splitlines()
    theme = sorted(file.relative_to(REPO).as_posix() for file in (REPO / "ssg/theme").rglob("*") if file.is_file())
    assert sorted(name for name in names if name.startswith("ssg/theme/")) == theme
    assert "ssg/starter/settings.toml" in names and "ssg/reload.js" in names
    assert "ssg/py.typed" in names  # PEP 561: type checkers read ssg's annotations
    assert licence == (REPO / "LICENSE").read_bytes()
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python, ssg = venv / "bin/python", venv / "bin/ssg"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", wheel, cwd=tmp_path)
    # The libraries come from this environment, without downloads; a path in a .pth file is not
    # itself searched for .pth files, so the checkout's editable ssg stays out.
    [site_packages] = (venv / "lib").glob("python3*/site-packages")
    (site_packages / "libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    imported = run(python, "-c", "import ssg; print(ssg.__file__)", cwd=tmp_path).stdout.strip()
    assert Path(imported).is_relative_to(venv), imported

    run(ssg, "init", "my-anthology", cwd=tmp_path)
    run(ssg, "build", cwd=tmp_path / "my-anthology")
    output = tmp_path / "my-anthology/output"
    page = soup(output / "the-fog-library/index.html")
    assert [link["href"] for link in page.select('link[rel="stylesheet"]')] == ["/assets/style.css"]
    assert page.body["data-mood"] == "mist"
    stylesheet = output / "assets/style.css"
    assert stylesheet.stat().st_size > 10_000 and b"data-mood" in stylesheet.read_bytes()
