"""lessonkit installed from its wheel, away from the repository, builds a lesson (issue 11).

The wheel is built from a copy of the repository's files (nothing is written into the clone) and
installed with ``--no-deps`` into a fresh virtual environment in a temporary folder; that environment
sees the dependencies already installed for the tests through a ``.pth`` file, so nothing is fetched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, Project

NEEDED = (  # one file of each kind the build reads from the layouts
    "lessonkit/_layouts/pptx/template.pptx",
    "lessonkit/_layouts/labels/en.yaml",
    "lessonkit/_layouts/labels/fr.yaml",
    "lessonkit/_layouts/pdf/macros.html.j2",
    "lessonkit/_layouts/icons/globe.svg",
    "lessonkit/render/pdf.py",
    "lessonkit/__main__.py",
)


def _run(command: list, cwd: Path) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=environment, timeout=600)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for folder in ("lessonkit", "layouts"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
    result = _run([*command, "--wheel-dir", str(dist), str(source)], source)
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = dist.glob("lessonkit-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory) -> Path:
    """A fresh virtual environment holding the wheel; the tests' own dependencies are reused."""
    environment = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(environment)
    python = environment / "bin" / "python"
    site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], ROOT).stdout.strip()
    )
    # after the environment's own packages: the dependencies, never the clone's editable lessonkit
    (site / "zz-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)]
    result = _run(command, environment)
    assert result.returncode == 0, result.stdout + result.stderr
    return environment / "bin"


def test_the_wheel_carries_everything_the_build_reads(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(NEEDED) <= names, set(NEEDED) - names
    shipped = {
        path.relative_to(ROOT / "layouts").as_posix() for path in (ROOT / "layouts").rglob("*") if path.is_file()
    }
    packaged = {name.removeprefix("lessonkit/_layouts/") for name in names if name.startswith("lessonkit/_layouts/")}
    assert shipped <= packaged, shipped - packaged
    web_data = {  # the browser app's pages, scripts and styles (lessonkit serve works offline)
        path.relative_to(ROOT).as_posix()
        for folder in ("templates", "static")
        for path in (ROOT / "lessonkit" / "web" / folder).rglob("*")
        if path.is_file()
    }
    assert web_data and web_data <= names, web_data - names
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "lessonkit = lessonkit.cli:main" in entry_points and "make-docs = lessonkit.cli:main" in entry_points


def test_the_installed_command_builds_a_lesson_in_any_folder(installed: Path, tmp_path: Path):
    project = Project(tmp_path / "my lessons")
    where = _run([str(installed / "python"), "-c", "import lessonkit.layouts as l; print(l.LAYOUTS)"], tmp_path)
    assert Path(where.stdout.strip()).parts[-2:] == ("lessonkit", "_layouts"), where.stdout + where.stderr
    assert ROOT not in Path(where.stdout.strip()).parents

    result = _run([str(installed / "lessonkit"), "build", "--jobs", "1"], project.root)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("worksheet.pdf", "answer-key.pdf", "slides.pptx"):
        output = project.root / "outputs" / "sample" / "fr" / name
        assert output.is_file() and output.stat().st_size > 1000, name

    # the same from elsewhere with --root, by the alias and by python -m
    elsewhere = _run([str(installed / "make-docs"), "--root", str(project.root), "check"], tmp_path)
    assert elsewhere.returncode == 0 and "no problems" in elsewhere.stdout, elsewhere.stdout + elsewhere.stderr
    module = _run([str(installed / "python"), "-m", "lessonkit", "build"], project.root)
    assert module.returncode == 0 and "up to date" in module.stdout, module.stdout + module.stderr

    # a starter lesson, with the schema its first line points at
    started = _run([str(installed / "lessonkit"), "new", "plants", "--lang", "en"], project.root)
    assert started.returncode == 0, started.stdout + started.stderr
    assert (project.root / "schema" / "lesson.schema.json").is_file()
    checked = _run([str(installed / "lessonkit"), "check", "plants"], project.root)
    assert checked.returncode == 0 and checked.stderr == "", checked.stdout + checked.stderr
