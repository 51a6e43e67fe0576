"""Rendering rules that need a crafted lesson: safety, overflowing answers, missing glyphs."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from lessonkit.build import atomic_output, build_pdfs
from lessonkit.fetcher import ConfinedFetcher, FetchRefused
from lessonkit.loader import Sources, load_document
from lessonkit.model import Document, Lesson
from lessonkit.prepare import prepare
from lessonkit.render.pdf import PdfRenderer, RenderError

from .conftest import SAMPLE_LESSON


@pytest.fixture(scope="module")
def renderer():
    return PdfRenderer()


def sample_document(project, text: str = SAMPLE_LESSON) -> Document:
    project.write(text)
    sources = Sources(project.root / "sources")
    return load_document(sources, sources.lessons()[0])


def with_image(document: Document, image: str) -> Document:
    """The same document with a figure path the loader would refuse: the renderer must refuse it too."""
    data = document.lesson.model_dump()
    data["sections"][0]["figures"][0]["image"] = image
    return dataclasses.replace(document, lesson=Lesson.model_validate(data))


# --------------------------------------------------------------------------- the fetcher


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://example.com/x.png", "https://example.com/x.png", "ftp://example.com/x"],
)
def test_fetcher_refuses_anything_outside_the_lesson(tmp_path, url):
    with pytest.raises(FetchRefused):
        ConfinedFetcher([tmp_path]).fetch(url)


def test_fetcher_refuses_dot_dot_and_symlink_escapes(tmp_path):
    lesson, outside = tmp_path / "lesson", tmp_path / "outside"
    lesson.mkdir()
    outside.mkdir()
    (outside / "secret.svg").write_text("<svg/>", encoding="utf-8")
    (lesson / "link.svg").symlink_to(outside / "secret.svg")
    fetcher = ConfinedFetcher([lesson])
    for url in ((lesson / ".." / "outside" / "secret.svg").as_uri(), (lesson / "link.svg").as_uri()):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


def test_fetcher_serves_files_inside_and_data_uris(tmp_path):
    (tmp_path / "a.svg").write_text("<svg/>", encoding="utf-8")
    fetcher = ConfinedFetcher([tmp_path])
    assert fetcher.fetch((tmp_path / "a.svg").as_uri()).read() == b"<svg/>"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


@pytest.mark.parametrize("image", ["file:///etc/passwd", "../../../../etc/passwd", "http://example.com/x.png"])
def test_a_hostile_image_path_stops_the_render_with_a_clear_error(project, renderer, image):
    document = with_image(sample_document(project), image)
    with pytest.raises(RenderError) as error:
        renderer.render(prepare(document))
    assert "passwd" in str(error.value) or "example.com" in str(error.value)


def test_a_symlinked_image_out_of_the_folder_stops_the_render(project, renderer, tmp_path):
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"/>', encoding="utf-8")
    (project.lesson_dir / "assets" / "escape.svg").symlink_to(secret)
    with pytest.raises(RenderError, match="outside"):
        renderer.render(prepare(with_image(sample_document(project), "assets/escape.svg")))


# --------------------------------------------------------------------------- answers, glyphs, atomic writes


def test_an_answer_longer_than_its_space_is_named_and_moves_nothing(project, renderer):
    long_answer = "answer: " + "Une réponse bien trop longue pour une seule ligne. " * 12
    text = SAMPLE_LESSON.replace("lines: 4", "lines: 1").replace("answer: Parce que.", long_answer)
    document = sample_document(project, text)
    rendered = renderer.render(prepare(document))
    [warning] = [w for w in rendered.warnings if "first" in w]
    assert "needs about" in warning and "1" in warning
    assert len(rendered.answer_key.pages) <= len(rendered.worksheet.pages)  # render() checked the breaks


def test_a_character_missing_from_the_bundled_fonts_is_reported(project, renderer):
    document = sample_document(project, SAMPLE_LESSON.replace("Un paragraphe avec", "Un ✓ paragraphe avec"))
    warnings = renderer.render(prepare(document)).warnings
    assert any("U+2713" in w for w in warnings)


def test_the_sample_renders_without_any_warning(project, renderer):
    assert renderer.render(prepare(sample_document(project))).warnings == []


def test_a_failed_write_keeps_the_previous_output(tmp_path):
    target = tmp_path / "worksheet.pdf"
    target.write_bytes(b"previous good file")
    with pytest.raises(RuntimeError), atomic_output(target) as temporary:
        temporary.write_bytes(b"half a PDF")
        raise RuntimeError("renderer crashed")
    assert target.read_bytes() == b"previous good file"
    assert [p.name for p in tmp_path.iterdir()] == ["worksheet.pdf"]


def test_a_render_error_writes_nothing(project, renderer, tmp_path):
    """The fetcher is a second line of defence: a prepared image outside the lesson stops the render."""
    document = prepare(sample_document(project))
    section = document.sections[0]
    figure = dataclasses.replace(section.figures[0], image=Path("/etc/passwd"))
    document = dataclasses.replace(document, sections=(dataclasses.replace(section, figures=(figure,)),))
    result = build_pdfs(document, tmp_path / "out", renderer)
    assert result.error and not result.built
    assert not any(Path(tmp_path / "out").rglob("*.pdf"))


def test_outputs_are_readable_by_others(project, renderer, tmp_path):
    """A PDF is an ordinary file: with the usual umask 022, rw-r--r-- (not mkstemp's rw-------)."""
    previous = os.umask(0o022)
    try:
        result = build_pdfs(prepare(sample_document(project)), tmp_path, renderer)
    finally:
        os.umask(previous)
    assert all(os.stat(built.path).st_mode & 0o777 == 0o644 for built in result.built)


def test_weasyprint_errors_are_always_reported_its_remarks_with_verbose(project, renderer, monkeypatch):
    import logging

    from lessonkit import build
    from lessonkit.render.pdf import captured_weasyprint_log

    with captured_weasyprint_log() as log:
        logging.getLogger("weasyprint").error("Failed to load image at %r", "x.png")
        logging.getLogger("weasyprint").warning("Ignored `foo` at 1:1, unknown property.")
    error, remark = (
        "WeasyPrint error: Failed to load image at 'x.png'",
        "WeasyPrint: Ignored `foo` at 1:1, unknown property.",
    )
    assert log == [error, remark]

    class Noisy:
        def render(self, document):
            rendered = renderer.render(document)
            rendered.warnings += log
            return rendered

        def write(self, laid_out, target):
            renderer.write(laid_out, target)

    monkeypatch.setattr(build, "_renderer", lambda kind: Noisy())
    task = build.Task(project.lesson_path, "sample", "fr", (build.WORKSHEET, build.ANSWER_KEY))
    result = build.build_task(task, project.root, project.root / "out", build.Options())
    assert (result.warnings, result.renderer_warnings) == ([error], [remark])


def test_the_page_break_guard_names_questions_that_moved(project, renderer):
    """The guard that keeps sheet and key page for page, given two layouts that break differently."""
    from lessonkit.fetcher import ConfinedFetcher
    from lessonkit.render.pdf import LaidOut, same_pages

    def laid_out(text: str) -> LaidOut:
        document = prepare(sample_document(project, text))
        return LaidOut(renderer._layout(document, ConfinedFetcher([*document.folders, renderer.layouts]), False))

    short = laid_out(SAMPLE_LESSON)
    longer = "      - Un paragraphe avec une note.[^note]\n" + "      - Un autre paragraphe, assez long.\n" * 45
    pushed = laid_out(SAMPLE_LESSON.replace("      - Un paragraphe avec une note.[^note]\n", longer))
    same_pages(short, short)
    with pytest.raises(RenderError, match="question-first"):
        same_pages(short, pushed)
