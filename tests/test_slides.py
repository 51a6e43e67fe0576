"""The classroom decks, opened with python-pptx and rendered by LibreOffice."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn

from lessonkit.i18n import labels_for, proofing_tag
from lessonkit.loader import Sources, load_document
from lessonkit.markup import parse_blocks, plain_text
from lessonkit.prepare import prepare
from lessonkit.prepared import Options
from lessonkit.render import textfit
from lessonkit.render.pptx import LAYOUT_NAMES, TEMPLATE, DeckError, DeckRenderer

from .conftest import ROOT

LANGUAGES = ["fr", "en-GB", "de-CH"]
EMU = textfit.EMU_PER_PT


def shipped(language: str):
    sources = Sources(ROOT / "sources")
    [source] = [s for s in sources.lessons() if (s.id, s.language) == ("digital-labor", language)]
    return load_document(sources, source)


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("decks")
    renderer = DeckRenderer()
    paths = {}
    for language in LANGUAGES:
        deck = renderer.render(prepare(shipped(language)))
        assert deck.warnings == [], deck.warnings
        paths[language] = folder / f"{language}.pptx"
        renderer.write(deck.presentation, paths[language])
    return paths


def slide_title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def squash(text: str) -> str:
    """The words, without spaces or quotation marks (the language's marks replace the ones typed)."""
    return "".join(char for char in "".join(text.split()) if char not in '\u202f\u00a0"“”«»„')


# --------------------------------------------------------------------------- template and structure


def test_template_is_16_9_with_named_layouts():
    template = Presentation(str(TEMPLATE))
    assert (template.slide_width, template.slide_height) == (12_192_000, 6_858_000)
    assert set(LAYOUT_NAMES) <= {layout.name for layout in template.slide_layouts}


def test_a_template_missing_a_layout_is_refused_by_name(tmp_path):
    template = Presentation(str(TEMPLATE))
    [chart] = [layout for layout in template.slide_layouts if layout.name == "Chart"]
    chart._element.find(qn("p:cSld")).set("name", "Graph")
    template.save(str(tmp_path / "school.pptx"))
    with pytest.raises(DeckError, match="Chart"):
        DeckRenderer(tmp_path / "school.pptx").render(prepare(shipped("fr")))


def test_deck_follows_the_lesson(decks):
    document = shipped("fr")
    deck = Presentation(str(decks["fr"]))
    slides = list(deck.slides)
    titles = [slide_title(s) for s in slides]
    assert slides[0].slide_layout.name == "Title" and "digital labor" in titles[0]
    for section in document.lesson.sections:
        assert any(squash(plain_text_of(section.heading)) in squash(t) for t in titles), section.heading
    assert any(s.slide_layout.name == "Picture" and any(sh.shape_type == 13 for sh in s.shapes) for s in slides)
    questions = [i for i, t in enumerate(titles) if t.startswith("Question ")]
    assert len(questions) == len(document.lesson.questions()) + len(document.readings[0].questions)
    for index in questions:
        assert titles[index + 1].startswith("Réponse "), titles[index + 1]
    glossary = " ".join(s.shapes.placeholders[1].text_frame.text for s in slides if "Glossaire" in slide_title(s))
    assert all(plain_text_of(g.term) in glossary for g in document.lesson.glossary)


def plain_text_of(text: str) -> str:
    from lessonkit.markup import parse_inline

    return plain_text(parse_inline(text))


def test_every_content_slide_has_speaker_notes_and_answers_are_in_them(decks):
    document = shipped("fr")
    slides = list(Presentation(str(decks["fr"])).slides)
    assert all(s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip() for s in slides)
    notes = squash(" ".join(s.notes_slide.notes_text_frame.text for s in slides))
    for question in document.lesson.questions():
        first = parse_blocks(question.answer)[0]
        words = plain_text(first.children if hasattr(first, "children") else first.items[0])
        assert squash(words)[:50] in notes, question.id


def test_answers_in_notes_only(tmp_path):
    renderer = DeckRenderer()
    deck = renderer.render(prepare(shipped("fr"), Options(answers="notes"))).presentation
    titles = [slide_title(s) for s in deck.slides]
    assert not any(t.startswith("Réponse") for t in titles)
    question = next(s for s in deck.slides if slide_title(s) == "Question 1")
    assert "micro-tâche" in question.notes_slide.notes_text_frame.text


def test_reading_chart_is_a_native_editable_chart(decks):
    deck = Presentation(str(decks["fr"]))
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 1
    values = list(charts[0].plots[0].series[0].values)
    assert values == [12.0, 6.2, 2.1]
    assert "Octobre 2013" in charts[0].plots[0].categories[0]


def test_links_are_clickable_and_their_qr_codes_scan(decks):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    document = shipped("fr")
    expected = {r.url for r in document.lesson.resources} | {m.url for m in document.lesson.activity.materials}
    deck = Presentation(str(decks["fr"]))
    links, decoded = set(), set()
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                links |= {
                    r.hyperlink.address for p in shape.text_frame.paragraphs for r in p.runs if r.hyperlink.address
                }
            description = shape._element.find(".//" + qn("p:cNvPr")).get("descr") or ""
            if shape.shape_type == 13 and description.startswith(labels_for("fr")["qr_code"]):
                image = Image.open(io.BytesIO(shape.image.blob))
                decoded |= {result.text for result in zxingcpp.read_barcodes(image)}
    assert expected <= links
    assert decoded == expected


# --------------------------------------------------------------------------- fit, sizes, languages


def measured_paragraphs(shape) -> list[textfit.Paragraph]:
    """Re-measure a saved text shape from its XML alone (independent of how the renderer built it)."""
    paragraphs = []
    for paragraph in shape.text_frame.paragraphs:
        properties = paragraph._p.pPr
        runs = tuple(textfit.Run(r.text, bool(r.font.bold), bool(r.font.italic)) for r in paragraph.runs)
        sizes = [r.font.size.pt for r in paragraph.runs if r.font.size is not None]
        assert sizes or not runs, f"a run without an explicit size in “{shape.text_frame.text[:40]}”"
        before = properties.find(qn("a:spcBef")) if properties is not None else None
        points = before.find(qn("a:spcPts")) if before is not None else None
        indent = int(properties.get("marL", 0)) / EMU if properties is not None else 0.0
        hanging = -int(properties.get("indent", 0)) / EMU if properties is not None else 0.0
        paragraphs.append(
            textfit.Paragraph(
                runs,
                max(sizes) if sizes else 18.0,
                indent=indent,
                hanging=hanging,
                space_before=int(points.get("val")) / 100 if points is not None else 0.0,
                line_spacing=paragraph.line_spacing if isinstance(paragraph.line_spacing, float) else 1.0,
            )
        )
    return paragraphs


def frame_of(shape) -> textfit.Frame:
    body = shape.text_frame._txBody.bodyPr
    inset = lambda name, default: int(body.get(name, default)) / EMU  # noqa: E731
    return textfit.Frame(
        shape.width / EMU,
        shape.height / EMU,
        inset("lIns", 91440),
        inset("rIns", 91440),
        inset("tIns", 45720),
        inset("bIns", 45720),
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_is_taller_than_its_box_and_sizes_are_legible(decks, language):
    deck = Presentation(str(decks[language]))
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            where = f"{language} slide {number} “{shape.text_frame.text[:50]}”"
            paragraphs = measured_paragraphs(shape)
            assert textfit.fits(paragraphs, frame_of(shape)), where
            minimum = 32 if shape == slide.shapes.title else 20
            assert min(p.size for p in paragraphs if p.runs) >= minimum, where
            assert shape.text_frame._txBody.bodyPr.find(qn("a:normAutofit")) is None, where


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_run_carries_its_language(decks, language):
    tag = proofing_tag(language)
    deck = Presentation(str(decks[language]))
    assert deck.core_properties.language == tag
    assert deck.core_properties.title
    for slide in deck.slides:
        for part in (slide, slide.notes_slide):
            for run in part._element.iter(qn("a:r")):
                lang = run.find(qn("a:rPr")).get("lang")
                assert lang == tag or lang in ("en-GB", "fr-CH", "de-CH"), lang
    defaults = deck.part._element.find(qn("p:defaultTextStyle")).find(qn("a:lvl1pPr")).find(qn("a:defRPr"))
    assert defaults.get("lang") == tag


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_label_of_another_language(decks, language):
    text = " ".join(
        shape.text_frame.text
        for slide in Presentation(str(decks[language])).slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    for other in LANGUAGES:
        if other != language:
            for key in ("answer", "glossary", "continued", "credits"):
                assert labels_for(other)[key] not in text.split("\n"), (other, key)
                assert f"{labels_for(other)[key]} " not in text, (other, key)
    assert labels_for(language)["glossary"] in text


# --------------------------------------------------------------------------- in a real client


def libreoffice_pdf(pptx: Path, folder: Path) -> Path:
    profile = folder / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(pptx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "HOME": str(folder)},
    )
    return folder / f"{pptx.stem}.pdf"


def characters_outside_their_boxes(pptx: Path, folder: Path) -> tuple[int, list[str]]:
    """Render with LibreOffice; return the page count and every character outside the slide or every text box."""
    pdfplumber = pytest.importorskip("pdfplumber")
    deck = Presentation(str(pptx))
    outside = []
    with pdfplumber.open(libreoffice_pdf(pptx, folder)) as document:
        for number, (page, slide) in enumerate(zip(document.pages, deck.slides, strict=False), start=1):
            scale = page.width / (deck.slide_width / EMU)
            boxes = [
                tuple(v / EMU * scale for v in (s.left, s.top, s.left + s.width, s.top + s.height))
                for s in slide.shapes
                if s.has_text_frame or s.has_chart
            ]
            for char in page.chars:
                x0, x1, top, bottom = char["x0"], char["x1"], char["top"], char["bottom"]
                on_page = x0 >= 0 and x1 <= page.width and top >= 0 and bottom <= page.height
                in_a_box = any(
                    left - 2 <= x0 and x1 <= right + 2 and upper - 2 <= top and bottom <= lower + 2
                    for left, upper, right, lower in boxes
                )
                if char["text"].strip() and not (on_page and in_a_box):
                    outside.append(f"slide {number}: “{char['text']}” at ({x0:.0f}, {top:.0f})")
        return len(document.pages), outside


needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (CI installs it)")


@needs_libreoffice
@pytest.mark.parametrize("language", LANGUAGES)
def test_libreoffice_shows_every_character_inside_its_box(decks, language, tmp_path):
    pages, outside = characters_outside_their_boxes(decks[language], tmp_path)
    assert pages == len(Presentation(str(decks[language])).slides)
    assert outside == []


@needs_libreoffice
def test_the_client_check_catches_an_overflowing_box(tmp_path):
    """The check above can fail: text written past its box, with autofit off, is found."""
    deck = Presentation(str(TEMPLATE))
    [layout] = [layout for layout in deck.slide_layouts if layout.name == "Bullets"]
    slide = deck.slides.add_slide(layout)
    slide.shapes.title.text = "Trop de texte"
    body = slide.placeholders[1].text_frame
    body.auto_size = MSO_AUTO_SIZE.NONE
    body.text = "Une phrase bien trop longue pour tenir dans la boîte. " * 60
    deck.save(str(tmp_path / "overflow.pptx"))
    _, outside = characters_outside_their_boxes(tmp_path / "overflow.pptx", tmp_path)
    assert outside
