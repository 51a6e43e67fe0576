"""The rebuild matrix: after one edit, exactly the outputs made from the edited file are rebuilt.

README (Rebuilding): “an output is rebuilt when one of the files it was made
from changed (its source, the readings it includes, their originals, its
pictures, the layouts, lessonkit itself)”. A fixture project is built once;
each test edits one file of a copy and rebuilds, and compares what the command
line reports as built (and the files' times) with what depends on the file.

The project: lesson ``sample`` in French (the original) and British English
(its translation), including reading ``text`` (French original, English
translation); lesson ``other`` in French, without the reading (never affected
by the reading). Outputs: 3 per lesson and language, 9 in all.

Layouts and lessonkit's code live beside the package, not in a project. To
edit them without touching the repository, those tests build an *installed
copy*: a folder holding a copy of ``lessonkit/``, ``layouts/`` and
``make_docs.py`` beside the fixture's ``sources/``, built by running that
copy's ``make_docs.py`` in a subprocess (the copy's own package is imported).
Nothing is patched: the edited layout is the one the copy renders with.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lessonkit
from lessonkit.manifest import MANIFEST_NAME, code_files, layout_files

from .conftest import ROOT
from .projects import build, write

LESSON = """\
id: {id}
language: fr
title: Une leçon
level: Secondaire II
subject: Éducation numérique
duration: 45
credits:
  licence: CC BY-SA 4.0
sections:
  - id: intro
    heading: Introduction
    body:
      - Un paragraphe.
    slide_points:
      - Un point
activity:
  title: En classe
  duration: 20
  mode: unplugged
  instructions:
    - Lire.
  questions:
    - id: first
      prompt: Pourquoi ?
      answer: Parce que.
      lines: 3
readings: [{readings}]
"""

LESSON_EN = """\
translated_from: fr
id: sample
language: en-GB
title: A lesson
level: Upper secondary
subject: Digital education
credits:
  licence: CC BY-SA 4.0
sections:
  - id: intro
    heading: Introduction
    body:
      - A paragraph.
    slide_points:
      - A point
activity:
  title: In class
  instructions:
    - Read.
  questions:
    - id: first
      prompt: Why?
      answer: Because.
"""

READING = """\
id: text
language: fr
title: Un texte
authors:
  - name: Ada Exemple
year: 2016
summary_credits:
  licence: CC BY-SA 4.0
thesis: Une thèse.
sections:
  - id: part
    heading: Une partie
    key_points:
      - Un point clé.
questions:
  - id: discuss
    prompt: Qu’en pensez-vous ?
    answer: Une réponse.
    lines: 2
"""

READING_EN = """\
translated_from: fr
id: text
language: en-GB
title: A text
authors:
  - name: Ada Exemple
summary_credits:
  licence: CC BY-SA 4.0
thesis: A thesis.
sections:
  - id: part
    heading: A part
    key_points:
      - A key point.
questions:
  - id: discuss
    prompt: What do you think?
    answer: An answer.
"""

OUTPUTS = ("worksheet.pdf", "answer-key.pdf", "slides.pptx")
EDITIONS = ("sample/fr", "sample/en-GB", "other/fr")
EVERYTHING = {f"{edition}/{name}" for edition in EDITIONS for name in OUTPUTS}


def outputs_of(*editions: str) -> set[str]:
    return {f"{edition}/{name}" for edition in editions for name in OUTPUTS}


def write_sources(root: Path) -> None:
    sources = root / "sources"
    write(sources / "lessons" / "sample" / "fr.yaml", LESSON.format(id="sample", readings="text"))
    write(sources / "lessons" / "sample" / "en-GB.yaml", LESSON_EN)
    write(sources / "lessons" / "other" / "fr.yaml", LESSON.format(id="other", readings=""))
    write(sources / "readings" / "text" / "fr.yaml", READING)
    write(sources / "readings" / "text" / "en-GB.yaml", READING_EN)


def built_outputs(root: Path) -> set[str]:
    return {str(p.relative_to(root / "outputs")) for p in (root / "outputs").rglob("*.*")}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The fixture project built once, in this process."""
    root = tmp_path_factory.mktemp("matrix")
    write_sources(root)
    with pytest.MonkeyPatch.context() as patcher:
        patcher.chdir(root)
        assert build(root, "--quiet") == 0
    assert built_outputs(root) >= EVERYTHING
    return root


def run_copy(root: Path) -> str:
    """A build by the installed copy's own make_docs.py (so its own package, layouts and code); its output."""
    command = [sys.executable, "make_docs.py", "build", "--jobs", "1"]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """An installed copy of lessonkit (package, layouts, make_docs.py) with the fixture's sources, built once."""
    root = tmp_path_factory.mktemp("installed")
    write_sources(root)
    shutil.copytree(ROOT / "layouts", root / "layouts")
    shutil.copytree(Path(lessonkit.__file__).parent, root / "lessonkit", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "make_docs.py", root / "make_docs.py")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")  # read by mutmut's trampolines (make mutation)
    imported = subprocess.run(
        [sys.executable, "-c", "import lessonkit; print(lessonkit.__file__)"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(imported) == root / "lessonkit" / "__init__.py"  # the copy's make_docs.py runs the copy
    run_copy(root)
    assert built_outputs(root) >= EVERYTHING
    return root


def copy_of(built_root: Path, tmp_path: Path, monkeypatch) -> Path:
    """A copy of a built project (times kept, so the manifest's cached digests stay valid)."""
    root = tmp_path / "project"
    shutil.copytree(built_root, root, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def project(built, tmp_path, monkeypatch) -> Path:
    return copy_of(built, tmp_path, monkeypatch)


@pytest.fixture
def installation(installed, tmp_path, monkeypatch) -> Path:
    return copy_of(installed, tmp_path, monkeypatch)


def times(root: Path) -> dict[str, int]:
    return {name: (root / "outputs" / name).stat().st_mtime_ns for name in EVERYTHING}


BUILT_LINE = re.compile(r"^\s+outputs/(\S+\.(?:pdf|pptx))\s+\d+ (?:pages|slides)", re.MULTILINE)


def rebuild(root: Path, capsys) -> set[str]:
    """Build again in this process; the outputs the command line reports as built, checked against the files' times."""
    before = times(root)
    capsys.readouterr()
    assert build(root) == 0
    out = capsys.readouterr().out
    reported = set(BUILT_LINE.findall(out))
    assert reported == {name for name, time in times(root).items() if time != before[name]}, out
    return reported


def rebuild_copy(root: Path) -> set[str]:
    """The same, with the installed copy's make_docs.py."""
    before = times(root)
    out = run_copy(root)
    reported = set(BUILT_LINE.findall(out))
    assert reported == {name for name, time in times(root).items() if time != before[name]}, out
    return reported


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed_nothing_rebuilt(project, capsys):
    """README: “make rebuilds only what changed” (the control of every case below)."""
    assert rebuild(project, capsys) == set()


def test_editing_a_reading_rebuilds_the_lessons_that_include_it(project, capsys):
    """README: an output is rebuilt when “the readings it includes” change. Editing the English reading
    rebuilds the English lesson's three outputs, nothing else."""
    edit(project / "sources/readings/text/en-GB.yaml", "thesis: A thesis.", "thesis: A better thesis.")
    assert rebuild(project, capsys) == outputs_of("sample/en-GB")


def test_editing_a_readings_original_rebuilds_its_translations_too(project, capsys):
    """README: an output is rebuilt when the readings it includes or “their originals” change. The French
    reading is included by the French lesson and is the original of the English reading; ``other`` does
    not include it."""
    edit(project / "sources/readings/text/fr.yaml", "thesis: Une thèse.", "thesis: Une meilleure thèse.")
    assert rebuild(project, capsys) == outputs_of("sample/fr", "sample/en-GB")


def test_editing_a_translations_original_rebuilds_the_translation(project, capsys):
    """README: an output is rebuilt when its source “… their originals” change: editing the French lesson
    rebuilds the French outputs and the English translation's (its neutral data come from the French)."""
    edit(project / "sources/lessons/sample/fr.yaml", "duration: 45", "duration: 50")
    assert rebuild(project, capsys) == outputs_of("sample/fr", "sample/en-GB")


def test_editing_a_layout_rebuilds_everything(installation):
    """README: an output is rebuilt when “the layouts” change. Every output records every layout file
    (layouts/ is one set of inputs), so a stylesheet edit rebuilds all nine."""
    edit(installation / "layouts/pdf/worksheet.css", "--line-pitch: 8mm;", "--line-pitch: 8mm; /* edited */")
    assert rebuild_copy(installation) == EVERYTHING


def test_editing_lessonkits_code_rebuilds_everything(installation):
    """README: an output is rebuilt when “lessonkit itself” changes: a new version of any module, the most
    deeply nested one here (a renderer in lessonkit/render/ once they move there)."""
    modules = sorted((installation / "lessonkit").rglob("*.py"), key=lambda p: (-len(p.parts), str(p)))
    with modules[0].open("a", encoding="utf-8") as module:
        module.write("\n# a new version\n")
    assert rebuild_copy(installation) == EVERYTHING
    assert rebuild_copy(installation) == set()  # and only once


def test_the_manifest_records_what_built_what(installation):
    """README: “outputs/.lessonkit-manifest.json records what built what”: the English worksheet lists its
    source, its original, the reading and the reading's original, layouts and code; ``other`` lists no reading."""
    entries = json.loads((installation / "outputs" / MANIFEST_NAME).read_text(encoding="utf-8"))["outputs"]
    english = set(entries["outputs/sample/en-GB/worksheet.pdf"]["inputs"])
    assert {
        "sources/lessons/sample/en-GB.yaml",
        "sources/lessons/sample/fr.yaml",
        "sources/readings/text/en-GB.yaml",
        "sources/readings/text/fr.yaml",
        "layouts/pdf/worksheet.css",
        "layouts/labels/en.yaml",
        "lessonkit/manifest.py",
    } <= english
    other = set(entries["outputs/other/fr/slides.pptx"]["inputs"])
    assert not any(name.startswith("sources/readings/") for name in other)
    assert "sources/lessons/sample/fr.yaml" not in other


def test_code_files_are_every_module_of_the_package():
    """README: “lessonkit itself”: every Python file of the package, in sub-packages too (the renderers are
    moving into lessonkit/render/), counts as an input."""
    package = Path(lessonkit.__file__).resolve().parent
    expected = {p for p in package.rglob("*.py") if "__pycache__" not in p.parts}
    assert set(code_files()) == expected


def test_layout_files_are_every_file_of_layouts():
    """README: “the layouts”: every file under layouts/, in every sub-folder (fonts, icons, labels, pdf, pptx)."""
    expected = {p for p in (ROOT / "layouts").rglob("*") if p.is_file() and not p.name.startswith(".")}
    assert set(layout_files(ROOT / "layouts")) == expected
    assert {p.parent.name for p in expected} >= {"fonts", "icons", "labels", "pdf", "pptx"}
