"""Incremental, parallel, interruptible builds that never lose a good output."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from lessonkit.cli import main
from lessonkit.manifest import MANIFEST_NAME

from .conftest import ALL_OUTPUTS, ROOT, SAMPLE_LESSON, Project, copy_shipped


@pytest.fixture
def project(tmp_path) -> Project:
    """The sample lesson, with the shipped layouts (builds need them)."""
    return Project(tmp_path)


def build(project: Project, *args: str) -> int:
    return main(["--root", str(project.root), "build", "--jobs", "1", *args])


def outputs(project: Project) -> dict[str, float]:
    folder = project.root / "outputs" / "sample" / "fr"
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} if folder.is_dir() else {}


def test_a_second_build_does_nothing(project, capsys):
    assert build(project) == 0
    first = outputs(project)
    assert set(first) == set(ALL_OUTPUTS)
    capsys.readouterr()
    assert build(project) == 0
    assert "up to date" in capsys.readouterr().out
    assert outputs(project) == first


def test_editing_a_source_rebuilds_its_outputs_and_force_rebuilds_all(project):
    assert build(project) == 0
    first = outputs(project)
    project.replace_line(3, "title: Une autre leçon")
    assert build(project) == 0
    second = outputs(project)
    assert all(second[name] != first[name] for name in first)
    assert build(project, "--force") == 0
    assert all(outputs(project)[name] != second[name] for name in second)


def test_changing_an_image_or_an_option_rebuilds_only_what_depends_on_it(project):
    assert build(project) == 0
    first = outputs(project)
    assert build(project, "--answers", "notes") == 0
    second = outputs(project)
    assert second["worksheet.pdf"] == first["worksheet.pdf"] and second["slides.pptx"] != first["slides.pptx"]
    (project.lesson_dir / "assets" / "picture.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><title>y</title></svg>\n', encoding="utf-8"
    )
    assert build(project, "--answers", "notes") == 0
    assert all(outputs(project)[name] != second[name] for name in second)


def test_manifest_records_inputs(project):
    assert build(project) == 0
    manifest = json.loads((project.root / "outputs" / MANIFEST_NAME).read_text(encoding="utf-8"))
    inputs = manifest["outputs"]["outputs/sample/fr/worksheet.pdf"]["inputs"]
    assert "sources/lessons/sample/fr.yaml" in inputs
    assert "sources/lessons/sample/assets/picture.svg" in inputs
    assert any(name.endswith("layouts/pdf/worksheet.css") for name in inputs)


def test_one_failing_lesson_does_not_stop_the_others(project, capsys, monkeypatch):
    monkeypatch.chdir(project.root)
    other = project.root / "sources" / "lessons" / "other"
    shutil.copytree(project.lesson_dir, other)
    (other / "fr.yaml").write_text(
        SAMPLE_LESSON.replace("id: sample", "id: other").replace("duration: 45", "duration: x")
    )
    assert build(project) == 2
    err = capsys.readouterr().err
    assert "sources/lessons/other/fr.yaml:6:11: duration:" in err and "failed: sources/lessons/other/fr.yaml" in err
    assert set(outputs(project)) == set(ALL_OUTPUTS)


def test_a_failed_rebuild_keeps_the_previous_outputs(project):
    assert build(project) == 0
    before = {name: (project.root / "outputs/sample/fr" / name).read_bytes() for name in outputs(project)}
    project.replace_line(6, "duration: x")
    assert build(project) == 2
    after = {name: (project.root / "outputs/sample/fr" / name).read_bytes() for name in outputs(project)}
    assert after == before


def test_a_noop_build_imports_no_renderer(project):
    assert build(project) == 0
    code = (
        "import sys; from lessonkit.cli import main;"
        f"status = main(['--root', {str(project.root)!r}, 'build']);"
        "heavy = [m for m in ('weasyprint', 'pptx', 'pydantic', 'babel') if m in sys.modules];"
        "print(status, heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip().splitlines()[-1] == "0 []"


@pytest.mark.skipif(os.cpu_count() == 1, reason="parallel build needs two cores")
def test_parallel_build_of_several_lessons(project):
    for name in ("second", "third"):
        folder = project.root / "sources" / "lessons" / name
        shutil.copytree(project.lesson_dir, folder)
        (folder / "fr.yaml").write_text(SAMPLE_LESSON.replace("id: sample", f"id: {name}"), encoding="utf-8")
    assert main(["--root", str(project.root), "build", "--jobs", "2", "--quiet"]) == 0
    for name in ("sample", "second", "third"):
        assert len(PdfReader(project.root / "outputs" / name / "fr" / "worksheet.pdf").pages) >= 1


def ctrl_c_as_usual() -> None:
    """In the child, before it runs: Ctrl-C does what it does in a terminal, even when the tests run with SIGINT
    ignored (a background job, nohup, some CI runners), which a child would otherwise inherit: Python then never
    turns SIGINT into KeyboardInterrupt, and the interrupted build carries on to the end."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_interrupting_a_build_leaves_every_output_whole(tmp_path):
    """Ctrl-C in the middle of a full rebuild: every PDF and deck still opens, no partial file remains."""
    copy_shipped(tmp_path)
    command = [sys.executable, str(ROOT / "make_docs.py"), "--root", str(tmp_path), "build", "--jobs", "1"]
    subprocess.run(command, check=True, capture_output=True)
    editions = [folder for folder in (tmp_path / "outputs").glob("*/*") if folder.is_dir()]
    written = {path: path.stat().st_mtime_ns for folder in editions for path in folder.iterdir()}
    process = subprocess.Popen(
        [*command, "--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=ctrl_c_as_usual
    )
    first = process.stdout.readline()  # "  outputs/<lesson>/<language>/<file>  …": one edition is done
    assert first, process.communicate()[1]
    done = (Path.cwd() / first.split()[0]).parent
    # Wait (however loaded the machine) until the build has replaced an output of an edition it has not
    # reported yet: it is then in the middle of that edition, with more outputs still to write.
    deadline = time.monotonic() + 300
    while not any(path.stat().st_mtime_ns != when for path, when in written.items() if path.parent != done):
        assert process.poll() is None, "the build ended before it could be interrupted"
        assert time.monotonic() < deadline, "no second edition was written within 5 minutes"
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Interrupted" in err
    built = list((tmp_path / "outputs").rglob("*.*"))
    assert not [p for p in built if p.name.endswith(".part")]
    for pdf in (p for p in built if p.suffix == ".pdf"):
        assert len(PdfReader(pdf).pages) > 5
    for deck in (p for p in built if p.suffix == ".pptx"):
        assert len(Presentation(str(deck)).slides) > 10
    assert len([p for p in built if p.suffix in (".pdf", ".pptx")]) == 9


def test_watch_rebuilds_after_a_change_and_survives_a_mistake(project, capsys):
    from lessonkit.cli import _parser, _watch

    def changes():
        project.replace_line(3, "title: Changée")
        yield {(2, str(project.lesson_path))}
        project.replace_line(6, "duration: x")
        yield {(2, str(project.lesson_path))}
        project.replace_line(3, "title: Réparée")
        yield {(2, str(project.lesson_path))}

    args = _parser().parse_args(["--root", str(project.root), "watch"])
    for flag in ("strict", "force", "quiet", "verbose"):
        setattr(args, flag, False)
    args.paper, args.answers, args.out = "a4", "slides", None
    assert _watch(args, project.root, changes=changes()) == 0
    captured = capsys.readouterr()
    assert captured.out.count("worksheet.pdf") == 3
    assert "duration" in captured.err
    assert "Réparée" in PdfReader(project.root / "outputs/sample/fr/worksheet.pdf").metadata.title
