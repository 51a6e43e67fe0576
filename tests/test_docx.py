"""The editable worksheet and key (worksheet.docx, answer-key.docx) of the shipped lesson: read back with
python-docx, converted by LibreOffice Writer, checked by an OOXML validator that is not python-docx."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from lessonkit.loader import Sources, load_document
from lessonkit.prepare import prepare
from lessonkit.render.docx import ANSWER_KEY, TEMPLATE, WORKSHEET, DocxRenderer

from .conftest import ROOT
from .projects import squash

LANGUAGES = ["fr", "en-GB", "de-CH"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def shipped(language: str):
    sources = Sources(ROOT / "sources")
    [source] = [s for s in sources.lessons() if (s.id, s.language) == ("digital-labor", language)]
    return prepare(load_document(sources, source))


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, tuple[object, dict[str, Path]]]:
    folder = tmp_path_factory.mktemp("docx")
    renderer = DocxRenderer()
    found = {}
    for language in LANGUAGES:
        document = shipped(language)
        rendered = renderer.render(document)
        paths = {}
        for name, _, data in rendered.files:
            paths[name] = folder / f"{language}-{name}"
            paths[name].write_bytes(data)
        found[language] = (document, paths)
    return found


def body_text(path: Path) -> str:
    """Every paragraph of the body, tables included, as python-docx reads it."""
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def footnotes(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/footnotes.xml"))
    notes = [n for n in root.findall(f"{W}footnote") if n.get(f"{W}type") is None]
    return ["".join(t.text or "" for t in note.iter(f"{W}t")) for note in notes]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_prompt_is_in_both_and_every_answer_in_the_key_only(editions, language):
    document, paths = editions[language]
    sheet, key = squash(body_text(paths[WORKSHEET])), squash(body_text(paths[ANSWER_KEY]))
    for question in document.questions():
        assert squash(question.prompt.plain) in sheet and squash(question.prompt.plain) in key
        for block in question.answer:
            texts = [item.plain for item in block.items] if hasattr(block, "items") else [block.text.plain]
            for text in texts:
                assert squash(text) in key
                assert squash(text) not in sheet
    for paragraph in document.activity.teacher_instructions:
        assert squash(paragraph.plain) in key and squash(paragraph.plain) not in sheet


@pytest.mark.parametrize("language", LANGUAGES)
def test_model_answers_are_in_the_answer_style_and_the_sheet_has_the_ruled_lines(editions, language):
    document, paths = editions[language]
    key = Document(str(paths[ANSWER_KEY]))
    answers = squash("".join(p.text for p in key.paragraphs if p.style.name == "Answer"))
    first = document.questions()[0].answer[0]
    assert squash(first.text.plain if hasattr(first, "text") else first.items[0].plain) in answers
    sheet = Document(str(paths[WORKSHEET]))
    lines = [p for p in sheet.paragraphs if p.style.name == "Answer Space"]
    assert len(lines) == sum(question.lines for question in document.questions())
    assert all(p.text == "" for p in lines)
    assert not [p for p in sheet.paragraphs if p.style.name == "Answer"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_is_on_the_styles_and_foreign_words_are_tagged(editions, language):
    document, paths = editions[language]
    docx = Document(str(paths[WORKSHEET]))
    styles = docx.styles.element
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default.get(qn("w:val")) == document.proofing_tag
    for name in ("Normal", "Heading 1", "Question", "Answer", "Box", "Glossary Term"):
        assert docx.styles[name].element.find(f"{W}rPr/{W}lang").get(qn("w:val")) == document.proofing_tag
    assert docx.core_properties.language == document.proofing_tag
    tagged = {lang.get(qn("w:val")) for lang in docx.element.body.iter(f"{W}lang")}
    if language == "fr":  # the French edition names *digital labor* in English
        assert "en" in tagged


@pytest.mark.parametrize("language", LANGUAGES)
def test_footnotes_are_word_footnotes(editions, language):
    document, paths = editions[language]
    expected = [squash(note.text.plain) for section in document.sections for note in section.footnotes]
    assert expected
    for path in paths.values():
        assert [squash(text) for text in footnotes(path)] == expected
        references = list(Document(str(path)).element.body.iter(f"{W}footnoteReference"))
        assert len(references) >= len(expected)


def test_pictures_and_qr_codes_have_alt_text(editions):
    document, paths = editions["fr"]
    docx = Document(str(paths[WORKSHEET]))
    alts = [shape._inline.docPr.get("descr") for shape in docx.inline_shapes]
    alts += [
        p.get("descr")
        for table in docx.tables
        for row in table.rows
        for cell in row.cells
        for p in cell._tc.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    ]
    assert all(alts) and alts
    links = [*(document.activity.materials if document.activity else ()), *document.resources]
    for link in links:
        assert any(link.url in alt for alt in alts)
    figures = [f.alt for s in document.sections for f in s.figures if f.image]
    figures += [b.figure.alt for s in document.sections for b in s.boxes if b.figure and b.figure.image]
    for alt in figures:
        assert alt in alts


def test_paper_size_follows_the_option():
    from dataclasses import replace

    document = shipped("fr")
    letter = replace(document, options=replace(document.options, paper="letter"))
    data = dict((name, body) for name, _, body in DocxRenderer().render(letter).files)
    section = Document(io.BytesIO(data[WORKSHEET])).sections[0]
    assert round(section.page_width.inches, 2) == 8.5 and round(section.page_height.inches, 2) == 11


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_ooxml_validator_finds_no_error(editions, language):
    validator = pytest.importorskip("openxml_audit.validator")
    for path in editions[language][1].values():
        result = validator.OpenXmlValidator().validate(path)
        assert result.is_valid, [error.description for error in result.errors[:10]]


def test_the_template_has_the_named_styles_and_a_footnotes_part():
    docx = Document(str(TEMPLATE))
    names = {style.name for style in docx.styles}
    named = ("Title", "Heading 1", "Heading 2", "Normal", "Question", "Answer", "Answer Space", "Box", "Box Title")
    assert {*named, "Glossary Term", "Glossary Definition", "Footnote Text", "Footnote Reference"} <= names
    with zipfile.ZipFile(TEMPLATE) as archive:
        assert "word/footnotes.xml" in archive.namelist()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_writer_converts_both_to_pdf(editions, tmp_path):
    from pypdf import PdfReader

    _, paths = editions["fr"]
    command = ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
               "--outdir", str(tmp_path), *map(str, paths.values())]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr
    for path in paths.values():
        pdf = tmp_path / f"{path.stem}.pdf"
        assert pdf.is_file(), result.stdout + result.stderr
        assert len(PdfReader(pdf).pages) >= 5
