"""The preview engine of the browser app (issue 12, must 4): a warm worker draws a lesson edition's
worksheet, answer key and slides as PNG images, keeps the last good ones while the source is wrong,
and survives its worker being killed or hanging.

Fixture projects of their own (``promises`` from tests/projects.py, ``sample`` from conftest), built
with the command line to compare the previews with the real outputs. No timing is asserted here:
``make bench`` measures how fast a preview is ready.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from lessonkit.preview import Previewer

from .conftest import SAMPLE_LESSON, Project
from .projects import HTML_POINT, build, promises_project

WAIT = 300.0  # seconds: generous, the machine is shared; nothing here is a timing test
A4_WIDTH_INCHES = 210 / 25.4


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """Two lessons, ``promises`` (a reading, pictures, a chart, links) and ``sample``, built as PDFs and decks."""
    root = promises_project(tmp_path_factory.mktemp("preview"))
    Project(root)
    assert build(root, "--formats", "pdf,pptx", "--quiet") == 0
    return root


@pytest.fixture(scope="module")
def previewer(root):
    with Previewer(root, root / "outputs" / ".preview") as previewer:
        yield previewer


def settled(previewer: Previewer, lesson: str, newer_than: int = 0):
    """Request the edition and wait until everything of the refresh has landed."""
    previewer.request(lesson, "fr")
    preview = previewer.wait(lesson, "fr", newer_than, WAIT, settled=True)
    assert preview is not None, "no preview came"
    return preview


def png_sizes(paths) -> list[tuple[int, int]]:
    sizes = []
    for path in paths:
        with Image.open(path) as picture:
            assert picture.format == "PNG"
            picture.load()  # the whole file decodes: not half a picture
            sizes.append(picture.size)
    return sizes


def snapshot(folder: Path, skip: Path | None = None) -> dict[str, int]:
    return {
        str(path): path.stat().st_mtime_ns
        for path in folder.rglob("*")
        if path.is_file() and (skip is None or not path.is_relative_to(skip))
    }


def sample_text(paragraph: str) -> str:
    changed = SAMPLE_LESSON.replace("Un paragraphe avec une note.", paragraph)
    assert changed != SAMPLE_LESSON
    return changed


def test_pages_are_pngs_with_the_page_counts_of_the_built_pdfs(root, previewer):
    folder = previewer.folder
    before = snapshot(root, skip=folder)
    preview = settled(previewer, "promises")
    assert not preview.stale and preview.problems == () and not preview.busy
    built = root / "outputs" / "promises" / "fr"
    assert len(preview.worksheet) == len(PdfReader(built / "worksheet.pdf").pages) > 1
    assert len(preview.answer_key) == len(PdfReader(built / "answer-key.pdf").pages) > 1
    for width, height in png_sizes(preview.worksheet + preview.answer_key):
        assert abs(width - A4_WIDTH_INCHES * 84) <= 2 and height > width  # A4 pages, upright
    version_folder = folder / "promises" / "fr" / str(preview.version)
    assert all(path.parent == version_folder for path in preview.worksheet + preview.answer_key + preview.slides)
    assert [path.name for path in preview.worksheet][:2] == ["worksheet-01.png", "worksheet-02.png"]
    assert not list(folder.rglob("*.part"))
    assert snapshot(root, skip=folder) == before  # nothing written outside the preview folder


def test_the_outline_has_the_deck_s_slide_titles_and_points(root, previewer):
    preview = settled(previewer, "promises")
    deck = Presentation(str(root / "outputs" / "promises" / "fr" / "slides.pptx"))
    titles = [slide.shapes.title.text_frame.text if slide.shapes.title is not None else "" for slide in deck.slides]
    assert [slide.title for slide in preview.outline] == titles
    assert [slide.number for slide in preview.outline] == list(range(1, len(titles) + 1))
    assert preview.outline[0].kind == "title" and all(slide.kind for slide in preview.outline)
    assert any(HTML_POINT in line for slide in preview.outline for line in slide.lines)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_slides_are_drawn_by_libreoffice_one_png_each(root, previewer):
    preview = settled(previewer, "promises")
    assert not preview.stale, preview.problems
    deck = Presentation(str(root / "outputs" / "promises" / "fr" / "slides.pptx"))
    assert len(preview.slides) == len(deck.slides) == len(preview.outline)
    assert all(width > height for width, height in png_sizes(preview.slides))  # 16:9 slides
    assert preview.slides[0].name == "slide-01.png"


def test_a_save_while_drawing_is_drawn_next_the_latest_source_wins(root, previewer):
    source = root / "sources" / "lessons" / "promises" / "fr.yaml"
    original = source.read_text(encoding="utf-8")
    before = settled(previewer, "promises")
    try:
        for title in ("Leçon première", "Leçon seconde", "Leçon dernière"):
            source.write_text(original.replace("title: Leçon fr", f"title: {title}"), encoding="utf-8")
            previewer.request("promises", "fr")  # while the previous one is being drawn
            time.sleep(0.2)
        latest = previewer.wait("promises", "fr", before.version, WAIT, settled=True)
    finally:
        source.write_text(original, encoding="utf-8")
    assert latest is not None and not latest.stale and latest.version > before.version
    assert latest.outline[0].title == "Leçon dernière"
    assert len(latest.answer_key) == len(before.answer_key) and len(latest.slides) == len(before.slides)


def test_a_changed_source_a_broken_one_then_a_fixed_one(root, previewer):
    source = root / "sources" / "lessons" / "sample" / "fr.yaml"
    first = settled(previewer, "sample")
    source.write_text(sample_text("Un paragraphe tout autre, bien plus long que le premier."), encoding="utf-8")
    changed = settled(previewer, "sample", first.version)
    assert changed.version == first.version + 1 and not changed.stale
    assert changed.worksheet[0].read_bytes() != first.worksheet[0].read_bytes()  # the new text is drawn

    source.write_text(SAMPLE_LESSON.replace("duration: 45\ncredits", "duration: beaucoup\ncredits"), encoding="utf-8")
    broken = settled(previewer, "sample", changed.version)
    assert broken.stale and broken.version == changed.version
    assert broken.worksheet == changed.worksheet and broken.answer_key == changed.answer_key  # the last good ones
    assert len(png_sizes(broken.worksheet)) == len(changed.worksheet)  # still there, whole
    assert any("sources/lessons/sample/fr.yaml:6:" in problem for problem in broken.problems), broken.problems

    source.write_text(sample_text("Le texte corrigé."), encoding="utf-8")
    fixed = settled(previewer, "sample", changed.version)
    assert fixed.version == changed.version + 1 and not fixed.stale and fixed.problems == ()
    versions = sorted(int(path.name) for path in (previewer.folder / "sample" / "fr").iterdir())
    assert versions == [fixed.version - 1, fixed.version]  # older versions are removed


def test_a_killed_worker_is_started_again(root, previewer):
    source = root / "sources" / "lessons" / "sample" / "fr.yaml"
    good = settled(previewer, "sample")

    killed = previewer.worker_pid
    os.kill(killed, signal.SIGKILL)  # while idle: the next request is drawn as usual
    source.write_text(sample_text("Après un premier arrêt."), encoding="utf-8")
    after_idle = settled(previewer, "sample", good.version)
    assert after_idle.version == good.version + 1 and not after_idle.stale
    assert previewer.worker_pid not in (None, killed)

    before = settled(previewer, "promises")
    previewer.request("promises", "fr")
    time.sleep(0.3)  # the worker is drawing: a lesson with a reading takes longer than that
    os.kill(previewer.worker_pid, signal.SIGKILL)
    crashed = previewer.wait("promises", "fr", before.version + 1, WAIT, settled=True)
    assert crashed is not None and crashed.stale and "stopped unexpectedly" in crashed.problems[0]

    again = settled(previewer, "promises", crashed.version)
    assert again.version == crashed.version + 1 and not again.stale and again.problems == ()
    assert len(png_sizes(again.worksheet)) == len(before.worksheet)


def test_a_hung_worker_is_stopped_and_started_again(root, previewer):
    good = settled(previewer, "sample")
    stuck = previewer.worker_pid
    os.kill(stuck, signal.SIGSTOP)  # a native call that never returns, as far as the Previewer can tell
    previewer.time_limit = 5.0
    try:
        previewer.request("sample", "fr")
        hung = previewer.wait("sample", "fr", good.version, WAIT, settled=True)
    finally:
        previewer.time_limit = 120.0
    assert hung is not None and hung.stale and "longer than 5 s" in hung.problems[0]
    assert hung.worksheet == good.worksheet
    with pytest.raises(ProcessLookupError):
        os.kill(stuck, 0)
    again = settled(previewer, "sample", good.version)
    assert again.version == good.version + 1 and not again.stale


@pytest.mark.parametrize(
    ("lesson", "language"),
    [("../x", "fr"), ("sample", "../fr"), ("/etc", "fr"), ("sample/../../x", "fr"), ("Sample", "fr"), ("sample", "")],
)
def test_a_lesson_id_or_language_that_is_not_one_is_refused_without_touching_the_disk(
    root, previewer, lesson, language
):
    if previewer.current("sample", "fr") is not None:
        previewer.wait("sample", "fr", -1, WAIT, settled=True)  # nothing left to draw
    before = snapshot(root)
    folders = sorted(str(path) for path in root.rglob("*"))
    for call in (
        lambda: previewer.request(lesson, language),
        lambda: previewer.current(lesson, language),
        lambda: previewer.wait(lesson, language, 0, 0.1),
    ):
        with pytest.raises(ValueError):
            call()
    assert snapshot(root) == before and sorted(str(path) for path in root.rglob("*")) == folders
    assert not Path("/etc/fr").exists()


def test_close_leaves_no_process_behind(root):
    folder = root / "outputs" / "closing"
    previewer = Previewer(root, folder)
    previewer.request("promises", "fr")
    assert previewer.wait("promises", "fr", 0, WAIT) is not None
    (scratch,) = folder.glob(".work-*")
    worker = previewer.worker_pid
    if shutil.which("soffice"):  # close while LibreOffice draws the slides, if it comes to that
        deadline = time.monotonic() + WAIT
        while not processes_naming(scratch) - {worker} and previewer.current("promises", "fr").busy:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    previewer.close()
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)
    assert processes_naming(scratch) == set()
    assert not scratch.exists()
    assert previewer.worker_pid is None


def processes_naming(text: Path) -> set[int]:
    """Every process whose command line names ``text`` (the worker and LibreOffice name the scratch folder)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdecimal():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if str(text) in command:
                found.add(int(entry.name))
    return found
