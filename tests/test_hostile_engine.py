"""The build engine under hostile conditions: concurrent builds, signals, temporary files, a damaged
manifest, inputs that are not files (issue 10)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from filelock import FileLock
from pypdf import PdfReader

from lessonkit.build import LOCK_NAME
from lessonkit.cli import main
from lessonkit.manifest import MANIFEST_NAME, Manifest

from .conftest import ALL_OUTPUTS, ROOT, SAMPLE_LESSON, Project

OUTPUTS = ALL_OUTPUTS


def command(project: Project, *extra: str) -> list[str]:
    return [sys.executable, str(ROOT / "make_docs.py"), "--root", str(project.root), "build", *extra]


def built(project: Project, lesson: str = "sample") -> list[str]:
    folder = project.root / "outputs" / lesson / "fr"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def leftovers(project: Project) -> list[Path]:
    return [p for p in project.root.rglob("*") if p.name.endswith(".part")]


def add_lessons(project: Project, *names: str) -> None:
    for name in names:
        folder = project.root / "sources" / "lessons" / name
        shutil.copytree(project.lesson_dir, folder)
        (folder / "fr.yaml").write_text(SAMPLE_LESSON.replace("id: sample", f"id: {name}"), encoding="utf-8")


def test_a_second_build_waits_for_the_first_and_says_so(project):
    outputs = project.root / "outputs"
    outputs.mkdir()
    lock = FileLock(outputs / LOCK_NAME)
    lock.acquire()  # a build is running
    try:
        process = subprocess.Popen(command(project, "--jobs", "1"), stderr=subprocess.PIPE, text=True)
        assert "Another build is writing into" in process.stderr.readline()
        assert process.poll() is None  # it waits
        assert built(project) == []
    finally:
        lock.release()
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert built(project) == list(OUTPUTS)


def test_two_builds_at_once_both_succeed_and_the_manifest_stays_whole(project):
    add_lessons(project, "second")
    processes = [subprocess.Popen(command(project, "--jobs", "1"), stderr=subprocess.PIPE, text=True) for _ in "ab"]
    errors = [p.communicate(timeout=180)[1] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], errors
    manifest = json.loads((project.root / "outputs" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert len(manifest["outputs"]) == 2 * len(OUTPUTS)
    assert built(project) == built(project, "second") == list(OUTPUTS)
    assert not leftovers(project)


def test_manifests_saved_at_once_never_share_a_temporary_file(project):
    outputs = project.root / "outputs"
    failures = []

    def save_many():
        try:
            for _ in range(100):
                manifest = Manifest(outputs, project.root)
                manifest.changed = True
                manifest.save()
        except Exception as error:  # what a shared temporary name gave: FileNotFoundError
            failures.append(error)

    threads = [threading.Thread(target=save_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(p.name for p in outputs.iterdir()) == [MANIFEST_NAME]


STOP_IN_THE_MIDDLE = """
import contextlib, os, signal, sys
from lessonkit import build
from lessonkit.cli import main

whole = build.atomic_output

@contextlib.contextmanager
def stopped(target):
    with whole(target) as temporary:
        temporary.write_bytes(b"half an output")
        os.kill(os.getpid(), signal.{name})  # arrives while the output is half-written
        yield temporary

build.atomic_output = stopped
sys.exit(main(["--root", sys.argv[1], "build", "--jobs", "1"]))
"""


def ctrl_c_as_usual() -> None:
    """In the child: SIGINT as in a terminal, even when the tests run with it ignored (a background job, nohup),
    which the child would inherit: Python then never raises KeyboardInterrupt and the script carries on."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130)])
def test_sigterm_and_sighup_clean_up_like_ctrl_c(project, name, code):
    script = STOP_IN_THE_MIDDLE.replace("{name}", name)
    command = [sys.executable, "-c", script, str(project.root)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, preexec_fn=ctrl_c_as_usual)
    assert result.returncode == code, result.stderr
    assert "Interrupted: outputs already written are intact." in result.stderr
    assert not leftovers(project)
    assert built(project) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_builds_leave_no_temporary_folders(project, tmp_path, jobs):
    add_lessons(project, "second")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "TMPDIR": str(temporary)}
    result = subprocess.run(command(project, "--jobs", jobs), capture_output=True, text=True, env=environment)
    assert result.returncode == 0, result.stderr
    assert built(project) == built(project, "second") == list(OUTPUTS)
    assert list(temporary.iterdir()) == []  # neither weasyprint-* nor the workers' own folders


@pytest.mark.parametrize(
    "content",
    [
        '{"format": 1, "outputs": [], "files": 5}',
        '{"format": 1, "outputs": {"outputs/sample/fr/worksheet.pdf": {"inputs": null}}, "files": {}}',
        '{"format": 1, "outputs": {}, "files": {"sources/lessons/sample/fr.yaml": [1, "x", 3]}}',
        "[" * 10_000,
        "\xff\xfe not json",
    ],
)
def test_a_damaged_manifest_is_discarded_with_a_warning_and_rebuilt(project, capsys, content):
    (project.root / "outputs").mkdir()
    (project.root / "outputs" / MANIFEST_NAME).write_text(content, encoding="utf-8", errors="surrogateescape")
    assert main(["--root", str(project.root), "build", "--jobs", "1"]) == 0
    assert "manifest.json was damaged; it is discarded and every output is rebuilt" in capsys.readouterr().err
    manifest = json.loads((project.root / "outputs" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert len(manifest["outputs"]) == len(OUTPUTS)
    assert main(["--root", str(project.root), "build", "--jobs", "1"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_an_input_replaced_by_a_fifo_is_refused_not_opened(project):
    assert main(["--root", str(project.root), "build", "--jobs", "1", "--quiet"]) == 0
    picture = project.lesson_dir / "assets" / "picture.svg"
    picture.unlink()
    os.mkfifo(picture)
    result = subprocess.run(command(project, "--jobs", "1"), capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "sections.1.figures.1.image: “assets/picture.svg” is not an ordinary file" in result.stderr
    assert len(PdfReader(project.root / "outputs" / "sample" / "fr" / "worksheet.pdf").pages) >= 1


def test_a_source_that_is_a_fifo_is_reported_not_opened(project, capsys, monkeypatch):
    monkeypatch.chdir(project.root)
    os.mkfifo(project.lesson_dir / "de.yaml")
    assert main(["--root", str(project.root), "check"]) == 2
    assert "sources/lessons/sample/de.yaml:1:1: this is not an ordinary file" in capsys.readouterr().err


def test_a_document_that_renders_too_long_fails_with_its_name(project, capsys, monkeypatch):
    from lessonkit import build

    def endless(*_arguments, **_options):
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(build, "RENDER_TIME_LIMIT", 0.3)
    monkeypatch.setattr(build, "build_deck", endless)
    monkeypatch.setattr(build, "build_pdfs", endless)
    monkeypatch.setattr(build, "build_files", endless)
    started = time.perf_counter()
    assert main(["--root", str(project.root), "build", "--jobs", "1"]) == 2
    assert time.perf_counter() - started < 30
    err = capsys.readouterr().err
    assert "sources/lessons/sample/fr.yaml: error: rendering sample (fr) took longer than 0.3 s and was stopped" in err
    assert built(project) == []


def test_a_worker_that_crashes_fails_its_document_not_the_build(project, capsys, monkeypatch):
    from lessonkit import build

    add_lessons(project, "crash", "third")
    deck = build.build_deck

    def crash_on_one(document, *arguments, **options):
        if document.id == "crash":
            os.abort()  # what resvg did on a 1 × 10,000,000 picture
        return deck(document, *arguments, **options)

    monkeypatch.setattr(build, "build_deck", crash_on_one)  # the forked workers inherit it
    assert main(["--root", str(project.root), "build", "--jobs", "2"]) == 1
    err = capsys.readouterr().err
    assert "sources/lessons/crash/fr.yaml: error: internal error: the renderer crashed on this document" in err
    assert built(project) == built(project, "third") == list(OUTPUTS)
    assert built(project, "crash") == [name for name in OUTPUTS if name != "slides.pptx"]
    assert not leftovers(project)
